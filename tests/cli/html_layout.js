// Opens an HTML report in Debian's Chromium (driven by playwright-core) at each given window
// width, runs html_layout_check.js in the page, and prints what it measured (and the page's
// own #selftest status) as one JSON line per width; keeps a screenshot of each (full-page at
// the screen widths) unless CJSIM_SCREENSHOTS is 0.
// Usage: node html_layout.js SOURCE_DIR PAGE NAME ARTEFACTS [--reuse] WIDTH...  (WIDTH may be
// "print"). With --reuse the page is loaded once and the window resized to each screen width
// (the page redraws its charts on resize, as for a reader who turns a tablet): one load in place
// of one per width, for pages whose layout does not depend on the width they were opened at.
"use strict";
const fs = require("fs");
const path = require("path");

const [source, page, name, artefacts, ...rest] = process.argv.slice(2);
const reuse = rest[0] === "--reuse";
const widths = reuse ? rest.slice(1) : rest;
const { chromium } = require(path.join(source, ".deps", "node_modules", "playwright-core"));
const screenshots = process.env.CJSIM_SCREENSHOTS !== "0";
const check = fs.readFileSync(path.join(__dirname, "html_layout_check.js"), "utf8");

// The calendar page's heatmap of visits by hour of the week, when the page has one: for each
// choice of each of its controls (the others as they were), how many of its 168 cells it drew
// (open and closed), how many closed, whether its canvas has ink, and its width beside its box.
async function measureHeatmap() {
  const box = document.querySelector(".heat");
  if (!box) return null;
  const element = box.querySelector(".chart");
  const chart = window.echarts.getInstanceByDom(element);
  const inked = () => {
    let n = 0;
    for (const canvas of element.querySelectorAll("canvas")) {
      const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]) n++;
    }
    return n;
  };
  const frame = () => new Promise((resolve) => setTimeout(resolve, 60));
  const state = () => {
    const series = chart.getOption().series;
    return {cells: series[0].data.length + series[1].data.length, closed: series[1].data.length,
            ink: inked()};
  };
  const out = {width: element.getBoundingClientRect().width, box: box.getBoundingClientRect().width,
               controls: box.querySelectorAll("select[data-heat]").length, views: []};
  for (const select of box.querySelectorAll("select[data-heat]")) {
    const before = select.value;
    for (const option of select.options) {
      select.value = option.value;
      select.dispatchEvent(new Event("change"));
      await frame();
      out.views.push(Object.assign({control: select.dataset.heat, value: option.value}, state()));
    }
    select.value = before;
    select.dispatchEvent(new Event("change"));
    await frame();
  }
  return out;
}

// The page's self-test as it would be now (after a resize): every chart container drawn (a
// canvas with ink), none empty, and the errors collected since the page loaded.
function currentSelftest() {
  const drawn = (element) => {
    for (const c of element.getElementsByTagName("canvas")) {
      if (!c.width || !c.height) continue;
      const pixels = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      for (let p = 3; p < pixels.length; p += 4) if (pixels[p] !== 0) return true;
    }
    return element.getElementsByTagName("svg").length > 0;
  };
  const containers = [...document.querySelectorAll(".chart")];
  const empty = containers.filter((c) => !drawn(c)).map((c) => c.id);
  const specs = JSON.parse(document.getElementById("cjsim-charts").textContent).length;
  return {containers: containers.length, specs, drawn: containers.length - empty.length, empty,
          errors: window.cjsimErrors.slice()};
}

// Measures the loaded page at its current width; a second call measures afresh.
async function measure(tab, width, errors, selftest) {
  await tab.evaluate(() => {
    const old = document.getElementById("cjsim-layout");
    if (old) old.remove();
  });
  await tab.addScriptTag({ content: check });
  await tab.waitForSelector("#cjsim-layout", { state: "attached", timeout: 30000 });
  const result = JSON.parse(await tab.$eval("#cjsim-layout", (e) => e.textContent));
  result.label = width;
  result.selftest = selftest;
  if (width !== "print") result.heat = await tab.evaluate(measureHeatmap);
  result.errors = result.errors.concat(errors);
  if (screenshots) {
    await tab.screenshot({ path: path.join(artefacts, `${name}_${width}.png`),
                          fullPage: width !== "print", timeout: 180000 });
  }
  console.log(JSON.stringify(result));
}

// One load, resized to each screen width in turn.
async function measureReusingOnePage(browser) {
  const context = await browser.newContext({ viewport: { width: Number(widths[0]), height: 900 } });
  const tab = await context.newPage();
  const errors = [];
  tab.on("pageerror", (e) => errors.push(String(e)));
  await tab.goto("file://" + page + "#selftest");
  await tab.waitForFunction(
      () => document.getElementById("cjsim-selftest").textContent !== "", null, { timeout: 30000 });
  for (const width of widths) {
    if (width === "print") throw new Error("--reuse measures screen widths only");
    await tab.setViewportSize({ width: Number(width), height: 900 });
    await tab.evaluate(() => window.dispatchEvent(new Event("resize")));
    await tab.waitForTimeout(150);
    await measure(tab, width, errors, await tab.evaluate(currentSelftest));
  }
  await context.close();
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CJSIM_CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--hide-scrollbars"],
  });
  try {
    if (reuse) {
      await measureReusingOnePage(browser);
      return;
    }
    for (const width of widths) {
      const print = width === "print";
      // Paper: A4 at 96 px an inch, less 12 mm margins each side.
      const viewport = print ? { width: 703, height: 1000 } : { width: Number(width), height: 900 };
      const context = await browser.newContext({ viewport });
      const tab = await context.newPage();
      const errors = [];
      tab.on("pageerror", (e) => errors.push(String(e)));
      if (print) await tab.emulateMedia({ media: "print" });
      await tab.goto("file://" + page + "#selftest");
      await tab.waitForFunction(
          () => document.getElementById("cjsim-selftest").textContent !== "", null,
          { timeout: 30000 });
      if (print) {
        // Charts size themselves when the page is laid out for paper (beforeprint does this
        // in a real print); here the media is switched before load, so resize once.
        await tab.evaluate(() => window.dispatchEvent(new Event("resize")));
        await tab.waitForTimeout(300);
      }
      await tab.addScriptTag({ content: check });
      await tab.waitForSelector("#cjsim-layout", { state: "attached", timeout: 30000 });
      const result = JSON.parse(await tab.$eval("#cjsim-layout", (e) => e.textContent));
      result.label = width;
      // What the page's own self-test saw: its charts drawn, none empty, no script error.
      result.selftest = JSON.parse(await tab.$eval("#cjsim-selftest", (e) => e.textContent));
      if (!print) result.heat = await tab.evaluate(measureHeatmap);
      result.errors = result.errors.concat(errors);
      // CI, which keeps no artefacts, sets CJSIM_SCREENSHOTS=0: the measurements above are the
      // test, and the shots (seconds each) are for a person to look at.
      if (!screenshots) {
        console.log(JSON.stringify(result));
        await context.close();
        continue;
      }
      // The whole page at each screen width; for paper, the first sheet's worth only: the PDF
      // artefact shows the rest, and a full-page shot of the print layout costs the browser
      // half a minute of rendering for nothing the measurement above has not checked.
      await tab.screenshot({ path: path.join(artefacts, `${name}_${width}.png`), fullPage: !print,
                            timeout: 180000 });
      console.log(JSON.stringify(result));
      await context.close();
    }
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.error(String(e && e.stack || e));
  process.exit(1);
});
