/* The plan's progress by owner unit: horizontal stacked bars of done and open tasks.
   Reads {"labels", "done", "open", "rates"} from the json_script element <id>-data. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  document.querySelectorAll(".fz-progress-chart").forEach(function (el) {
    var source = document.getElementById(el.id + "-data");
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      legend: { top: 0, data: ["已完成", "未完成"] },
      grid: { left: 8, right: 56, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
                 formatter: function (items) {
                   var i = items[0].dataIndex;
                   return data.labels[i] + "<br>已完成 " + data.done[i] + "，未完成 " +
                     data.open[i] + "，完成率 " + data.rates[i] + "%";
                 } },
      xAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: "#e9ecef" } } },
      yAxis: { type: "category", data: data.labels, inverse: true, axisTick: { show: false },
               axisLabel: { width: 180, overflow: "truncate" } },
      series: [
        { name: "已完成", type: "bar", stack: "n", data: data.done, barMaxWidth: 18,
          itemStyle: { color: "#198754" } },
        { name: "未完成", type: "bar", stack: "n", data: data.open, barMaxWidth: 18,
          itemStyle: { color: "#adb5bd" },
          label: { show: true, position: "right", color: "#212529",
                   formatter: function (p) { return data.rates[p.dataIndex] + "%"; } } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
