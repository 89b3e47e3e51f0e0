// Small, purposeful behaviour under a strict Content-Security-Policy (no inline script).
// Asks before a form marked data-confirm is sent, so a slip of the keyboard changes nothing.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// A table wider than the screen scrolls sideways inside its .table-wrap. Keyboard users can
// only scroll what they can focus, so a wrap that overflows becomes a named, focusable region.
function makeScrollableTablesFocusable(root) {
  root.querySelectorAll(".table-wrap").forEach((wrap) => {
    const overflows = wrap.scrollWidth > wrap.clientWidth + 1;
    if (overflows && !wrap.hasAttribute("tabindex")) {
      const caption = wrap.querySelector("caption");
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
    }
  });
}
document.addEventListener("DOMContentLoaded", () => makeScrollableTablesFocusable(document));
document.addEventListener("htmx:afterSettle", (event) => makeScrollableTablesFocusable(event.target));
window.addEventListener("resize", () => makeScrollableTablesFocusable(document));
