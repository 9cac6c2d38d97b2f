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

// Nothing typed is lost on pages with several forms (issue 17, D2): submitting one form (e.g. "add a
// reference") keeps what was typed but not yet saved in the others, and puts it back after the page reloads,
// with a notice that it still needs saving. Kept in sessionStorage for this tab and page only.
(() => {
  const KEY = "lotsenhaus-unsaved:" + window.location.pathname;
  const SKIP = new Set(["hidden", "file", "password", "submit", "button", "reset"]);
  const formKey = (form, index) => {
    const named = form.querySelector("input[type=hidden][name=form]");
    return (form.getAttribute("action") || "") + "#" + (named ? named.value : index);
  };
  const fields = (form) =>
    Array.from(form.elements).filter((field) => field.name && !SKIP.has(field.type) && !field.disabled);
  const changed = (field) => {
    if (field.type === "checkbox" || field.type === "radio") {
      return field.checked !== field.defaultChecked;
    }
    if (field.tagName === "SELECT") {
      return Array.from(field.options).some((option) => option.selected !== option.defaultSelected);
    }
    return field.value !== field.defaultValue;
  };
  document.addEventListener("submit", (event) => {
    const submitted = event.target;
    if (event.defaultPrevented || (submitted.method || "").toLowerCase() !== "post") {
      return;
    }
    const forms = Array.from(document.querySelectorAll("main form"));
    const unsaved = {};
    forms.forEach((form, index) => {
      if (form === submitted || (form.method || "").toLowerCase() !== "post") {
        return;
      }
      const dirty = fields(form).filter(changed);
      if (dirty.length) {
        unsaved[formKey(form, index)] = fields(form).map((field) => ({
          name: field.name,
          value: field.value,
          checked: field.type === "checkbox" || field.type === "radio" ? field.checked : null,
          selected: field.tagName === "SELECT" ? Array.from(field.selectedOptions).map((o) => o.value) : null,
        }));
      }
    });
    if (Object.keys(unsaved).length) {
      sessionStorage.setItem(KEY, JSON.stringify(unsaved));
    }
  });
  document.addEventListener("DOMContentLoaded", () => {
    const stored = sessionStorage.getItem(KEY);
    if (!stored) {
      return;
    }
    sessionStorage.removeItem(KEY);
    const unsaved = JSON.parse(stored);
    Array.from(document.querySelectorAll("main form")).forEach((form, index) => {
      const values = unsaved[formKey(form, index)];
      if (!values) {
        return;
      }
      const pool = fields(form);
      values.forEach((kept) => {
        pool
          .filter((field) => field.name === kept.name)
          .forEach((field) => {
            if (kept.checked !== null) {
              if (field.value === kept.value) {
                field.checked = kept.checked;
              }
            } else if (kept.selected !== null) {
              Array.from(field.options).forEach((option) => {
                option.selected = kept.selected.includes(option.value);
              });
            } else {
              field.value = kept.value;
            }
          });
      });
      const notice = document.createElement("p");
      notice.className = "kern-body unsaved-notice";
      notice.setAttribute("role", "status");
      notice.textContent = document.body.dataset.unsavedNotice || "";
      form.prepend(notice);
    });
  });
})();
