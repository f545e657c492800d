/* Results page: the month-by-month chart (Chart.js). The table stays as the fallback
   without JavaScript and for screen readers. No inline code anywhere (CSP). */
(function () {
  "use strict";
  function draw() {
    var dataEl = document.getElementById("trend-data");
    var box = document.getElementById("trend-chart-box");
    var canvas = document.getElementById("trend-chart");
    if (!dataEl || !box || !canvas || typeof window.Chart === "undefined") return;
    var data = JSON.parse(dataEl.textContent);
    box.classList.remove("d-none");
    var tableBox = document.getElementById("trend-table-box");
    if (tableBox) tableBox.removeAttribute("open");
    new window.Chart(canvas, {
      data: {
        labels: data.labels,
        datasets: [
          { type: "line", label: data.rateLabel, data: data.rates, yAxisID: "rate", borderColor: "#0a58ca",
            backgroundColor: "#0a58ca", spanGaps: true, tension: 0.2 },
          { type: "bar", label: data.responsesLabel, data: data.responses, yAxisID: "count",
            backgroundColor: "rgba(108, 117, 125, 0.35)" }
        ]
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          rate: { position: "left", min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } },
          count: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false } }
        }
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
