// Measures pages: a value form that needs correcting (400) or that someone else saved
// first (409) comes back in place of the form, instead of being dropped by htmx.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  const target = event.detail.target;
  if ((status === 400 || status === 409) && target instanceof Element && target.closest("[data-swap-errors]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
