// The portal's own script. Every page works without it; it only makes things
// smoother where JavaScript runs.
(function () {
  "use strict";
  document.documentElement.classList.remove("no-js");

  // Move focus to an error summary when one appears, on load or after an htmx
  // swap, so keyboard and screen-reader users land on what went wrong.
  function focusErrorSummary(root) {
    var summary = root.querySelector("[data-autofocus]");
    if (summary) summary.focus();
  }
  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    focusErrorSummary(event.target);
  });
})();
