// The search page, enhanced where JavaScript runs: filters apply themselves (results, counts
// and address updated, with a history entry the back button restores, and the new count read
// out), long facets get a box that narrows their options, and on a phone the filter panel
// opens over the results. Without JavaScript the form, its Apply button and the anchors work
// as they are.
(function () {
  "use strict";
  var form = document.getElementById("search");
  if (!form || !window.fetch || !window.history.pushState) return;
  var live = document.getElementById("live-status");
  var phone = window.matchMedia("(max-width: 50rem)");
  var pending = null;
  document.documentElement.classList.add("js");

  function addressOf() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value === "") return;
      if (/_match$/.test(name) && value === "all") return; // the default: a shorter address
      params.append(name, value);
    });
    var query = params.toString();
    return form.action + (query ? "?" + query : "");
  }

  function load(address, push) {
    if (pending) pending.abort();
    pending = new AbortController();
    var focusedId = document.activeElement && document.activeElement.id;
    var panelOpen = form.classList.contains("filters-open");
    form.setAttribute("aria-busy", "true");
    return fetch(address, { signal: pending.signal, headers: { Accept: "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html");
        var fresh = next.getElementById("search-page");
        if (!fresh) { window.location.assign(address); return; }
        document.getElementById("search-page").replaceWith(fresh);
        var keywords = next.getElementById("id_q");
        if (keywords && document.activeElement !== document.getElementById("id_q")) {
          document.getElementById("id_q").value = keywords.value;
        }
        document.title = next.title;
        // the feed a reader finds in <head> follows the search on screen, not the first one
        var feed = document.querySelector('head link[rel="alternate"][type="application/atom+xml"]');
        var nextFeed = next.querySelector('head link[rel="alternate"][type="application/atom+xml"]');
        if (feed && nextFeed) feed.setAttribute("href", nextFeed.getAttribute("href"));
        // the address as the page itself writes it (parameters in their order)
        if (push) window.history.pushState({ search: true }, "", fresh.dataset.address || address);
        shown = window.location.search;
        enhance();
        if (panelOpen) openPanel(false);
        var again = focusedId && document.getElementById(focusedId);
        if (again) again.focus({ preventScroll: true });
        var count = document.getElementById("result-count");
        if (live && count) live.textContent = count.textContent.replace(/\s+/g, " ").trim();
      })
      .catch(function (error) {
        if (error.name !== "AbortError") window.location.assign(address);
      })
      .finally(function () { form.removeAttribute("aria-busy"); });
  }

  // While the panel covers the page, what it covers takes no focus and is not read out.
  function covered() {
    return [document.querySelector(".site-header"), document.querySelector(".skip-link"),
      form.querySelector(".keywords"), document.getElementById("results"),
      document.querySelector(".lede"), document.querySelector("h1"),
      document.querySelector(".site-footer")].filter(Boolean);
  }

  function openPanel(moveFocus) {
    form.classList.add("filters-open");
    covered().forEach(function (element) { element.inert = true; });
    var toggle = form.querySelector(".filters-toggle");
    if (toggle) toggle.setAttribute("aria-expanded", "true");
    if (moveFocus) document.getElementById("filters").focus();
  }

  function closePanel() {
    // an address that opened the filters (#filters) no longer describes the page
    if (window.location.hash === "#filters") {
      window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
    }
    form.classList.remove("filters-open");
    covered().forEach(function (element) { element.inert = false; });
    var toggle = form.querySelector(".filters-toggle");
    if (toggle) toggle.setAttribute("aria-expanded", "false");
    document.getElementById("results").focus();
    window.scrollTo(0, document.getElementById("results").offsetTop);
  }

  function addFilterBoxes() {
    form.querySelectorAll("[data-filterable]").forEach(function (list) {
      if (list.previousElementSibling && list.previousElementSibling.classList.contains("option-filter")) return;
      var id = list.closest("details").id + "-filter";
      var box = document.createElement("div");
      box.className = "option-filter";
      box.innerHTML = '<label for="' + id + '">Find in this list<span class="visually-hidden">: </span></label><input type="search" id="' + id + '" autocomplete="off">';
      box.querySelector(".visually-hidden").textContent = ": " + list.dataset.filterable;
      list.parentNode.insertBefore(box, list);
      box.querySelector("input").addEventListener("input", function (event) {
        var wanted = event.target.value.trim().toLowerCase();
        list.querySelectorAll("li").forEach(function (item) {
          item.hidden = wanted !== "" && item.textContent.toLowerCase().indexOf(wanted) === -1;
        });
        // what is typed is looked for among the options behind "show all" too, which fold
        // again when the box is emptied (unless they were open before)
        list.querySelectorAll("details").forEach(function (more) {
          if (wanted !== "" && !more.open) { more.open = true; more.dataset.openedToFind = "true"; }
          if (wanted === "" && more.dataset.openedToFind) { more.open = false; delete more.dataset.openedToFind; }
        });
      });
    });
  }

  function enhance() {
    addFilterBoxes();
    var toggle = form.querySelector(".filters-toggle");
    if (toggle) {
      toggle.setAttribute("role", "button");
      toggle.setAttribute("aria-expanded", form.classList.contains("filters-open") ? "true" : "false");
    }
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.closest(".option-filter") || target.id === "id_q") return;
    load(addressOf(), true);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load(addressOf(), true);
  });
  form.addEventListener("click", function (event) {
    var toggle = event.target.closest(".filters-toggle");
    if (toggle && phone.matches) {
      event.preventDefault();
      if (form.classList.contains("filters-open")) closePanel(); else openPanel(true);
      return;
    }
    if (event.target.closest(".show-results") && phone.matches) {
      event.preventDefault();
      closePanel();
      return;
    }
    var link = event.target.closest(".chip, .pagination a, .suggestions a");
    if (link && link.origin === window.location.origin && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      load(link.href, true).then(function () {
        if (link.closest(".pagination")) {
          document.getElementById("results").focus();
          window.scrollTo(0, document.getElementById("results").offsetTop);
        }
      });
    }
  });
  form.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && form.classList.contains("filters-open")) closePanel();
  });
  var shown = window.location.search; // the search the page holds now
  window.addEventListener("popstate", function () {
    // moving between anchors (the skip link, "Show N results") changes no search
    if (window.location.search === shown) return;
    load(window.location.href, false).then(function () {
      var params = new URLSearchParams(window.location.search);
      document.getElementById("id_q").value = params.get("q") || "";
    });
  });
  window.history.replaceState({ search: true }, "", window.location.href);
  enhance();
  // An address that names the filters (the home page's places link so) opens them on a
  // phone, as the anchor shows them without JavaScript.
  if (window.location.hash === "#filters" && phone.matches) openPanel(true);
})();
