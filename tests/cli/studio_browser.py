"""The studio end to end in a real browser: Debian's Chromium driven by npm's playwright-core
(studio_browser.cjs) opens the studio; on the bank journey the map's words show on cards and
stages and are edited (journey text and a future state's change); on retail it edits a dropout
(its message shown as it is typed), adds and removes items with the forms (a wrong value
refused next to its field), saves, draws the touchpoint graph (dagre), drags the what-if slider
on the journey and saves its future state; adds a change to a future state, saves, runs a
comparison drawn by the report's chart code with the answer cards first, drags the what-if
slider (the answer changes; the kept change is saved); compares a calendar journey (tables).
Every figure on the page must equal `cjsim compare --json` for the same seed, at 1400 px and at
390 px (no horizontal overflow). Screenshots are kept in studio_artefacts/ under the working
directory.

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
    with open(os.path.join(folder, "bank_current_account.yaml")) as f:
        bank = f.read()
    with open(os.path.join(folder, "bank_current_account_guided_id.yaml")) as f:
        bank_future = f.read()
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
    check(shown.get("last_opened") == "bank_current_account.yaml",
          f"two files opened in a row, the first answered late: the page shows {shown.get('last_opened')!r}")
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

    # The words as the page shows and edits them (the bank journey, issue 13).
    words = shown.get("card_words") or {}
    check(words.get("owner") == "Marketing · frontstage" and words.get("thoughts") ==
          ["Is it really free?", "Is this a proper bank?"] and words.get("pains") ==
          ["The small print on fees is not in the advert"] and words.get("opportunities") ==
          ["Show the monthly cost in the advert itself"] and words.get("action", "").startswith("Watches part")
          and words.get("description", "").startswith("Short video advert"), f"social_ad's card: {words}")
    check(words.get("pain_colour") == "rgb(161, 39, 29)", f"pain points not red: {words.get('pain_colour')}")
    check(shown.get("stage_words") == "The customer notices the bank and its account.",
          f"the awareness stage: {shown.get('stage_words')!r}")
    check(shown.get("card_owner") == "Growth marketing · frontstage", f"the card after the edit: {shown.get('card_owner')}")
    check("Maya, the app-first switcher (app_switcher)" in shown.get("persona_names", []),
          f"persona names: {shown.get('persona_names')}")
    with open(os.path.join(folder, "bank_current_account.yaml")) as f:
        bank_saved = f.read()
    bank_expected = (bank.replace("    owner: Marketing\n", '    owner: "Growth marketing"\n', 1)
                     .replace('    thoughts: ["Is it really free?", "Is this a proper bank?"]\n',
                              '    thoughts: ["Is it really free?","Who is behind it?"]\n', 1)
                     .replace("    description: The customer notices the bank and its account.\n",
                              '    description: "Where people first meet the bank."\n', 1)
                     .replace("    quote: If I have to phone someone, I have already lost interest.\n",
                              '    quote: "Ten minutes, on my phone."\n', 1))
    check(bank_saved == bank_expected and bank_expected != bank,
          "bank_current_account.yaml as saved is not the original with the four words edited")
    check(shown.get("words_change") == 'update_touchpoint social_ad (owner: "Brand team")',
          f"a word edited on a future state: {shown.get('words_change')!r}")
    with open(os.path.join(folder, "bank_current_account_guided_id.yaml")) as f:
        check(f.read() == bank_future + '  - update_touchpoint: {"id":"social_ad","owner":"Brand team"}\n',
              "the bank's future state as saved")

    # The files as the page saved them: one number edited, one change added, nothing else.
    with open(os.path.join(folder, "retail.yaml")) as f:
        saved = f.read()
    basket = retail.index("- id: basket\n")
    start = retail.index("dropout:", basket)
    end = retail.index("\n", start)
    old_value = retail[start:end].split()[1]
    edited_retail = (retail[:start] + retail[start:end].replace(old_value, "0.3", 1) + retail[end:]).split("\n")
    last = edited_retail.index("personas:") - 1
    while not edited_retail[last].strip() or edited_retail[last].strip().startswith("#"):
        last -= 1
    edited_retail.insert(last + 1, '  - {"from":"product_page","to":"price_drop_alert","weight":0.2}')
    check(saved == "\n".join(edited_retail),
          "retail.yaml as saved is not the original with basket's dropout 0.3 and the transition added")
    check("dropout" in shown.get("form_error", "") and shown.get("form_refused"),
          f"a touchpoint with dropout 1.5: {shown.get('form_error')!r}, refused {shown.get('form_refused')}")
    check("share" in shown.get("persona_error", ""), f"a persona with share -1: {shown.get('persona_error')!r}")
    check(shown.get("form_added") == ['  - {"id":"gift_wrap","stage":"purchase","channel":"web","dropout":0.1}',
                                      '  - {"from":"basket","to":"gift_wrap","weight":0.4}'],
          f"the touchpoint and transition added: {shown.get('form_added')}")
    check(shown.get("form_restored"), "adding and removing left the text changed")
    social = '  - update_touchpoint: {"id":"social_ad","dropout":0.25}\n'
    kept = '  - update_touchpoint: {"id":"basket","dropout":0.2}\n'
    with open(os.path.join(folder, "retail_one_click_checkout.yaml")) as f:
        saved_future = f.read()
    check(saved_future == future + social + kept, f"the future state as saved: {saved_future[-300:]}")
    check(shown.get("whatif_change") == 'update_touchpoint basket (dropout: 0.2)',
          f"the slider's change kept: {shown.get('whatif_change')!r}")

    def compare_json(future_file, agents):
        return json.loads(subprocess.run(
            [cjsim, "compare", "retail.yaml", future_file, "--json", "--agents", str(agents),
             "--seed", "7"], capture_output=True, text=True, timeout=300, cwd=folder).stdout)

    # The comparison the desktop ran: the future state as saved before the slider's change.
    with open(os.path.join(folder, "before_slider.yaml"), "w") as f:
        f.write(future + social)
    expected = compare_json("before_slider.yaml", 20000)
    final = compare_json("retail_one_click_checkout.yaml", 20000)

    def check_rows(width, rows, wanted):
        overall = [d for d in wanted["differences"] if d["scope"] == "overall"]
        check(len(rows) == len(overall) and len(rows) >= 5, f"{width}: {len(rows)} rows shown")
        for row, d in zip(rows, overall):
            for key in ("metric", "scenario_index", "current", "future", "difference"):
                check(row[key] == d[key], f"{width}: {row['metric']} {key}: page {row[key]}, "
                                          f"cjsim compare --json {d[key]}")

    def check_cards(where, cards, wanted):
        overall = {d["metric"]: d for d in wanted["differences"] if d["scope"] == "overall"}
        check(len(cards) >= 5, f"{where}: {len(cards)} answer cards")
        for card in cards:
            d = overall.get(card["metric"])
            check(d is not None and card["difference"] == d["difference"] and
                  (card["verdict"] == "within the noise") == (not d["significant"]),
                  f"{where}: the card {card} against cjsim compare --json {d}")

    check_rows("desktop", shown.get("desktop") or [], expected)
    check_rows("phone", shown.get("phone") or [], final)
    check(shown.get("answer") == " ".join(expected["answer"]), f"answer: {shown.get('answer')}")
    check_cards("desktop", shown.get("cards") or [], expected)
    check_cards("phone", shown.get("phone_cards") or [], final)
    for width in ("charts", "phone_charts"):
        charts = shown.get(width) or {}
        check(charts.get("containers", 0) >= 4 and charts.get("drawn") == charts.get("containers"),
              f"{width}: the report's charts drawn by the page: {charts}")
    check(shown.get("frames") == 0, "the results are drawn by the page, not shown in a frame")
    check(str(shown.get("report_link", "")).endswith("/report"), f"the full report's link: {shown.get('report_link')}")

    # The slider: each value's answer, the answer changing with the value, the last one equal to
    # `cjsim compare --json` of the future state with the kept change, at the default agents.
    whatif = shown.get("whatif") or []
    check(len(whatif) == 3, f"the slider's answers: {len(whatif)}")
    if len(whatif) == 3:
        conversion = [next(c["difference"] for c in w["cards"] if c["metric"] == "conversion_rate") for w in whatif]
        check(conversion[0] < conversion[1], f"basket's dropout 0.6 then 0.1: conversion differences {conversion}")
        check(conversion[2] != conversion[1], f"the answer did not change with the slider: {conversion}")
        check_cards("the slider at 0.2", whatif[2]["cards"], compare_json("retail_one_click_checkout.yaml", 100000))
        seconds = [w["seconds"] for w in whatif[:2]]
        print(f"the slider's answers at 100,000 agents came in {seconds} s")
        check(all(0 < x < 10 for x in seconds), f"the slider's answers took {seconds} s")
    # The slider on a journey: the what-if future state saved beside it, and its answer.
    check(shown.get("prompted") == "retail_what_if.yaml", f"the what-if's suggested name: {shown.get('prompted')}")
    with open(os.path.join(folder, "retail_what_if.yaml")) as f:
        what_if = f.read()
    check(what_if.startswith("# What if, on retail.yaml") and '\nbase: "retail.yaml"\n' in what_if and
          what_if.endswith('\n  - update_touchpoint: {"id":"social_ad","dropout":0.7}\n'), f"the what-if file: {what_if!r}")
    check_cards("the slider on retail.yaml", shown.get("journey_whatif") or [], compare_json("retail_what_if.yaml", 20000))

    # The calendar comparison's tables against `cjsim compare --json` of the same seed.
    calendar = json.loads(subprocess.run(
        [cjsim, "compare", "bank_call_centre.yaml", "bank_call_centre_call_back.yaml", "--json", "--seed", "3"],
        capture_output=True, text=True, timeout=300, cwd=folder).stdout)
    wanted = [{k: f[k] for k in ("figure", "resource", "current", "future", "difference")}
              for f in calendar["differences"][0]["figures"]]
    rows = shown.get("calendar") or []
    check(len(rows) == len(wanted) >= 10, f"the calendar comparison: {len(rows)} rows, {len(wanted)} in --json")
    for row, want in zip(rows, wanted):
        check(row == {k: (v if v is not None else None) for k, v in want.items()},
              f"a calendar figure: page {row}, cjsim compare --json {want}")
    check(shown.get("calendar_days") == len(calendar["scenarios"][0]["days"]) + 1,
          f"the current state's days: {shown.get('calendar_days')} rows")
    check("without a calendar" in shown.get("calendar_whatif", ""), f"the slider on a calendar journey: {shown.get('calendar_whatif')}")
    phone_conversion = [c["difference"] for c in shown.get("phone_whatif") or [] if c["metric"] == "conversion_rate"]
    check(len(phone_conversion) == 1 and len(whatif) == 3 and
          phone_conversion[0] != next(c["difference"] for c in shown["phone_cards"] if c["metric"] == "conversion_rate"),
          f"the slider at phone width: {phone_conversion}")
    check(shown.get("phone_width", 9999) <= 390, f"the phone page is {shown.get('phone_width')} px wide")
    graph = shown.get("graph") or {}
    retail_journey = [line for line in saved.split("\n")]
    transitions_saved = sum(1 for line in retail_journey if line.strip().startswith("- {from:") or
                            line.strip().startswith('- {"from":'))
    check(graph.get("nodes") == 30 == graph.get("cards") and graph.get("mapHidden"), f"the graph: {graph}")
    check(graph.get("edges", 0) >= transitions_saved - 3 and graph.get("edges", 0) <= transitions_saved,
          f"the graph's arrows: {graph.get('edges')}, transitions written {transitions_saved}")
    places = {tuple(p[1:]) for p in graph.get("layout", [])}
    at = {p[0]: p[1] for p in graph.get("layout", [])}
    check(len(places) == 30 and at.get("social_ad", 1) < at.get("basket", 0) < at.get("order_confirmation", 0),
          f"dagre's layout (left to right, no two nodes in one place): {graph.get('layout')}")
    check(shown.get("phone_graph_width", 9999) <= 390, f"the phone graph is {shown.get('phone_graph_width')} px wide")
    check(shown.get("phone_words_width", 9999) <= 390, f"the phone map is {shown.get('phone_words_width')} px wide")
    # Uncertain inputs drawn on the page: the same answer as `cjsim compare --draws 4 --json`
    # at every width, in plain words, with the ranking of the guesses drawn; nothing overflows.
    check(shown.get("draws_hidden") is True, "retail (no uncertain inputs) offers draws")
    drawn = shown.get("draws") or {}
    check(sorted(drawn) == ["1024", "1400", "390"], f"the draws walk: {sorted(drawn)}")
    base = (drawn.get("1400") or {}).get("base", "").replace("Changes on ", "")
    wanted = json.loads(subprocess.run(
        [cjsim, "compare", base, "bank_current_account_guided_id_estimate.yaml", "--json", "--agents", "2000",
         "--seed", "7", "--draws", "4"], capture_output=True, text=True, timeout=300, cwd=folder).stdout or "{}")
    overall = {d["metric"]: d for d in wanted.get("differences", []) if d["scope"] == "overall"}
    for width, page in drawn.items():
        check(page.get("default") == "32", f"{width}: the draws offered by default: {page.get('default')}")
        cards = page.get("cards") or []
        check(len(cards) >= 5, f"{width}: {len(cards)} cards with draws")
        for card in cards:
            d = overall.get(card["metric"], {})
            check(card["over_draws"] == d.get("uncertainty") and card["difference"] == d.get("difference") and
                  "95% of the draws give" in card["text"] and
                  (card["probability"] is None or card["probability"] == d.get("probability_better")),
                  f"{width}: the card {card} against cjsim compare --draws 4 --json {d}")
        sentences = page.get("sentences") or []
        check(sentences and "beats" in sentences[0] and "draws" in sentences[0] and
              any("uncertainty in its gain" in x for x in sentences), f"{width}: how sure it is: {sentences}")
        ranking = page.get("ranking") or []
        check(len(ranking) == 3 and all("%" in r["text"] for r in ranking) and
              ranking == sorted(ranking, key=lambda r: -r["first_order"]), f"{width}: the ranking: {ranking}")
        check(page.get("ranking_charts") == [True], f"{width}: the ranking's chart: {page.get('ranking_charts')}")
        check(page.get("width", 99999) <= int(width) and not page.get("overflowing"),
              f"{width}: the page is {page.get('width')} px wide; overflowing: {page.get('overflowing')}")
    for name in ("studio_draws_1400", "studio_draws_1024", "studio_draws_390", "studio_map_1400", "studio_compare_1400", "studio_future_390", "studio_compare_390",
                 "studio_words_1400", "studio_whatif_1400", "studio_words_390", "studio_forms_1400", "studio_graph_1400", "studio_graph_390", "studio_calendar_1400"):
        shot = os.path.join(artefacts, name + ".png")
        check(os.path.exists(shot) and os.path.getsize(shot) > 10_000, f"no screenshot {shot}")

finish("studio_browser")
