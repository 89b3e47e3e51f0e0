// Driver-diagram outline: after htmx swaps the outline in place, the keyboard focus goes
// back to the node acted on (the button pressed if it is still there), so moving a node
// several steps is pressing Enter several times. A form that needs correcting (400) is
// swapped in too, instead of being dropped.
document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  if (event.detail.xhr.status === 400 && target instanceof Element && target.id === "diagram-outline") {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

document.addEventListener("htmx:afterSettle", () => {
  const outline = document.getElementById("diagram-outline");
  if (!outline) return;
  const keep = outline.dataset.keepFocus && document.getElementById(outline.dataset.keepFocus);
  const next = keep || (outline.dataset.focus && document.getElementById(outline.dataset.focus));
  if (next instanceof HTMLElement && document.activeElement !== next) {
    next.focus();
  }
  outline.dataset.keepFocus = "";
  outline.dataset.focus = "";
});
