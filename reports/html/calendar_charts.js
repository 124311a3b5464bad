// The calendar page's chart code (reports/html/calendar_html.cc): what a chart's JSON cannot
// carry, functions. Inlined after report_charts.js, whose cjsimDrawCharts hands it each spec
// with a "calendar" kind before drawing it:
//   "band":     lines with their 95% band (series named "... low" and "... band" are the band);
//               the tooltip lists each line's value with its interval, in the chart's unit.
//   "timeline": a day in the life: a row per day, the hours of the day across, a grey bar
//               while the agent waited, a bar coloured by the emotion it left while it was
//               served, a cross where it gave up; data rows [row, start, end, kind, emotion,
//               label], each journey ("states" of them) in a lane of its own within a row.
//   "heatmap":  every customer's week: hours of the day across, weekdays (Monday first) down,
//               each cell the visits that started in that hour or the mean emotion they left,
//               for the persona, touchpoint (or all) and state chosen in the <select
//               data-heat> controls beside the chart; hours the touchpoint is closed hatched.
//               spec.heat: {personas, touchpoints, weekdays, replications, states: [{name,
//               rows: [{persona, touchpoint, visits[168], emotion[168]}], open: {touchpoint:
//               minutes open in each of the 168 hours}}]}.
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

  function pad(h) { return String(h).padStart(2, "0"); }

  // The option of the heatmap for what the controls select.
  function heatOption(spec, controls) {
    var heat = spec.heat;
    function chosen(name, fallback) { return controls[name] ? controls[name].value : fallback; }
    var state = heat.states[Number(chosen("state", "0"))] || heat.states[0];
    var persona = chosen("persona", heat.personas.length ? heat.personas[0].id : "");
    var touchpoint = chosen("touchpoint", "");
    var measure = chosen("measure", "visits");
    var visits = [], emotion = [], h;
    for (h = 0; h < 168; h++) { visits.push(0); emotion.push(0); }
    state.rows.forEach(function (row) {
      if (row.persona !== persona || (touchpoint && row.touchpoint !== touchpoint)) return;
      for (var k = 0; k < 168; k++) {
        if (!row.visits[k]) continue;
        visits[k] += row.visits[k];
        emotion[k] += row.emotion[k] * row.visits[k];
      }
    });
    // Closed: the chosen touchpoint is closed all that hour; for all touchpoints, every one is.
    function minutesOpen(id, k) { return state.open[id] ? state.open[id][k] : 60; }
    function openMinutes(k) {
      if (touchpoint) return minutesOpen(touchpoint, k);
      var most = 0;
      heat.touchpoints.forEach(function (t) { most = Math.max(most, minutesOpen(t.id, k)); });
      return most;
    }
    var open = [], closed = [], most = 0, extreme = 0.05;
    for (h = 0; h < 168; h++) {
      var mean = visits[h] > 0 ? emotion[h] / visits[h] : null;
      var cell = [h % 24, Math.floor(h / 24), measure === "visits" ? visits[h] : mean, visits[h], mean, openMinutes(h)];
      if (cell[5] === 0 && visits[h] === 0) {
        closed.push(cell);
        continue;
      }
      if (cell[2] === null) cell[2] = "-";
      open.push(cell);
      most = Math.max(most, visits[h]);
      if (mean !== null) extreme = Math.max(extreme, Math.abs(mean));
    }
    var visualMap = measure === "visits"
        ? {min: 0, max: Math.max(1, most), inRange: {color: ["#f4f6fa", "#9ec1e6", "#2c6fb7", "#0b2f5e"]}, text: ["more visits", "none"]}
        : {min: -extreme, max: extreme, inRange: {color: ["#c62828", "#ef9a9a", "#e6e8ec", "#a5d6a7", "#1b7f3b"]}, text: ["good", "bad"], precision: 2};
    visualMap.type = "continuous";
    visualMap.seriesIndex = 0;
    visualMap.dimension = 2;
    visualMap.orient = "horizontal";
    visualMap.left = "center";
    visualMap.bottom = 0;
    visualMap.itemHeight = 120;
    visualMap.calculable = false;
    var label = function (p) {
      var v = p.value, day = heat.weekdays[v[1]] + " " + pad(v[0]) + ":00-" + pad(v[0] + 1) + ":00";
      if (v[5] === 0 && v[3] === 0) return day + ": closed";
      var text = day + ": " + Number(v[3]).toLocaleString("en") + " visits";
      if (v[4] !== null) text += ", mean emotion left " + (v[4] >= 0 ? "+" : "") + v[4].toFixed(2);
      if (v[5] > 0 && v[5] < 60) text += " (open " + v[5] + " min)";
      return text;
    };
    return {
      tooltip: {trigger: "item", confine: true, formatter: label},
      visualMap: [visualMap],
      xAxis: {type: "category", data: Array.from({length: 24}, function (_, k) { return pad(k); }),
              axisLabel: {hideOverlap: true}, splitArea: {show: true}},
      yAxis: {type: "category", data: heat.weekdays, inverse: true, splitArea: {show: true}},
      series: [
        {type: "heatmap", name: "visits", data: open, encode: {x: 0, y: 1, value: 2},
         itemStyle: {borderColor: "#fff", borderWidth: 1}, emphasis: {itemStyle: {borderColor: "#1d2330"}}},
        {type: "heatmap", name: "closed", data: closed, encode: {x: 0, y: 1},
         itemStyle: {color: "#eceff3", borderColor: "#fff", borderWidth: 1,
                     decal: {color: "rgba(29,35,48,0.25)", dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: -Math.PI / 4}}}
      ]
    };
  }

  function heatmap(spec) {
    var doc = global.document;
    var element = doc.getElementById(spec.id);
    var controls = {};
    var selects = element && element.parentNode ? element.parentNode.querySelectorAll("select[data-heat]") : [];
    Array.prototype.forEach.call(selects, function (select) {
      controls[select.getAttribute("data-heat")] = select;
    });
    var built = heatOption(spec, controls);
    Object.keys(built).forEach(function (key) { spec.option[key] = built[key]; });
    Object.keys(controls).forEach(function (name) {
      controls[name].addEventListener("change", function () {
        var chart = global.echarts.getInstanceByDom(element);
        if (chart) chart.setOption(heatOption(spec, controls), {replaceMerge: ["series", "visualMap"]});
      });
    });
  }

  global.cjsimCalendarChart = function (spec) {
    if (spec.calendar === "band") {
      spec.option.tooltip = {trigger: "axis", formatter: bandTooltip(spec)};
      spec.option.yAxis.axisLabel = {formatter: function (v) { return fmt(v, {unit: spec.unit, decimals: spec.axis_decimals === undefined ? 0 : spec.axis_decimals}); }};
    } else if (spec.calendar === "timeline") {
      timeline(spec);
    } else if (spec.calendar === "heatmap") {
      heatmap(spec);
    }
  };
})(window);
