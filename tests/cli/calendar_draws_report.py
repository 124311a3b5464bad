"""`cjsim report FILE.h5` of a calendar run or comparison with uncertain inputs drawn shows the
draws as `run`/`compare --report` did (issue 19): how sure it is, each headline and resource
cell's range over the draws, each difference's probability of being better. The page from the
file is compared with the page written at run time, section by section and then whole; and a
plain (non-calendar) run's and comparison's with draws the same way.

Nothing is stripped before comparing: the page's time is the run's, stored in the file with
the command line and the seconds it took, so the page from the file is byte for byte the one
`--report` wrote. Kept small for CI (it runs under the sanitizers too): 3 days, 2
replications, 4 draws.

Usage: calendar_draws_report.py CJSIM SOURCE_DIR
"""
import csv
import io
import json
import math
import os
import re
import sys
import tempfile

cjsim, source = sys.argv[1], sys.argv[2]
examples = os.path.join(source, "scenarios", "examples")
call_centre = os.path.join(examples, "bank_call_centre_estimate.yaml")
call_back = os.path.join(examples, "bank_call_centre_call_back_estimate.yaml")
bank = os.path.join(examples, "bank_current_account.yaml")
guided = os.path.join(examples, "bank_current_account_guided_id_estimate.yaml")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, finish, runner  # noqa: E402

run = runner(cjsim)
calendar_args = ["--draws", "4", "--days", "3", "-r", "2", "--seed", "7"]
plain_args = ["--draws", "4", "-n", "2000", "--seed", "7"]


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def section(page, name):
    start = page.find(f'<section id="{name}"')
    return page[start:page.find("</section>", start)] if start >= 0 else ""


def charts(page):
    """The embedded chart data (each chart's ECharts option, the sensitivity chart's too)."""
    found = re.search(r'<script type="application/json" id="cjsim-charts">(.*?)</script>',
                      page, re.S)
    return found.group(1) if found else ""


def drawn(page):
    """What the page says of the draws cell by cell: ranges, odds and the draws' lines."""
    return (re.findall(r'data-key="([^"]+)" data-value="[^"]*" data-uncertainty="([^"]*)"', page),
            re.findall(r'data-probability-better="([^"]*)"', page),
            re.findall(r'<span class="ci drawn"[^>]*>([^<]*)</span>', page))


def same_page(name, command, expect_ranges, expect_odds):
    with tempfile.TemporaryDirectory() as work:
        direct, stored, reported = (os.path.join(work, f) for f in ("A.html", "f.h5", "B.html"))
        r = run(*command, "--report", direct, "-o", stored)
        check(r.returncode == 0, f"{name}: {' '.join(command[:1])} --draws failed: {r.stderr}")
        if r.returncode != 0:
            return
        r = run("report", stored, "-o", reported)
        check(r.returncode == 0 and f"cjsim: wrote {reported}" in r.stderr,
              f"{name}: report of the stored file failed: {r.stderr}")
        if r.returncode != 0:
            return
        check("warning" not in r.stderr, f"{name}: report warns of a fresh file: {r.stderr}")
        a, b = read(direct), read(reported)
        how_sure = section(a, "how-sure")
        check(how_sure and "Which guess matters most" in a,
              f"{name}: the page --report wrote does not say how sure it is")
        check(section(b, "how-sure") == how_sure,
              f"{name}: the stored file's page says differently how sure it is")
        ranges, odds, lines = drawn(a)
        check(len(ranges) >= expect_ranges, f"{name}: {len(ranges)} ranges over the draws in A")
        check(len(odds) >= expect_odds, f"{name}: {len(odds)} differences with odds in A")
        check(drawn(b) == (ranges, odds, lines),
              f"{name}: the stored file's page gives other ranges or odds than --report's: "
              f"{len(drawn(b)[0])} ranges, {len(drawn(b)[1])} odds against {len(ranges)}, "
              f"{len(odds)}")
        check(charts(a) and charts(b) == charts(a),
              f"{name}: the stored file's page has other chart data")
        check(a == b, f"{name}: the page from the stored file differs from --report's")


# A calendar run: every headline and resource cell carries its range over the draws.
same_page("calendar run", ["run", call_centre, *calendar_args], expect_ranges=9,
          expect_odds=0)
# A calendar comparison: the ranges of both journeys, each difference's odds.
same_page("calendar comparison", ["compare", call_centre, call_back, *calendar_args],
          expect_ranges=18, expect_odds=10)
# Plain journeys with draws, run and compared: their pages say how sure they are.
same_page("plain run", ["run", guided, *plain_args], expect_ranges=0, expect_odds=0)
same_page("plain comparison", ["compare", bank, guided, *plain_args], expect_ranges=0,
          expect_odds=0)


def close(a, b):
    return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)


