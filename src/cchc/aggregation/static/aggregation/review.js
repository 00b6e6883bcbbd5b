// The review page of an imported report: "Thêm một dòng" adds a row for another figure, "Bỏ" greys its row out,
// a figure's "Câu nguồn" scrolls the document's text to its marked sentence (and a marked sentence to its figure).
// Without this file the page still works: three empty rows to add figures, the checkbox, the anchors.
(function () {
  "use strict";

  function current(anchor) {
    document.querySelectorAll(".is-current").forEach(function (el) { el.classList.remove("is-current"); });
    document.querySelectorAll('[data-anchor="' + anchor + '"]').forEach(function (el) {
      if (el.tagName === "MARK" || el.tagName === "TR") el.classList.add("is-current");
    });
  }

  function showSource(link, event) {
    var anchor = link.dataset.anchor;
    var mark = document.getElementById(anchor);
    if (!mark) return;
    event.preventDefault();
    current(anchor);
    mark.scrollIntoView({ block: "center", behavior: "smooth" });
    if (history.replaceState) history.replaceState(null, "", "#" + anchor);
  }

  function showFigure(mark) {
    var row = document.querySelector('tr.figure-row[data-anchor="' + mark.dataset.anchor + '"], ' +
      '#review-figures tr[data-anchor="' + mark.dataset.anchor + '"]');
    if (!row) return;
    current(mark.dataset.anchor);
    row.scrollIntoView({ block: "center", behavior: "smooth" });
    var input = row.querySelector("input.figure-input");
    if (input) input.focus({ preventScroll: true });
  }

  function addRow() {
    var body = document.querySelector("#figure-additions tbody");
    var rows = body ? body.querySelectorAll("tr.figure-new") : [];
    if (!rows.length) return;
    var copy = rows[rows.length - 1].cloneNode(true);
    copy.classList.remove("has-error");
    copy.querySelectorAll("input").forEach(function (el) { el.value = ""; el.removeAttribute("aria-invalid"); });
    copy.querySelectorAll("select").forEach(function (el) { el.selectedIndex = 0; });
    body.appendChild(copy);
    copy.querySelector("select").focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var add = document.getElementById("add-figure-row");
    if (add) {
      add.hidden = false;
      add.addEventListener("click", addRow);
    }
    document.querySelectorAll(".remove-toggle input[type=checkbox]").forEach(function (box) {
      box.addEventListener("change", function () {
        var row = box.closest("tr");
        row.classList.toggle("is-removed", box.checked);
        var input = row.querySelector("input.figure-input");
        if (input) input.readOnly = box.checked;
      });
    });
    document.querySelectorAll("a.source-link").forEach(function (link) {
      link.addEventListener("click", function (event) { showSource(link, event); });
    });
    document.querySelectorAll("mark.source").forEach(function (mark) {
      mark.addEventListener("click", function () { showFigure(mark); });
    });
  });
})();
