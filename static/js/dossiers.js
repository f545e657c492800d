// Dossier pages: show the chosen procedure's document checklist; print buttons.
(function () {
  "use strict";
  function showChecklist(select) {
    document.querySelectorAll(".doc-checklist").forEach(function (box) {
      box.hidden = box.dataset.procedure !== select.value;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var select = document.querySelector("#intake-form select[name=procedure]");
    if (select) {
      select.addEventListener("change", function () { showChecklist(select); });
      showChecklist(select);
    }
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
