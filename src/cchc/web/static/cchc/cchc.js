/* cchc: small behaviours, no build step. Kept out of the templates so a strict Content-Security-Policy stays possible. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function initNavToggle() {
    var toggle = document.querySelector("[data-nav-toggle]");
    var nav = document.getElementById("main-nav");
    if (!toggle || !nav) return;
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("is-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function initAlerts(root) {
    (root || document).querySelectorAll("[data-dismiss]").forEach(function (button) {
      if (button.dataset.bound) return;
      button.dataset.bound = "1";
      button.addEventListener("click", function () {
        var alert = button.closest(".alert");
        if (alert) alert.remove();
      });
    });
  }

  // Charts are described by a <canvas data-chart="id-of-json-script"> and a json_script block:
  // {"type": "bar", "labels": [...], "series": [{"label": "...", "data": [...], "kind": "bar|line"}]}.
  var palette = ["#1b5fa6", "#1e7b4b", "#d99a00", "#b3261e", "#6b4fa0"];

  function initCharts(root) {
    if (typeof window.Chart === "undefined") return;
    (root || document).querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.ready) return;
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      var spec = JSON.parse(source.textContent);
      var datasets = spec.series.map(function (series, i) {
        var colour = palette[i % palette.length];
        return {
          type: series.kind || spec.type || "bar",
          label: series.label,
          data: series.data,
          backgroundColor: series.kind === "line" ? colour : colour + "cc",
          borderColor: colour,
          borderWidth: 2,
          borderRadius: 3,
          tension: 0.25,
          pointRadius: 3,
        };
      });
      window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
      window.Chart.defaults.color = "#5a6573";
      new window.Chart(canvas, {
        type: spec.type || "bar",
        data: { labels: spec.labels, datasets: datasets },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          interaction: { mode: "index", intersect: false },
          plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
          scales: {
            x: { grid: { display: false } },
            y: { beginAtZero: true, ticks: { precision: 0 }, grid: { color: "#eef1f4" } },
          },
        },
      });
      canvas.dataset.ready = "1";
    });
  }

  // Typing a date in the period picker means a custom range; choosing in a list reloads at once. (Done here, not
  // with an htmx trigger filter: those are evaluated code, which the Content-Security-Policy forbids.)
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-period-form]");
    if (!form) return;
    if (event.target.tagName === "SELECT") {
      if (form.requestSubmit) form.requestSubmit();
      else form.dispatchEvent(new Event("submit", { cancelable: true, bubbles: true }));
      return;
    }
    if (event.target.name !== "tu" && event.target.name !== "den") return;
    var select = form.querySelector("select[name=ky]");
    if (select) select.value = "tuy-chon";
  });

  // Report outline editor: "Thêm dòng" adds a formset row from the <template id="outline-empty-row">.
  function initOutlineRows() {
    var button = document.getElementById("add-row");
    var template = document.getElementById("outline-empty-row");
    var total = document.getElementById("id_muc-TOTAL_FORMS");
    var rows = document.getElementById("outline-rows");
    if (!button || !template || !total || !rows || button.dataset.bound) return;
    button.dataset.bound = "1";
    button.addEventListener("click", function () {
      var index = Number(total.value);
      rows.insertAdjacentHTML("beforeend", template.innerHTML.split("__prefix__").join(String(index)));
      total.value = String(index + 1);
    });
  }

  ready(function () {
    initNavToggle();
    initAlerts();
    initCharts();
    initOutlineRows();
  });
  // Chart.js may be loaded after this file (deferred scripts run in document order).
  window.addEventListener("load", function () { initCharts(); });
  document.addEventListener("htmx:afterSettle", function () {
    initAlerts();
    initCharts();
  });
})();
