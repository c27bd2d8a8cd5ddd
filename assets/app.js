// Small enhancements only; every page works without scripts.
document.addEventListener("DOMContentLoaded", () => {
  // "/" jumps to the quick search, as in many office tools.
  document.addEventListener("keydown", (e) => {
    const q = document.getElementById("quick-q");
    if (e.key === "/" && q && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) {
      e.preventDefault();
      q.focus();
    }
  });
  // Ask before confirming irreversible actions.
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (e) => {
      if (!window.confirm(form.dataset.confirm)) e.preventDefault();
    });
  }
});
