/* The officials' dashboards: each <canvas data-chart> is drawn with Chart.js (served by the
   portal) from the json_script block it names. The page gives the same numbers as a table
   after each chart, so the canvas itself is only a picture for those who can see it. Under
   Persian the time axis runs right to left and numbers use Persian digits; the month names
   come from the server (Jalali under Persian). */
(function () {
  "use strict";

  // Distinguishable colours (Okabe–Ito), in the order series come.
  const COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
    "#F0E442", "#000000", "#999999", "#7a4f9a", "#2f6f4f", "#a0522d"];

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    const root = document.documentElement;
    const rtl = root.dir === "rtl";
    const locale = root.lang === "fa" ? "fa-IR" : root.lang || "en";
    const font = getComputedStyle(document.body).fontFamily;
    const horizontal = Boolean(data.horizontal);
    const valueAxis = horizontal ? "x" : "y";
    const labelAxis = horizontal ? "y" : "x";
    const scales = {
      [labelAxis]: { stacked: data.stacked, reverse: rtl && !horizontal, ticks: { autoSkip: false } },
      [valueAxis]: {
        stacked: data.stacked,
        beginAtZero: true,
        reverse: rtl && horizontal,
        position: horizontal ? "bottom" : (rtl ? "right" : "left"),
        ticks: { precision: 0 },
      },
    };
    if (horizontal) scales.y.position = rtl ? "right" : "left";
    canvas.chart = new Chart(canvas, {
      type: data.type || "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map((series, index) => ({
          label: series.label,
          data: series.data,
          backgroundColor: COLOURS[index % COLOURS.length],
          borderColor: COLOURS[index % COLOURS.length],
        })),
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        locale,
        maintainAspectRatio: false,
        animation: false,
        font: { family: font },
        scales,
        plugins: {
          legend: { display: data.series.length > 1, rtl, textDirection: rtl ? "rtl" : "ltr",
            labels: { font: { family: font } } },
          tooltip: { rtl, textDirection: rtl ? "rtl" : "ltr" },
        },
      },
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
