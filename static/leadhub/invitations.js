// The bulk invitation page answers a list it cannot read with 400 and the form's errors.
// htmx leaves 4xx responses unswapped by default; inside [data-swap-errors] the explanation
// is the content, so show it. Works the same without JavaScript (full-page form posts).
document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  if (event.detail.xhr.status === 400 && target instanceof Element && target.closest("[data-swap-errors]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
