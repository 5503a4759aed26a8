// Family tree: "expand all" / "collapse all" over the <details> branches (the tree works
// without this script; it only saves clicks on large families).
document.addEventListener("click", (event) => {
  const control = event.target.closest("[data-tree]");
  if (!control) return;
  event.preventDefault();
  const open = control.dataset.tree === "open";
  for (const branch of document.querySelectorAll(".family-tree details")) branch.open = open;
});
