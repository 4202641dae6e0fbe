// The review form's keyboard shortcuts: a key outside a text box presses the button that
// names it (data-key). Without this script the buttons do the same.
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target.closest("input[type=text], input[type=number], textarea, select")) return;
  const button = document.querySelector(`#review-form button[data-key="${event.key}"]`);
  if (button) {
    event.preventDefault();
    button.click();
  }
});
