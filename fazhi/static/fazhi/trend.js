/* The month trend of the accident statistics page: bars for accidents, a line for
   deaths. Data from the json_script element "accident-trend-data". */
(function () {
  "use strict";
  var el = document.getElementById("accident-trend");
  var source = document.getElementById("accident-trend-data");
  if (!el || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, data: [data.count_label, data.deaths_label] },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: data.months, axisTick: { alignWithLabel: true } },
    yAxis: [
      { type: "value", name: data.count_label, minInterval: 1,
        splitLine: { lineStyle: { color: "#e9ecef" } } },
      { type: "value", name: data.deaths_label, minInterval: 1, splitLine: { show: false } }
    ],
    series: [
      { name: data.count_label, type: "bar", data: data.counts, barMaxWidth: 28,
        itemStyle: { color: "#0d6efd" }, label: { show: true, position: "top" } },
      { name: data.deaths_label, type: "line", yAxisIndex: 1, data: data.deaths,
        symbolSize: 7, itemStyle: { color: "#dc3545" }, lineStyle: { width: 2 } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
