"""The HTML report in a real browser: the shipped retail, airline and bank comparisons, a
comparison with uncertain inputs drawn, runs of tiny.yaml and the calendar bank's run and
comparison (both with uncertain inputs drawn) are turned into reports and opened in Chromium with #selftest (the page then writes
what it rendered into #cjsim-selftest): every chart must have drawn with no JavaScript error.
Most are laid out at a phone's, a laptop's and a desktop's width and for paper (html_layout.js,
Debian's Chromium driven by playwright-core), where the self-test is read at each width and
html_layout_check.js measures in the page that nothing is wider than the window or its card
or table and that no chart label prints over another; the others are opened once by
`chromium --headless --dump-dom`. A plain and a calendar sweep's pages are loaded once and
resized to each screen width. On the calendar pages the same run measures the day in the
life's heatmap at each screen width: every choice of its controls draws all 168 hours. The retail and calendar comparisons are printed to PDF by
Chromium itself. Screenshots (at each width, or one at 1400 px) are kept as test artefacts in
html_report_artefacts/ under the working directory.

Usage: html_report_browser.py CJSIM SOURCE_DIR
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

cjsim, source = sys.argv[1], sys.argv[2]
examples = os.path.join(source, "scenarios", "examples")
data = os.path.join(source, "tests", "data")
artefacts = os.path.abspath("html_report_artefacts")
os.makedirs(artefacts, exist_ok=True)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, failures  # noqa: E402


def run(*args):
    r = subprocess.run([cjsim, *args], capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        sys.exit(f"FAIL: cjsim {' '.join(args)} exited {r.returncode}: {r.stderr}")
    return r


chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if chromium is None:
    sys.exit("FAIL: chromium is not installed; the HTML report's browser test needs it "
             "(Debian: apt-get install chromium, which .ci/setup does)")


def chromium_run(work, *args):
    profile = tempfile.mkdtemp(dir=work, prefix="profile-")
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


LAYOUT_WIDTHS = ["390", "1024", "1400", "print"]
node = shutil.which("node") or shutil.which("nodejs")
if node is None or not os.path.isdir(os.path.join(source, ".deps", "node_modules", "playwright-core")):
    sys.exit("FAIL: node or playwright-core is missing; the layout checks need them "
             "(bash .ci/setup installs both)")


def check_selftest(status, name, containers):
    """The page's own report (#cjsim-selftest): every chart container has its options and drew
    something, and no script failed."""
    check(status["containers"] == containers, f"{name}: {status['containers']} containers in the DOM")
    check(status["specs"] == containers, f"{name}: {status['specs']} chart options for {containers}")
    check(status["drawn"] == containers and not status["empty"],
          f"{name}: charts not drawn: {status['empty']}")
    check(not status["errors"], f"{name}: JavaScript errors: {status['errors']}")


def chart_containers(page):
    with open(page, encoding="utf-8") as f:
        return len(re.findall(r'<div class="chart[^"]*" id="chart-\d+"', f.read()))


def check_layout(page, name, widths=LAYOUT_WIDTHS, reuse=False):
    """Measures the page at each width: by default a fresh load per width; with `reuse` one load
    resized to each (screen widths only), which costs the browser a third of the time."""
    r = subprocess.run([node, os.path.join(os.path.dirname(os.path.abspath(__file__)), "html_layout.js"),
                        source, page, name, artefacts, *(["--reuse"] if reuse else []), *widths],
                       capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        failures.append(f"{name}: the layout check did not run: {r.stderr[-3000:]}")
        return []
    results = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    check(len(results) == len(widths), f"{name}: layout measured at {len(results)} widths")
    for m in results:
        where = f"{name} at {m['label']}" + (" px" if m["label"] != "print" else "")
        print(f"{where}: {len(m['overflow'])} overflowing boxes, {len(m['overlaps'])} label overlaps, "
              f"self-test {m['selftest']}")
        check_selftest(m["selftest"], where, chart_containers(page))
        check(not m["errors"], f"{where}: errors while measuring: {m['errors']}")
        check(not m["overflow"], f"{where}: wider than its space:\n    " + "\n    ".join(m["overflow"][:20]))
        check(not m["overlaps"], f"{where}: chart labels over each other or cut off:\n    " +
              "\n    ".join(m["overlaps"][:20]))
    return results


def check_heatmap(results, name):
    """The day in the life's heatmap of visits by hour of the week, from check_layout's
    measurements at every screen width: each choice of persona, touchpoint, state and colour
    draws all 168 hours (hatched where the touchpoint is closed all hour) with ink on its canvas,
    and the chart fits its box."""
    results = [m for m in results if m["label"] != "print"]
    check(len(results) == 3, f"{name}: heatmap measured at {len(results)} widths")
    for m in results:
        heat = m.get("heat")
        where = f"{name} heatmap at {m['label']} px"
        if not heat:
            failures.append(f"{where}: the page has no heatmap")
            continue
        print(f"{where}: {len(heat['views'])} views, {heat['controls']} controls, "
              f"width {heat['width']:.0f} of {heat['box']:.0f}")
        check(not m["errors"], f"{where}: errors: {m['errors']}")
        check(heat["width"] <= heat["box"] + 0.5 and heat["width"] > 200, f"{where}: does not fit its box")
        check(heat["views"], f"{where}: no controls to choose with")
        for view in heat["views"]:
            check(view["cells"] == 168 and view["ink"] > 1000,
                  f"{where}: {view['control']}={view['value']!r} drew {view['cells']} cells, {view['ink']} inked pixels")
        # The bank's branch desk opens on weekdays 09:00-17:00 only: its closed hours are hatched.
        desk = [v for v in heat["views"] if v["control"] == "touchpoint" and v["value"] == "branch_desk"]
        check(desk and desk[0]["closed"] >= 7 * 24 - 5 * 8 - 5,
              f"{where}: the branch desk's closed hours are not drawn closed: {desk}")


def check_pdf(work, page, name):
    pdf = os.path.join(artefacts, name + ".pdf")
    if os.path.exists(pdf):
        os.remove(pdf)
    r = chromium_run(work, "--virtual-time-budget=5000", "--no-pdf-header-footer",
                     f"--print-to-pdf={pdf}", "file://" + page)
    check(r.returncode == 0 and os.path.exists(pdf), f"{name}: chromium --print-to-pdf failed: {r.stderr[-2000:]}")
    if not os.path.exists(pdf):
        return
    with open(pdf, "rb") as f:
        data = f.read()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    print(f"{name}: PDF of {pages} pages, {len(data)} bytes")
    check(data.startswith(b"%PDF") and pages >= 2, f"{name}: the PDF has {pages} pages")
    # The charts are drawn on paper too: a page of text alone is a few kilobytes.
    check(len(data) > 150_000, f"{name}: the PDF ({len(data)} bytes) looks like it lacks the charts")


def check_report(work, page, name, laid_out=False, charts=4):
    """The page as a file (its charts' containers, ECharts inside it, nothing loaded from
    outside); then, unless check_layout opens it at each width (and checks the self-test
    there), opened once by Chromium itself for its self-test and a screenshot."""
    with open(page, encoding="utf-8") as f:
        text = f.read()
    containers = len(re.findall(r'<div class="chart[^"]*" id="chart-\d+"', text))
    check(containers >= charts, f"{name}: only {containers} chart containers")
    check("echarts" in text and len(text) > 500_000, f"{name}: the ECharts library is not embedded")
    check("http://" not in text.split("<script>", 1)[0] and "<link" not in text,
          f"{name}: the page loads something from outside")
    shutil.copy(page, os.path.join(artefacts, name + ".html"))
    if laid_out:
        return
    url = "file://" + page + "#selftest"
    r = chromium_run(work, "--virtual-time-budget=5000", "--dump-dom", url)
    check(r.returncode == 0, f"{name}: chromium --dump-dom failed: {r.stderr[-2000:]}")
    match = re.search(r'<pre id="cjsim-selftest">(.*?)</pre>', r.stdout, re.S)
    if not match or not match.group(1).strip():
        failures.append(f"{name}: the page wrote no self-test status (did its script run?)")
        return
    status = json.loads(html.unescape(match.group(1)))
    print(f"{name}: {status}")
    check_selftest(status, name, containers)
    shot = os.path.join(artefacts, name + ".png")
    r = chromium_run(work, "--virtual-time-budget=5000", f"--screenshot={shot}",
                     "--window-size=1400,3000", url)
    check(r.returncode == 0 and os.path.getsize(shot) > 10_000 if os.path.exists(shot) else False,
          f"{name}: no screenshot: {r.stderr[-2000:]}")


with tempfile.TemporaryDirectory() as work:
    comparison = os.path.join(work, "retail.h5")
    run("compare", os.path.join(examples, "retail.yaml"),
        os.path.join(examples, "retail_one_click_checkout.yaml"),
        os.path.join(examples, "retail_proactive_delivery.yaml"),
        "--agents", "5000", "--seed", "7", "--out", comparison)
    page = os.path.join(work, "retail.html")
    run("report", comparison, "-o", page)
    check_report(work, page, "retail_comparison", laid_out=True)
    check_layout(page, "retail_comparison")
    check_pdf(work, page, "retail_comparison")

    # A second journey with more stages and personas, laid out at each width as well.
    airline = os.path.join(work, "airline.h5")
    run("compare", os.path.join(examples, "airline.yaml"),
        os.path.join(examples, "airline_delay_care.yaml"), "--agents", "3000", "--out", airline)
    page = os.path.join(work, "airline.html")
    run("report", airline, "-o", page)
    check_layout(page, "airline_comparison")

    # The bank's journey map with its words, lanes and personas, from the stored file: cards with
    # long words and the service blueprint must fit at every width too.
    bank = os.path.join(work, "bank.h5")
    run("compare", os.path.join(examples, "bank_current_account.yaml"),
        os.path.join(examples, "bank_current_account_guided_id.yaml"),
        os.path.join(examples, "bank_current_account_overdraft_alert.yaml"),
        "--agents", "3000", "--out", bank)
    page = os.path.join(work, "bank.html")
    run("report", bank, "-o", page)
    with open(page, encoding="utf-8") as f:
        text = f.read()
    check('class="pains"' in text and 'class="blueprint"' in text and "Maya, the app-first" in text,
          "bank report: the journey map's words or the service blueprint are missing")
    check_report(work, page, "bank_comparison", laid_out=True)
    check_layout(page, "bank_comparison")

    # A comparison with uncertain inputs drawn (--draws, total effects too): "How sure it is"
    # first, with its sensitivity chart, laid out at every width.
    drawn = os.path.join(work, "bank_drawn.h5")
    run("compare", os.path.join(examples, "bank_current_account.yaml"),
        os.path.join(examples, "bank_current_account_guided_id_estimate.yaml"),
        "--agents", "3000", "--draws", "8", "--total-effects", "--out", drawn)
    page = os.path.join(work, "bank_drawn.html")
    run("report", drawn, "-o", page)
    with open(page, encoding="utf-8") as f:
        text = f.read()
    check('id="how-sure"' in text and "Which guess matters most" in text,
          "report with draws: the section on how sure it is is missing")
    check_report(work, page, "drawn_comparison", laid_out=True)
    check_layout(page, "drawn_comparison")

    # The calendar journey's own page (a time view, the blueprint with its resources, a day in
    # the life), a run and a comparison with uncertain inputs drawn straight from --report (how
    # sure it is, each figure's range over the draws, each difference's odds), and the
    # comparison's page from its stored file.
    page = os.path.join(work, "bank_call_centre.html")
    run("run", os.path.join(examples, "bank_call_centre_estimate.yaml"), "--replications", "3",
        "--draws", "4", "--report", page)
    with open(page, encoding="utf-8") as f:
        text = f.read()
    check('id="day-in-the-life"' in text and 'class="cal-blueprint"' in text
          and "cjsimCalendarChart" in text,
          "calendar run report: the time view, blueprint or day in the life is missing")
    check('id="how-sure"' in text and "data-uncertainty=" in text,
          "calendar run report with draws: how sure it is, or the ranges over the draws, missing")
    check_report(work, page, "calendar_run", laid_out=True)
    check_heatmap(check_layout(page, "calendar_run"), "calendar_run")
    calendar = os.path.join(work, "bank_call_centre.h5")
    page = os.path.join(work, "bank_call_centre_comparison.html")
    run("compare", os.path.join(examples, "bank_call_centre_estimate.yaml"),
        os.path.join(examples, "bank_call_centre_call_back_estimate.yaml"),
        os.path.join(examples, "bank_call_centre_peak_staff.yaml"),
        "--replications", "2", "--draws", "4", "--out", calendar, "--report", page)
    with open(page, encoding="utf-8") as f:
        text = f.read()
    check('id="how-sure"' in text and "data-probability-better=" in text,
          "calendar comparison report with draws: how sure it is, or the odds, missing")
    check_report(work, page, "calendar_comparison", laid_out=True)
    check_heatmap(check_layout(page, "calendar_comparison"), "calendar_comparison")
    check_pdf(work, page, "calendar_comparison")
    stored_page = os.path.join(work, "bank_call_centre_stored.html")
    run("report", calendar, "-o", stored_page)
    with open(stored_page, encoding="utf-8") as f:
        check('id="answer"' in f.read(), "calendar comparison report from its file: no answer")

    tiny = os.path.join(work, "tiny.h5")
    run("run", os.path.join(data, "tiny.yaml"), "--agents", "2000", "--out", tiny)
    page = os.path.join(work, "tiny.html")
    run("report", tiny, "-o", page)
    check_report(work, page, "tiny_run", laid_out=True)
    check_layout(page, "tiny_run")

    tiny_cmp = os.path.join(work, "tiny_cmp.h5")
    run("compare", os.path.join(data, "tiny.yaml"), os.path.join(data, "tiny_future.yaml"),
        "--agents", "2000", "--out", tiny_cmp)
    page = os.path.join(work, "tiny_cmp.html")
    run("report", tiny_cmp, "-o", page)
    check_report(work, page, "tiny_comparison")

    # A sweep of two scenarios: the response charts (one per parameter), each point's paired
    # difference from the reference (a chart and a table) and the tables, laid out at the screen
    # widths from one load of the page.
    experiment = os.path.join(work, "sweep.yaml")
    with open(experiment, "w") as f:
        f.write(f"scenarios: [{os.path.join(data, 'tiny.yaml')}, {os.path.join(data, 'tiny_future.yaml')}]\n"
                "agents: 2000\nreplications: 2\nparameters:\n  settings.kappa: [0, 1, 2]\n"
                "  settings.memory: [0.3, 0.6]\n"
                "  touchpoints.ad.dropout: [0.2, 0.4]\n  touchpoints.checkout.cost: [1, 2]\n")
    sweep = os.path.join(work, "sweep.h5")
    run("sweep", experiment, "--out", sweep)
    page = os.path.join(work, "sweep.html")
    run("report", sweep, "-o", page)
    check_report(work, page, "tiny_sweep", laid_out=True)
    with open(page, encoding="utf-8") as f:
        text = f.read()
    check("Which parameter moves conversion_rate most" in text and "Design points" in text
          and 'id="differences"' in text and "Differences from point" in text,
          "sweep report: the sensitivity, the differences or the points table is missing")
    check_layout(page, "tiny_sweep", widths=LAYOUT_WIDTHS[:3], reuse=True)

    # The bank's staffing sweep (calendar journeys, a week each): the staffing trade-off (staff
    # cost against the longest 90th-percentile wait, with its headline) beside the differences.
    staffing = os.path.join(work, "staffing.h5")
    run("sweep", os.path.join(examples, "bank_call_centre_staffing_sweep.yaml"), "--days", "7",
        "--out", staffing)
    page = os.path.join(work, "staffing.html")
    run("report", staffing, "-o", page, "--metric", "desks.p90_wait_hours")
    with open(page, encoding="utf-8") as f:
        text = f.read()
    check('id="staffing"' in text and "The cheapest staffing, point" in text
          and "on the frontier" in text and 'id="differences"' in text,
          "calendar sweep report: the staffing trade-off or the differences are missing")
    check_report(work, page, "staffing_sweep", laid_out=True, charts=3)
    check_layout(page, "staffing_sweep", widths=LAYOUT_WIDTHS[:3], reuse=True)

print(f"screenshots in {artefacts}")
if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ok")
