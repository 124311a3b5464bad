"""The studio end to end in a real browser: Debian's Chromium driven by npm's playwright-core
(studio_browser.cjs) opens the studio, opens retail, edits a dropout (its message shown as it is
typed), saves, adds a change to a future state, saves, runs a comparison, and the figures the
page shows must equal `cjsim compare --json` for the same seed, at 1400 px and at 390 px.
Screenshots are kept in studio_artefacts/ under the working directory.

Usage: studio_browser.py CJSIM SOURCE_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

cjsim, source = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, failures, finish  # noqa: E402
from studio_server import Studio, make_folder  # noqa: E402

playwright = os.path.join(source, ".deps", "node_modules", "playwright-core")
chromium = "/usr/bin/chromium"
if not os.path.isdir(playwright) or not os.path.exists(chromium) or not shutil.which("node"):
    sys.exit(f"FAIL: the studio's browser test needs node, {chromium} and {playwright} "
             "(bash .ci/setup installs them)")
artefacts = os.path.abspath("studio_artefacts")
os.makedirs(artefacts, exist_ok=True)

with tempfile.TemporaryDirectory() as folder:
    make_folder(source, folder)
    with open(os.path.join(folder, "retail.yaml")) as f:
        retail = f.read()
    with open(os.path.join(folder, "retail_one_click_checkout.yaml")) as f:
        future = f.read()
    studio = Studio(cjsim, folder)
    driver = subprocess.run(["node", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "studio_browser.cjs"),
                             playwright, studio.first_line, artefacts],
                            capture_output=True, text=True, timeout=280)
    code, stderr = studio.stop()
    check(code == 0, f"the studio after Ctrl-C: exit {code}: {stderr}")
    if driver.returncode != 0 or not driver.stdout.strip():
        sys.exit(f"FAIL: the browser driver: {driver.returncode} {driver.stderr[-3000:]}")
    shown = json.loads(driver.stdout.strip().splitlines()[-1])
    print(json.dumps({k: v for k, v in shown.items() if k not in ("desktop", "phone")}))
    check(not shown["errors"], f"errors in the page: {shown['errors']}")
    check("dropout" in shown.get("typed_error", ""), f"no message while typing: {shown.get('typed_error')}")
    check(shown.get("card") == "dropout 30.0%", f"the card after the edit: {shown.get('card')}")
    check(shown.get("kappa_edited"), "the settings' kappa was not edited in the text")
    check("share" in shown.get("share_error", ""), f"persona shares off 1: {shown.get('share_error')}")
    check(shown.get("changes", [0, 0])[1] == shown.get("changes", [0, 0])[0] + 1, f"changes: {shown.get('changes')}")
    check(shown.get("added_change") == 'update_touchpoint social_ad (dropout: 0.25)',
          f"the added change as the page lists it: {shown.get('added_change')!r}")
    check(shown.get("removed") is True, "a change removed by its button leaves the text")
    check(shown.get("source_tail") == '  - update_touchpoint: {"id":"social_ad","dropout":0.25}',
          f"the change written into the text: {shown.get('source_tail')!r}")

    # The files as the page saved them: one number edited, one change added, nothing else.
    with open(os.path.join(folder, "retail.yaml")) as f:
        saved = f.read()
    basket = retail.index("- id: basket\n")
    start = retail.index("dropout:", basket)
    end = retail.index("\n", start)
    old_value = retail[start:end].split()[1]
    check(saved == retail[:start] + retail[start:end].replace(old_value, "0.3", 1) + retail[end:],
          "retail.yaml as saved is not the original with basket's dropout 0.3")
    with open(os.path.join(folder, "retail_one_click_checkout.yaml")) as f:
        saved_future = f.read()
    check(saved_future == future + '  - update_touchpoint: {"id":"social_ad","dropout":0.25}\n' and
          saved_future.endswith('\n  - update_touchpoint: {"id":"social_ad","dropout":0.25}\n'),
          f"the future state as saved: {saved_future[-300:]}")

    expected = json.loads(subprocess.run(
        [cjsim, "compare", "retail.yaml", "retail_one_click_checkout.yaml", "--json", "--agents",
         "20000", "--seed", "7"], capture_output=True, text=True, timeout=300, cwd=folder).stdout)
    overall = [d for d in expected["differences"] if d["scope"] == "overall"]
    for width in ("desktop", "phone"):
        rows = shown.get(width) or []
        check(len(rows) == len(overall) and len(rows) >= 5, f"{width}: {len(rows)} rows shown")
        for row, d in zip(rows, overall):
            for key in ("metric", "scenario_index", "current", "future", "difference"):
                check(row[key] == d[key], f"{width}: {row['metric']} {key}: page {row[key]}, "
                                          f"cjsim compare --json {d[key]}")
    check(shown.get("answer") == " ".join(expected["answer"]), f"answer: {shown.get('answer')}")
    check(shown.get("phone_width", 9999) <= 390, f"the phone page is {shown.get('phone_width')} px wide")
    for name in ("studio_map_1400", "studio_compare_1400", "studio_future_390", "studio_compare_390"):
        shot = os.path.join(artefacts, name + ".png")
        check(os.path.exists(shot) and os.path.getsize(shot) > 10_000, f"no screenshot {shot}")

finish("studio_browser")