def uncertainty_part(text):
    """The words on the draws: from "Uncertain inputs:" to the end."""
    start = text.find("Uncertain inputs:")
    return text[start:] if start >= 0 else ""


def tables_from_file(name, command):
    """`--json`, text at run time and text, Markdown and CSV of the stored file of one run or
    comparison with draws; (json, run-time text, {format: report}) or None."""
    with tempfile.TemporaryDirectory() as work:
        stored = os.path.join(work, "f.h5")
        j = run(*command, "--json")
        t = run(*command, "-o", stored)
        check(j.returncode == 0 and t.returncode == 0,
              f"{name}: run with --draws failed: {j.stderr} {t.stderr}")
        if j.returncode != 0 or t.returncode != 0:
            return None
        reports = {}
        for fmt in ("text", "md", "csv"):
            out = os.path.join(work, "r." + fmt)
            r = run("report", stored, "--format", fmt, "-o", out)
            check(r.returncode == 0, f"{name}: report --format {fmt} failed: {r.stderr}")
            if r.returncode != 0:
                return None
            reports[fmt] = read(out)
        return json.loads(j.stdout), t.stdout, reports


def csv_rows(text, table):
    return [row for row in csv.DictReader(io.StringIO(text)) if row["table"] == table]


def check_tables(name, command, scenarios_of):
    """Text, Markdown and CSV carry the JSON's x_uncertainty: a few figures checked by value."""
    got = tables_from_file(name, command)
    if got is None:
        return
    figures, live_text, reports = got
    words = uncertainty_part(live_text)
    check(words and "Which guess matters most" in words and "over the inputs" in words,
          f"{name}: the text at run time does not show the draws: {live_text}")
    check(uncertainty_part(reports["text"]) == words,
          f"{name}: the stored file's text says other things of the draws than run time's:\n"
          f"{uncertainty_part(reports['text'])}\n---\n{words}")
    check("## How sure it is" in reports["md"] and
          "### Calendar and resource figures over the draws" in reports["md"],
          f"{name}: the Markdown does not say how sure it is")
    table = reports["csv"]
    draws = csv_rows(table, "draws")
    for scenario in scenarios_of(figures):
        label = scenario.get("name", None)
        mine = [r for r in draws if label is None or r["scenario"] == label]
        by_key = {(r["scope"], r["metric"]): r for r in mine}
        wanted = [("overall", "conversion_rate", scenario["conversion_rate_uncertainty"]),
                  ("overall", "staff_cost", scenario["staff_cost_uncertainty"])]
        for resource in scenario["resources"]:
            wanted.append((f"resource:{resource['id']}", "abandonment_rate",
                           resource["abandonment_rate_uncertainty"]))
            wanted.append((f"resource:{resource['id']}", "p90_wait_hours",
                           resource["p90_wait_hours_uncertainty"]))
        for scope, metric, (low, high) in wanted:
            row = by_key.get((scope, metric))
            check(row is not None and close(row["ci_low"], low) and close(row["ci_high"], high),
                  f"{name} {label} {scope} {metric}: the CSV's range {row} is not the JSON's "
                  f"[{low}, {high}]")
    check(any(line.startswith("|") and "Staff cost" in line and " to " in line
              for line in reports["md"].splitlines()),
          f"{name}: the Markdown lacks the staff cost's range over the draws")
    return figures, table


check_tables("calendar run", ["run", call_centre, *calendar_args], lambda j: [j])
got = check_tables("calendar comparison", ["compare", call_centre, call_back, *calendar_args],
                   lambda j: j["scenarios"])
if got is not None:
    figures, table = got
    odds = csv_rows(table, "difference_odds")
    drawn = csv_rows(table, "difference_draws")
    listed = figures["differences"][0]["figures"]
    check(len(odds) == len(listed) and len(drawn) == len(listed),
          f"difference rows: {len(odds)} odds, {len(drawn)} ranges for {len(listed)} differences")
    for row, o, d in zip(listed, odds, drawn):
        scope = f"resource:{row['resource']}" if row.get("resource") else "overall"
        check(o["metric"] == row["figure"] and o["scope"] == scope and d["scope"] == scope,
              f"difference rows out of order: {o} {d} {row}")
        if row.get("probability_better") is not None:
            check(close(o["value"], row["probability_better"]),
                  f"{scope} {row['figure']}: the CSV's probability {o['value']} is not the "
                  f"JSON's {row['probability_better']}")
        if row.get("uncertainty") and row["uncertainty"][0] is not None:
            check(close(d["ci_low"], row["uncertainty"][0]) and
                  close(d["ci_high"], row["uncertainty"][1]) and
                  close(d["value"], row["expected"]),
                  f"{scope} {row['figure']}: the CSV's difference over the draws {d} is not the "
                  f"JSON's {row['uncertainty']}, {row['expected']}")
finish("calendar_draws_report")
