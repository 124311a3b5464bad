// The calendar page's chart code (reports/html/calendar_html.cc): what a chart's JSON cannot
// carry, functions. Inlined after report_charts.js, whose cjsimDrawCharts hands it each spec
// with a "calendar" kind before drawing it:
//   "band":     lines with their 95% band (series named "... low" and "... band" are the band);
//               the tooltip lists each line's value with its interval, in the chart's unit.
//   "timeline": a day in the life: a row per day, the hours of the day across, a grey bar
//               while the agent waited, a bar coloured by the emotion it left while it was
//               served, a cross where it gave up; data rows [row, start, end, kind, emotion,
//               label], each journey ("states" of them) in a lane of its own within a row.
(function (global) {
  "use strict";

  function fmt(value, spec) {
    if (value === null || value === undefined || isNaN(value)) return "n/a";
    return Number(value).toFixed(spec.decimals === undefined ? 1 : spec.decimals) + (spec.unit || "");
  }

  function bandTooltip(spec) {
    return function (params) {
      if (!params.length) return "";
      var lines = [params[0].axisValueLabel];
      var lows = {};
      params.forEach(function (p) {
        if (/ low$/.test(p.seriesName)) lows[p.seriesName.slice(0, -4)] = p.value;
      });
      params.forEach(function (p) {
        if (/ (low|band)$/.test(p.seriesName)) return;
        var line = p.marker + p.seriesName + ": " + fmt(p.value, spec);
        var band = null;
        params.forEach(function (q) { if (q.seriesName === p.seriesName + " band") band = q.value; });
        var low = lows[p.seriesName];
        if (band !== null && low !== undefined && low !== null) {
          line += " [" + fmt(low, spec) + ", " + fmt(low + band, spec) + "]";
        }
        lines.push(line);
      });
      return lines.join("<br>");
    };
  }

  // Red for a bad experience, grey neutral, green for a good one (as the journey map's cards).
  function emotionColour(e) {
    if (e === null || isNaN(e)) return "#9aa3ae";
    var t = Math.max(-1, Math.min(1, e));
    if (t < 0) return "rgb(" + Math.round(200 + 0 * t) + "," + Math.round(200 + 150 * t) + "," + Math.round(200 + 150 * t) + ")";
    return "rgb(" + Math.round(200 - 170 * t) + "," + Math.round(200 - 45 * t) + "," + Math.round(200 - 130 * t) + ")";
  }

  // Each journey's bars in a lane of their own within the touchpoint's row, the current state's
  // on top, edged in the journey's colour.
  function renderStep(states, params, api) {
    var row = api.value(0);
    var lane = api.size([0, 1])[1] * 0.8 / states;
    var shift = (params.seriesIndex - (states - 1) / 2) * lane;
    var start = api.coord([api.value(1), row]);
    var end = api.coord([api.value(2), row]);
    start[1] += shift;
    end[1] += shift;
    var kind = api.value(3);
    var height = lane * (kind === "wait" ? 0.45 : 0.8);
    var edge = api.visual("color");
    if (kind === "abandon") {
      var s = 7;
      return {type: "group", children: [
        {type: "line", shape: {x1: start[0] - s, y1: start[1] - s, x2: start[0] + s, y2: start[1] + s},
         style: {stroke: "#c62828", lineWidth: 2.5}},
        {type: "line", shape: {x1: start[0] - s, y1: start[1] + s, x2: start[0] + s, y2: start[1] - s},
         style: {stroke: "#c62828", lineWidth: 2.5}}]};
    }
    var width = Math.max(3, end[0] - start[0]);
    return {type: "rect",
            shape: {x: start[0], y: start[1] - height / 2, width: width, height: height},
            style: {fill: kind === "wait" ? "#b8bec8" : emotionColour(api.value(4)),
                    stroke: states > 1 ? edge : "#1d2330", lineWidth: states > 1 ? 1.5 : 0.5}};
  }

  function timeline(spec) {
    spec.option.series.forEach(function (series) {
      if (series.type === "custom") series.renderItem = renderStep.bind(null, spec.states || 1);
    });
    spec.option.tooltip = {trigger: "item", confine: true, formatter: function (p) {
      return p.marker + (p.value[5] || "");
    }};
    spec.option.xAxis.axisLabel = {hideOverlap: true, showMaxLabel: false, formatter: function (h) {
      return String(Math.floor(h)).padStart(2, "0") + ":00";
    }};
  }

  global.cjsimCalendarChart = function (spec) {
    if (spec.calendar === "band") {
      spec.option.tooltip = {trigger: "axis", formatter: bandTooltip(spec)};
      spec.option.yAxis.axisLabel = {formatter: function (v) { return fmt(v, {unit: spec.unit, decimals: spec.axis_decimals === undefined ? 0 : spec.axis_decimals}); }};
    } else if (spec.calendar === "timeline") {
      timeline(spec);
    }
  };
})(window);
