// Model page: a lineage wider or taller than its frame (a deep ancestry, a merge of many
// models) is scrolled just enough for the model itself to be in view, keeping as many of its
// neighbours visible as fit.
const MARGIN = 24;
for (const wrap of document.querySelectorAll(".lineage-wrap")) {
  const focus = wrap.querySelector(".node.focus rect");
  if (!focus) continue;
  wrap.style.maxHeight = "75vh";
  wrap.style.overflow = "auto";
  const view = wrap.getBoundingClientRect();
  const box = focus.getBoundingClientRect();
  if (box.right + MARGIN > view.right) wrap.scrollLeft += box.right + MARGIN - view.right;
  else if (box.left - MARGIN < view.left) wrap.scrollLeft -= view.left - box.left + MARGIN;
  if (box.bottom + MARGIN > view.bottom) wrap.scrollTop += box.bottom + MARGIN - view.bottom;
  else if (box.top - MARGIN < view.top) wrap.scrollTop -= view.top - box.top + MARGIN;
}
