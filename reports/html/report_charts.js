// The charts of cjsim's HTML report, drawn by Apache ECharts from the chart data the report
// builds (reports/html/html_charts.cc; chart_data_json): one copy, inlined by the report's page
// and served by the studio at /report_charts.js. Each spec is {id, option, height, and either
// views (sets of series the reader switches between), sankey (its nodes' columns) or calendar
// (a calendar chart's kind, completed by calendar_charts.js)}.
// cjsimDrawCharts(specs, {errors, animation, document}) draws each spec into the element of its
// id, keeps them fitted to their width, and returns {charts, resize, dispose}.
(function (global) {
  "use strict";
  // A Sankey's labels wrap, in at most two lines, within the room between their column and
  // the next; the last column's go into a margin on the right. Each column gets at least 70 px,
  // so a long journey's Sankey is wider than a narrow screen and scrolls sideways in its box.
  // Longer names are cut, whole on hover.
  function fitSankey(chart, spec, element) {
    var series = spec.option.series[0];
    var columns = spec.sankey.columns;
    var right = 150;
    element.style.minWidth = (series.left + right + series.nodeWidth + (columns - 1) * 70) + "px";
    chart.resize();
    series.right = Math.round(Math.min(right, element.clientWidth * 0.16));
    var width = element.clientWidth - series.left - series.right;
    var spacing = columns > 1 ? (width - series.nodeWidth) / (columns - 1) : width;
    series.data.forEach(function (node, i) {
      var room = spec.sankey.depth[i] === columns - 1 ? series.right : spacing - series.nodeWidth;
      node.label = {width: Math.max(20, Math.floor(room - 8)), height: 26};
    });
    chart.setOption({series: [{right: series.right, data: series.data}]});
  }

  // Buttons that switch a chart between sets of series (all customers, each persona).
  function addViews(chart, spec, element, doc) {
    var bar = doc.createElement("div");
    bar.className = "views";
    bar.appendChild(doc.createTextNode("Show: "));
    spec.views.forEach(function (view, i) {
      var button = doc.createElement("button");
      button.type = "button";
      button.textContent = view.label;
      button.setAttribute("aria-pressed", i === 0 ? "true" : "false");
      button.addEventListener("click", function () {
        chart.setOption({series: view.series}, {replaceMerge: ["series"]});
        var all = bar.getElementsByTagName("button");
        for (var b = 0; b < all.length; b++) all[b].setAttribute("aria-pressed", "false");
        button.setAttribute("aria-pressed", "true");
      });
      bar.appendChild(button);
    });
    element.parentNode.insertBefore(bar, element);
    return bar;
  }

  function cjsimDrawCharts(specs, options) {
    options = options || {};
    var errors = options.errors || [];
    var doc = options.document || global.document;
    var charts = [];
    specs.forEach(function (spec) {
      var element = doc.getElementById(spec.id);
      try {
        if (!element) throw new Error("no element for the chart");
        if (typeof global.echarts === "undefined") throw new Error("the ECharts library did not load");
        if (options.animation === false) spec.option.animation = false;
        // A chart of the calendar's page (reports/html/calendar_charts.js) gets its functions.
        if (spec.calendar && global.cjsimCalendarChart) global.cjsimCalendarChart(spec);
        var chart = global.echarts.init(element, null, {renderer: "canvas"});
        chart.setOption(spec.option);
        if (spec.sankey) fitSankey(chart, spec, element);
        var bar = spec.views ? addViews(chart, spec, element, doc) : null;
        charts.push({chart: chart, spec: spec, element: element, bar: bar});
      } catch (e) {
        errors.push(spec.id + ": " + e.message);
      }
    });
    function resize() {
      charts.forEach(function (c) {
        c.chart.resize();
        if (c.spec.sankey) fitSankey(c.chart, c.spec, c.element);
      });
    }
    function dispose() {
      charts.forEach(function (c) {
        c.chart.dispose();
        if (c.bar && c.bar.parentNode) c.bar.parentNode.removeChild(c.bar);
      });
      charts = [];
    }
    return {charts: charts, resize: resize, dispose: dispose};
  }

  global.cjsimDrawCharts = cjsimDrawCharts;
})(window);
