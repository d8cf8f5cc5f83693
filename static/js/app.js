// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Ask before destructive or irreversible actions: <button data-confirm="确定…？">
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var trigger = event.submitter || form.querySelector("[data-confirm]");
    var question = (trigger && trigger.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    // no double submission while the first one is on its way
    if (form.dataset.submitting === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
    window.setTimeout(function () { form.dataset.submitting = ""; }, 8000);
  });
})();
