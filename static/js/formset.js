// "增加一人": copies the formset's empty form with the next index (Django formset prefix "form").
(function () {
  "use strict";
  var button = document.getElementById("add-liaison");
  var template = document.getElementById("liaison-empty");
  var total = document.getElementById("id_form-TOTAL_FORMS");
  if (!button || !template || !total) { return; }
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    document.getElementById("liaison-rows").insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
  });
})();
