/* Small ECharts bar charts. Each `.fz-chart` element with id X reads its data from the
   json_script element X-data: {"labels": [...], "counts": [...]}. Horizontal bars keep
   long Chinese category names readable on a phone. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var charts = [];
  document.querySelectorAll(".fz-chart").forEach(function (el) {
    var source = document.getElementById(el.id + "-data");
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: "#e9ecef" } } },
      yAxis: { type: "category", data: data.labels, inverse: true,
               axisTick: { show: false } },
      series: [{ type: "bar", data: data.counts, barMaxWidth: 22,
                 itemStyle: { color: "#0d6efd" },
                 label: { show: true, position: "right" } }]
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
