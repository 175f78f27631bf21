/* The leaders' dashboard (领导驾驶舱): draws the charts of reports/dashboard.html from
   the json_script element "dashboard-data" (fazhi.reports.dashboard.chart_data). Each
   chart has its figures in a table beside it; the charts are a picture of those. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var BLUE = "#0d6efd", TEAL = "#20c997", ORANGE = "#fd7e14", RED = "#dc3545",
      GREEN = "#198754", GREY = "#6c757d";
  var GRID_LINE = { lineStyle: { color: "#e9ecef" } };
  var charts = [];

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    option.animation = false;
    chart.setOption(option);
    charts.push(chart);
    return chart;
  }

  function monthAxis() {
    return { type: "category", data: data.months, axisTick: { alignWithLabel: true },
             axisLabel: { hideOverlap: true } };
  }

  function bar(name, values, color) {
    return { name: name, type: "bar", data: values, barMaxWidth: 18,
             itemStyle: { color: color } };
  }

  function line(name, values, color, axis) {
    return { name: name, type: "line", data: values, yAxisIndex: axis || 0,
             symbolSize: 6, connectNulls: false, itemStyle: { color: color },
             lineStyle: { width: 2 } };
  }

  var grid = { left: 8, right: 8, top: 40, bottom: 8, containLabel: true };

  // Inspections (bars, left axis) and cases filed (line, right axis): different sizes.
  draw("dash-work", {
    grid: grid, tooltip: { trigger: "axis" },
    legend: { top: 0, data: data.work.labels },
    xAxis: monthAxis(),
    yAxis: [{ type: "value", minInterval: 1, splitLine: GRID_LINE },
            { type: "value", minInterval: 1, splitLine: { show: false } }],
    series: [bar(data.work.labels[0], data.work.bars[0], BLUE),
             line(data.work.labels[1], data.work.bars[1], ORANGE, 1)]
  });

  draw("dash-fines", {
    grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis" },
    xAxis: monthAxis(),
    yAxis: { type: "value", splitLine: GRID_LINE },
    series: [bar(data.fines.label, data.fines.values, TEAL)]
  });

  // Hazards found and rectified (bars), the rectification rate (line, right axis, %).
  draw("dash-hazards", {
    grid: grid, tooltip: { trigger: "axis" },
    legend: { top: 0, data: data.hazards.labels },
    xAxis: monthAxis(),
    yAxis: [{ type: "value", minInterval: 1, splitLine: GRID_LINE },
            { type: "value", min: 0, max: 100, splitLine: { show: false },
              axisLabel: { formatter: "{value}%" } }],
    series: [bar(data.hazards.labels[0], data.hazards.bars[0], ORANGE),
             bar(data.hazards.labels[1], data.hazards.bars[1], GREEN),
             line(data.hazards.labels[2], data.hazards.rate, GREY, 1)]
  });

  draw("dash-accidents", {
    grid: grid, tooltip: { trigger: "axis" },
    legend: { top: 0, data: data.accidents.labels },
    xAxis: monthAxis(),
    yAxis: [{ type: "value", minInterval: 1, splitLine: GRID_LINE }],
    series: [bar(data.accidents.labels[0], data.accidents.bars[0], BLUE),
             bar(data.accidents.labels[1], data.accidents.bars[1], RED)]
  });

  // Open cases by stage: horizontal bars keep the long stage names readable on a phone.
  draw("dash-pipeline", {
    grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "value", minInterval: 1, splitLine: GRID_LINE },
    yAxis: { type: "category", data: data.pipeline.labels, inverse: true,
             axisTick: { show: false },
             axisLabel: { width: 110, overflow: "truncate" } },
    series: [{ type: "bar", data: data.pipeline.counts, barMaxWidth: 18,
               itemStyle: { color: BLUE }, label: { show: true, position: "right" } }]
  });

  // The areas compared: one figure at a time, as their sizes differ; the radio buttons
  // above the chart (#dash-areas-switch) choose which.
  if (data.areas.labels.length) {
    var colors = [BLUE, TEAL, GREEN, ORANGE, RED];
    // Counts step by whole numbers; money (万元, the second figure) by any amount.
    var areaAxis = function (i) {
      return { type: "value", splitLine: GRID_LINE, minInterval: i === 1 ? 0 : 1 };
    };
    var areaSeries = function (i) {
      var s = data.areas.series[i];
      return [{ name: s.name, type: "bar", data: s.values, barMaxWidth: 16,
                itemStyle: { color: colors[i % colors.length] },
                label: { show: true, position: "right" } }];
    };
    var areasChart = draw("dash-areas", {
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: areaAxis(0),
      yAxis: { type: "category", data: data.areas.labels, inverse: true,
               axisTick: { show: false },
               axisLabel: { width: 96, overflow: "truncate" } },
      series: areaSeries(0)
    });
    var switcher = document.getElementById("dash-areas-switch");
    if (switcher && areasChart) {
      switcher.addEventListener("change", function (event) {
        var i = parseInt(event.target.value, 10);
        if (!isNaN(i) && data.areas.series[i]) {
          areasChart.setOption({ xAxis: areaAxis(i), series: areaSeries(i) },
                               { replaceMerge: ["series"] });
        }
      });
    }
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
