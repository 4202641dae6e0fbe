"""The review workspace's pages, inside the admin (its sign-in, second factor and look): the
queue of drafts with its bulk actions, and one draft's review."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from curation.models import TagDecision
from curation.tagging import service
from curation.tagging.documents import for_suggesting
from curation.workspace import (
    QUEUE_PAGE_SIZE,
    SPECS,
    QueueFilter,
    ReviewForm,
    StaleReview,
    drafts,
    next_draft,
    proposed_title,
    save_review,
    still_lacks,
)
from practices.intake.stip.codebook import theme_names
from practices.models import Practice
from practices.publication import problems_of
from practices.versions import one_version

REVIEW_PERMISSION = "practices.change_practice"  # what the Curators group is given


def curators_only(view):
    """The admin's own guard (signed in, second factor), then the curator's permission."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm(REVIEW_PERMISSION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return admin.site.admin_view(checked)


def _context(request, **context):
    return {**admin.site.each_context(request), **context}


def _queue_filter(data) -> tuple[QueueFilter, dict]:
    form = QueueFilter(data)
    return form, (form.cleaned_data if form.is_valid() else {})


@curators_only
@require_http_methods(["GET", "POST"])
def queue(request):
    """The drafts waiting, filtered and ordered; bulk: confirm proposed tags, publish."""
    if request.method == "POST":
        return _bulk(request)
    form, chosen = _queue_filter(request.GET)
    page = Paginator(drafts(**chosen).prefetch_related(None), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(draft, still_lacks(draft), proposed_title(draft)) for draft in page]
    acceptance = TagDecision.objects.recent().acceptance()
    names = {
        (param, value.slug): value.name
        for param, spec in SPECS.items()
        for value in spec.model.objects.all()
    }
    for row in acceptance:
        row["name"] = names.get((row["taxonomy"], row["value"]), row["value"])
        row["label"] = SPECS[row["taxonomy"]].label if row["taxonomy"] in SPECS else row["taxonomy"]
    return render(
        request,
        "curation/queue.html",
        _context(
            request,
            title="Review queue",
            form=form,
            page=page,
            rows=rows,
            acceptance=acceptance,
            trained=service.current() is not None,
            queue_query=_queue_query(chosen),
        ),
    )


def _queue_query(chosen) -> str:
    return urlencode({name: value for name, value in chosen.items() if value})


def _kept_queue(sent: str) -> str:
    """The queue's filters a form sent back, read again as the queue reads them: only its own
    fields, valid values, encoded (never a raw string in an address)."""
    return _queue_query(_queue_filter(QueryDict(sent))[1])


def _bulk(request):
    ids = [int(pk) for pk in request.POST.getlist("practice") if pk.isdigit()]
    kept = _kept_queue(request.POST.get("queue", ""))
    back = reverse("curation:queue") + (f"?{kept}" if kept else "")
    action = request.POST.get("action")
    if not ids or action not in ("confirm", "publish"):
        messages.warning(request, "Tick at least one draft, then choose what to do with them.")
        return redirect(back)
    selected = Practice.objects.filter(pk__in=ids, is_published=False).prefetch_related(
        "challenges", "support_types"
    )
    done, refused = [], []
    with transaction.atomic():
        for practice in selected:
            if action == "confirm":
                if not practice.tags_proposed:
                    continue
                with one_version(
                    practice,
                    reason="Proposed tags confirmed in the review queue",
                    user=request.user,
                ):
                    practice.tags_proposed = False
                    practice.save()
                done.append(practice)
            else:
                problems = problems_of(practice)
                if problems:
                    refused.append(f"{practice.title}: {'; '.join(problems)}")
                    continue
                with one_version(
                    practice, reason="Published from the review queue", user=request.user
                ):
                    practice.is_published = True
                    practice.save()
                done.append(practice)
    verb = "had their proposed tags confirmed" if action == "confirm" else "published"
    messages.success(request, f"{len(done)} of {len(ids)} selected drafts {verb}.")
    for refusal in refused:
        messages.warning(request, f"Not published: {refusal}.")
    return redirect(back)


@curators_only
@require_http_methods(["GET", "POST"])
def review(request, pk):
    """One draft: the source beside the record, suggestions with their reasons, save and go to
    the next draft of the queue the curator came from."""
    practice = get_object_or_404(for_suggesting(Practice.objects.all()), pk=pk)
    suggester = service.current()
    suggestions = service.suggestions_of(practice, suggester)
    queue_query = _kept_queue(request.POST.get("queue", request.GET.get("queue", "")))
    status = 200
    if request.method == "POST":
        form = ReviewForm(request.POST, practice=practice, suggestions=suggestions)
        action = request.POST.get("action", "save")
        if action == "accept":
            form = ReviewForm(
                form.with_accepted_above(), practice=practice, suggestions=suggestions
            )
            form.errors  # noqa: B018 (shows a problem in what was typed at once)
        elif action == "recase":
            data = request.POST.copy()
            data["title"] = proposed_title(practice) or data.get("title", "")
            form = ReviewForm(data, practice=practice, suggestions=suggestions)
        elif action == "skip":
            return _to_next(practice, queue_query)
        elif form.is_valid():
            publish = action == "publish"
            problems = form.publication_problems() if publish else []
            if problems:
                form.add_error(None, f"Not published: {'; '.join(problems)}. Nothing was saved.")
                status = 400
            else:
                try:
                    reviewed = save_review(
                        practice=practice, form=form, user=request.user, publish=publish
                    )
                except StaleReview:
                    form.add_error(
                        None,
                        "Someone saved this practice after you opened it; nothing was saved. "
                        "Your changes are still in the form: open the practice in a new tab to "
                        "see theirs, then save again.",
                    )
                    status = 409
                else:
                    verb = "reviewed and published" if reviewed.published else "reviewed"
                    messages.success(request, f"“{practice.title}” {verb}.")
                    return _to_next(practice, queue_query)
        else:
            status = 400
    else:
        form = ReviewForm(practice=practice, suggestions=suggestions)
    return render(
        request,
        "curation/review.html",
        _context(
            request,
            title=f"Review: {practice.title}",
            practice=practice,
            form=form,
            taxonomies=_taxonomies(form, suggestions),
            trained=suggester is not None,
            queue_query=queue_query,
            proposed_title=proposed_title(practice),
            themes=[(code, theme_names().get(code, code)) for code in practice.source_themes],
            suggestion=getattr(practice, "suggestion", None)
            if practice.origin == "suggestion"
            else None,
        ),
        status=status,
    )


def _taxonomies(form, suggestions) -> list[dict]:
    """Each suggested taxonomy's field with, for each value, its suggestion if any."""
    taxonomies = []
    for param in SPECS:
        suggested = {s.value: s for s in suggestions.get(param, [])}
        field = form[param]
        options = [
            {"widget": widget, "suggestion": suggested.get(widget.data["value"])}
            for widget in field
        ]
        taxonomies.append({"param": param, "field": field, "options": options})
    return taxonomies


def _to_next(practice, queue_query):
    _, chosen = _queue_filter(QueryDict(queue_query))
    ids = list(drafts(**chosen).values_list("pk", flat=True))
    following = next_draft(practice, ids)
    suffix = f"?{urlencode({'queue': queue_query})}" if queue_query else ""
    if following is None:
        return redirect(reverse("curation:queue") + (f"?{queue_query}" if queue_query else ""))
    return redirect(reverse("curation:review", args=[following]) + suffix)
