// Progressive enhancement for Manage Orders: "select this page" ticks every row box.
// Everything works without it; no inline scripts, so a strict Content-Security-Policy holds.
document.addEventListener("DOMContentLoaded", function () {
  var all = document.getElementById("select-page");
  if (!all) return;
  all.hidden = false;
  all.addEventListener("change", function () {
    document.querySelectorAll("input.row-select").forEach(function (box) { box.checked = all.checked; });
  });
});
