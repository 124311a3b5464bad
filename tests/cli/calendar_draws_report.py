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
finish("calendar_draws_report")
