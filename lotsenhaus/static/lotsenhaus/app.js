// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("htmx:afterSwap", (event) => {
  // Move focus to swapped-in results so screen-reader users learn that the content changed.
  const target = event.detail.target;
  if (target && target.id && target.id.endsWith("-results")) {
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }
});

// Destructive forms ask once more (forms carry the question in data-confirm; no inline script needed).
document.addEventListener("submit", (event) => {
  const question = event.target.dataset ? event.target.dataset.confirm : undefined;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Long work (e.g. writing a report): the button says what is happening and cannot be pressed twice.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (event.defaultPrevented || !form.dataset || !form.dataset.busy) {
    return;
  }
  const button = form.querySelector("button[type=submit]");
  const status = form.querySelector("[role=status]");
  if (button) {
    button.setAttribute("aria-disabled", "true");
    button.addEventListener("click", (click) => click.preventDefault());
  }
  if (status) {
    status.textContent = form.dataset.busy;
  }
});
