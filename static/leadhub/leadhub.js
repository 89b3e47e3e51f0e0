// Small, purposeful behaviour under a strict Content-Security-Policy (no inline script).
// Asks before a form marked data-confirm is sent, so a slip of the keyboard changes nothing.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
