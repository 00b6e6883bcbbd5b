// Procedure parts editor: "Thêm dòng" adds a formset row from <template id="part-empty-row"> (without JavaScript the
// page already offers one blank row; saving gives another).
(function () {
  "use strict";
  function init() {
    var button = document.getElementById("add-part-row");
    var template = document.getElementById("part-empty-row");
    var rows = document.getElementById("part-rows");
    if (!button || !template || !rows) return;
    var total = document.getElementById("id_" + button.dataset.prefix + "-TOTAL_FORMS");
    if (!total) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = Number(total.value);
      rows.insertAdjacentHTML("beforeend", template.innerHTML.split("__prefix__").join(String(index)));
      total.value = String(index + 1);
      var highest = 0;
      rows.querySelectorAll("input[name$='-position']").forEach(function (input) {
        highest = Math.max(highest, Number(input.value) || 0);
      });
      var position = rows.lastElementChild && rows.lastElementChild.querySelector("input[name$='-position']");
      if (position && !position.value) position.value = String(highest + 1);
      var first = rows.lastElementChild && rows.lastElementChild.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });
  }
  if (document.readyState !== "loading") init();
  else document.addEventListener("DOMContentLoaded", init);
})();
