// A page that answers a form with its errors moves focus to the error summary, so keyboard and
// screen reader users start at the list of what to correct (the GOV.UK Design System pattern).
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.querySelector(".error-summary");
    if (!summary) { return; }
    if (!summary.hasAttribute("tabindex")) { summary.setAttribute("tabindex", "-1"); }
    summary.focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
