/* Month-by-month charts of the KPI dashboard. Data: the json_script "kpi-series";
   each <canvas class="kpi-chart" data-series="key,key"> draws those series.
   Without JavaScript the table under the charts shows the same numbers. */
(function () {
  "use strict";
  var COLOURS = ["#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1"];

  function draw() {
    var source = document.getElementById("kpi-series");
    if (!source || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    document.querySelectorAll("canvas.kpi-chart").forEach(function (canvas) {
      var keys = (canvas.dataset.series || "").split(",").filter(Boolean);
      var datasets = keys.map(function (key, index) {
        return {
          label: data.names[key] || key,
          data: data.series[key] || [],
          borderColor: COLOURS[index % COLOURS.length],
          backgroundColor: COLOURS[index % COLOURS.length],
          spanGaps: true,
          tension: 0.2
        };
      });
      new window.Chart(canvas, {
        type: "line",
        data: { labels: data.labels, datasets: datasets },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          scales: { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } },
          plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
