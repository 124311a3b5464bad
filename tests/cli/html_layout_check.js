// Measures, in the page as the browser laid it out, what a reader would see as broken: content
// wider than the window or than its card or table (the page or a card scrolls sideways, numbers
// print over their neighbours), and chart labels drawn over each other. The browser test
// inserts this script into a report and reads the result from <pre id="cjsim-layout">.
(function () {
  function name(el) {
    var id = el.id ? "#" + el.id : "";
    var cls = el.className && typeof el.className === "string"
                  ? "." + el.className.trim().split(/\s+/).join(".") : "";
    var section = el.closest("section");
    var where = section && section !== el && section.id ? " in #" + section.id : "";
    var text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return el.tagName.toLowerCase() + id + cls + where + " \"" + text + "\"";
  }
  // Cards, tables and the boxes that hold them: none may be wider than the space it has.
  function overflow() {
    var found = [];
    var root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1)
      found.push("the page: " + root.scrollWidth + " px wide in a " + root.clientWidth + " px window");
    var boxes = document.querySelectorAll(
        "header, nav, section, .card, .stage, .answer, .chart, table, td, th, dl, .table-wrap");
    for (var i = 0; i < boxes.length; i++) {
      var el = boxes[i];
      if (el.closest("details:not([open])") || el.offsetParent === null) continue;
      if (el.scrollWidth > el.clientWidth + 1)
        found.push(name(el) + ": content " + el.scrollWidth + " px in " + el.clientWidth + " px");
      var parent = el.parentElement;
      if (parent && (el.tagName === "TABLE" || el.classList.contains("card")) &&
          el.getBoundingClientRect().right > parent.getBoundingClientRect().right + 1 &&
          getComputedStyle(parent).overflowX === "visible")
        found.push(name(el) + ": sticks out of its container");
    }
    return found;
  }
  // Every text a chart drew (labels, axis labels, titles, legends), as boxes on the canvas: zrender
  // draws a text as one span per line, each with its own box; two spans of different texts that
  // share more than a pixel each way print over each other.
  function chartTexts(chart) {
    var texts = [];
    var list = chart.getZr().storage.getDisplayList(true, false);
    for (var i = 0; i < list.length; i++) {
      var el = list[i];
      if (el.type !== "tspan" || el.ignore || el.invisible) continue;
      if (!el.style || el.style.text == null || String(el.style.text).trim() === "") continue;
      if (el.style.opacity === 0) continue;
      var hidden = false;
      for (var p = el.parent; p; p = p.parent) {
        if (p.ignore || p.invisible) { hidden = true; break; }
      }
      if (hidden) continue;
      var local = el.getBoundingRect();
      if (local.width < 1 || local.height < 1) continue;
      // The box's corners on the canvas (a rotated label's box is rotated too).
      var m = el.getComputedTransform() || [1, 0, 0, 1, 0, 0];
      var corners = [[local.x, local.y], [local.x + local.width, local.y],
                     [local.x + local.width, local.y + local.height], [local.x, local.y + local.height]]
          .map(function (p) { return [m[0] * p[0] + m[2] * p[1] + m[4], m[1] * p[0] + m[3] * p[1] + m[5]]; });
      var rect = local.clone();
      rect.applyTransform(m);
      texts.push({text: String(el.style.text).slice(0, 30), owner: el.parent, rect: rect,
                  corners: corners});
    }
    return texts;
  }
  // Whether two convex boxes share more than a pixel: no axis of either box's edges separates
  // their projections by more than -1 px (the separating axis test).
  function intersect(a, b) {
    var boxes = [a, b];
    for (var k = 0; k < 2; k++) {
      for (var e = 0; e < 2; e++) {
        var p = boxes[k][e], q = boxes[k][e + 1];
        var ax = q[1] - p[1], ay = p[0] - q[0];
        var length = Math.sqrt(ax * ax + ay * ay);
        if (length === 0) continue;
        ax /= length;
        ay /= length;
        var range = [a, b].map(function (box) {
          var values = box.map(function (c) { return c[0] * ax + c[1] * ay; });
          return [Math.min.apply(null, values), Math.max.apply(null, values)];
        });
        if (Math.min(range[0][1], range[1][1]) - Math.max(range[0][0], range[1][0]) <= 1) return false;
      }
    }
    return true;
  }
  function overlaps() {
    var found = [];
    var charts = document.querySelectorAll(".chart");
    for (var c = 0; c < charts.length; c++) {
      var chart = echarts.getInstanceByDom(charts[c]);
      if (!chart) continue;
      var width = charts[c].clientWidth, height = charts[c].clientHeight;
      var texts = chartTexts(chart);
      for (var i = 0; i < texts.length; i++) {
        var a = texts[i].rect;
        if (a.x < -1 || a.x + a.width > width + 1)
          found.push(charts[c].id + ": \"" + texts[i].text + "\" is cut off at the chart's edge");
        for (var j = i + 1; j < texts.length; j++) {
          if (texts[j].owner && texts[j].owner === texts[i].owner) continue;
          if (intersect(texts[i].corners, texts[j].corners))
            found.push(charts[c].id + ": \"" + texts[i].text + "\" over \"" + texts[j].text + "\"");
        }
      }
    }
    return found;
  }
  // Run after the page's own script has drawn the charts (the test waits for its self-test).
  (function () {
    var out = document.createElement("pre");
    out.id = "cjsim-layout";
    out.style.display = "none";
    var result = {width: window.innerWidth, overflow: [], overlaps: [], errors: []};
    try {
      result.overflow = overflow();
      result.overlaps = overlaps();
    } catch (e) {
      result.errors.push(String(e && e.stack || e));
    }
    out.textContent = JSON.stringify(result);
    document.body.appendChild(out);
  })();
})();
