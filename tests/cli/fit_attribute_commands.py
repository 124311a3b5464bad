"""`cjsim fit` and `cjsim attribute` driven from outside: a fitted journey that `run` accepts,
goodness of fit in HDF5, attribution as CSV and JSON on real path data, and clear errors.

Usage: fit_attribute_commands.py CJSIM SOURCE_DIR
"""
import csv
import io
import json
import os
import sys
import tempfile

import h5py

cjsim, source = sys.argv[1], sys.argv[2]
observed = os.path.join(source, "tests", "data", "observed")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, failures, finish, runner  # noqa: E402


run = runner(cjsim)


with tempfile.TemporaryDirectory() as tmp:
    fitted = os.path.join(tmp, "fitted.yaml")
    report = os.path.join(tmp, "fit.h5")
    fit = run("fit", os.path.join(observed, "pathdata_head.csv"), "-o", fitted, "--holdout", "0.2",
              "--report-out", report, "-n", "20000", "-t", "2")
    check(fit.returncode == 0, f"fit failed: {fit.stderr}")
    check("Goodness of fit, holdout share" in fit.stdout, f"no holdout check:\n{fit.stdout}")
    as_json = run("fit", os.path.join(observed, "tiny_events.csv"), "-o", os.path.join(tmp, "j.yaml"),
                  "-n", "4000", "--json")
    check(as_json.returncode == 0, f"fit --json failed: {as_json.stderr}")
    checks = json.loads(as_json.stdout)["checks"]
    check(checks["fitted"]["observed_conversion"]["value"] == 0.5, f"fit --json: {checks}")
    check(0 < checks["fitted"]["variant_distance"] < 1
          and checks["fitted"]["variants"]["observed"] == 4, f"fit --json variants: {checks}")
    check("whole paths: earth mover's distance" in fit.stdout, f"no variant distance:\n{fit.stdout}")
    # Time: tiny_events.csv's converters take 3 h and 1.5 h from their first visit to the
    # conversion visit; its customers' journeys last 3, 3, 1.5 and 0 h to their last visit.
    to_convert, duration = checks["fitted"]["time_to_convert"], checks["fitted"]["journey_duration"]
    check(to_convert["available"] and to_convert["observed_customers"] == 2
          and to_convert["observed_mean_hours"] == 2.25 and to_convert["observed_median_hours"] == 1.5
          and 0 <= to_convert["kolmogorov_smirnov_distance"] <= 1, f"time to convert: {to_convert}")
    check(duration["available"] and duration["observed_mean_hours"] == 1.875
          and duration["quantiles"]["observed_hours"] == [0, 0, 1.5, 3, 3]
          and abs(sum(duration["hours"]["observed"]) - 1) < 1e-12, f"journey duration: {duration}")
    # A path table has no timestamps: the figures are unavailable, not 0.
    for line in ("time to convert: unavailable (the data have no timestamps)",
                 "journey duration: unavailable (the data have no timestamps)"):
        check(line in fit.stdout, f"no '{line}':\n{fit.stdout}")
    ran = run("run", fitted, "-n", "2000", "--json")
    check(ran.returncode == 0, f"run of the fitted journey failed: {ran.stderr}")
    with h5py.File(report, "r") as f:
        check(set(f.keys()) == {"fitted", "holdout"}, f"groups {list(f.keys())}")
        length = f["fitted/path_length/observed"][()]
        check(abs(length.sum() - 1.0) < 1e-9, f"path length shares sum to {length.sum()}")
        check(f["holdout"].attrs["path_length_distance"] < 0.2, "holdout path lengths far off")
        for share in ("fitted", "holdout"):
            attrs = f[share].attrs
            check(0 < attrs["variant_distance"] < 1, f"{share} variant_distance {attrs.get('variant_distance')}")
            check(attrs["compared_variants"] <= 200 and attrs["observed_variants"] > 0,
                  f"{share} variants {dict(attrs)}")
            pooled = attrs["pooled_observed_share"], attrs["pooled_simulated_share"]
            check(all(0 <= p < 1 for p in pooled), f"{share} pooled shares {pooled}")
            # Top paths are whole in the file: each label is a path of the data as it is.
            labels = [x.decode() if isinstance(x, bytes) else x for x in f[f"{share}/top_paths/labels"][()]]
            check(all(not x.endswith("...") and x for x in labels), f"top paths cut: {labels}")
            for figure in ("time_to_convert", "journey_duration"):
                time = f[f"{share}/{figure}"].attrs
                check(time["available"] == 0 and time["unavailable"] == "the data have no timestamps",
                      f"{share} {figure}: {dict(time)}")
        closed = f.attrs["fitted_conversion_probability"]
        check(abs(closed - f.attrs["data_conversion_rate"]) < 1e-12,
              f"closed form {closed} vs data {f.attrs['data_conversion_rate']}")

    again = run("fit", os.path.join(observed, "pathdata_head.csv"), "-o", fitted)
    check(again.returncode == 1 and "already exists" in again.stderr, f"overwrite: {again.stderr}")

    events = run("fit", os.path.join(observed, "si05_head.csv"), "-o", os.path.join(tmp, "si05.yaml"),
                 "--customer-column", "customer_id", "--timestamp-column", "time",
                 "--touchpoint-column", "channel", "--value-column", "conversion_value",
                 "--converted-column", "conversion", "-n", "5000",
                 "--report-out", os.path.join(tmp, "si05.h5"))
    check(events.returncode == 0, f"fit of an event log failed: {events.stderr}")
    with h5py.File(os.path.join(tmp, "si05.h5"), "r") as f:
        for figure in ("time_to_convert", "journey_duration"):
            time = f[f"fitted/{figure}"]
            quantiles = time["observed_quantile_hours"][()]
            check(time.attrs["available"] == 1 and time.attrs["observed_customers"] > 0
                  and quantiles[2] == time.attrs["observed_median_hours"]
                  and list(quantiles) == sorted(quantiles)
                  and abs(time["hours/simulated"][()].sum() - 1) < 1e-9, f"si05 {figure}: {dict(time.attrs)}")

    bad = os.path.join(tmp, "bad.csv")
    with open(bad, "w") as f:
        f.write("customer,timestamp,touchpoint\nc1,2024-01-01,web\nc2,someday,web\n")
    wrong = run("fit", bad, "-o", os.path.join(tmp, "bad.yaml"))
    check(wrong.returncode == 1 and f"{bad}:3:2: error: timestamp 'someday'" in wrong.stderr,
          f"a bad timestamp: {wrong.returncode} {wrong.stderr}")
    check(not os.path.exists(os.path.join(tmp, "bad.yaml")), "a failed fit wrote its output")

    # Hostile data: every one a clear error and exit code 1, nothing written.
    empty = os.path.join(tmp, "empty.csv")
    open(empty, "w").close()
    garbage = os.path.join(tmp, "garbage.csv")
    with open(garbage, "wb") as f:
        f.write(bytes(range(256)) * 40)
    for data, words in [(empty, "the file is empty"), (tmp, "is a directory"),
                        (garbage, "error:"), (os.path.join(tmp, "none.xes"), "cannot open")]:
        for command in ("fit", "attribute"):
            args = [command, data] + (["-o", os.path.join(tmp, "never.yaml")] if command == "fit" else [])
            done = run(*args)
            check(done.returncode == 1 and words in done.stderr,
                  f"{command} {data}: {done.returncode} {done.stderr[-300:]}")
    check(not os.path.exists(os.path.join(tmp, "never.yaml")), "a failed fit wrote its output")

    table = os.path.join(tmp, "attribution.csv")
    out = run("attribute", os.path.join(observed, "pathdata_head.csv"), "--order", "2", "--csv", table, "--json")
    check(out.returncode == 0, f"attribute failed: {out.stderr}")
    data = json.loads(out.stdout)
    total = data["totals"]["conversions"]
    for column in ["markov_1_conversions", "markov_2_conversions", "first_touch_conversions",
                   "last_touch_conversions", "linear_conversions"]:
        attributed = sum(row[column] for row in data["channels"])
        check(abs(attributed - total) < 1e-6 * total, f"{column} sums to {attributed}, not {total}")
    with open(table) as f:
        rows = list(csv.DictReader(f))
    check(len(rows) == 10 and "markov_2_removal_effect" in rows[0], f"CSV rows {len(rows)}: {rows[:1]}")

    # An event log and the path table made from it (the channels up to and including the
    # first conversion, as ChannelAttribution's users build them) attribute the same.
    si05 = os.path.join(observed, "si05_head.csv")
    by_customer = {}
    with open(si05) as f:
        for order, row in enumerate(csv.DictReader(f)):
            by_customer.setdefault(row["customer_id"], []).append((row["time"], order, row))
    paths = {}
    for events in by_customer.values():
        events.sort(key=lambda e: (e[0], e[1]))
        channels, value, converted = [], 0.0, False
        for _, _, row in events:
            channels.append(row["channel"])
            if row["conversion"] == "1":
                converted, value = True, float(row["conversion_value"])
                break
        entry = paths.setdefault(" > ".join(channels), [0, 0.0, 0])
        if converted:
            entry[0] += 1
            entry[1] += value
        else:
            entry[2] += 1
    table_file = os.path.join(tmp, "si05_paths.csv")
    with open(table_file, "w") as f:
        f.write("path,total_conversions,total_conversion_value,total_null\n")
        for path, (conversions, value, nulls) in paths.items():
            f.write(f"{path},{conversions},{value},{nulls}\n")
    from_log = run("attribute", si05, "--order", "2", "--json", "--customer-column", "customer_id",
                   "--timestamp-column", "time", "--touchpoint-column", "channel",
                   "--value-column", "conversion_value", "--converted-column", "conversion")
    from_table = run("attribute", table_file, "--order", "2", "--json")
    check(from_log.returncode == 0 and from_table.returncode == 0, f"{from_log.stderr} {from_table.stderr}")
    rows_log = {r["channel"]: r for r in json.loads(from_log.stdout)["channels"]}
    rows_table = {r["channel"]: r for r in json.loads(from_table.stdout)["channels"]}
    check(rows_log.keys() == rows_table.keys(), f"channels {rows_log.keys()} {rows_table.keys()}")
    for channel, row in rows_log.items():
        for column, value in row.items():
            if column == "channel" or channel not in rows_table:
                continue
            other = rows_table[channel][column]
            check(abs(value - other) <= 1e-9 * max(1.0, abs(value)),
                  f"{channel} {column}: event log {value}, path table {other}")

    # Same seed, same results, whatever the thread count.
    outputs = []
    for threads in ("1", "2"):
        target = os.path.join(tmp, f"threads{threads}.yaml")
        done = run("fit", os.path.join(observed, "tiny_events.csv"), "-o", target, "-n", "3000",
                   "--holdout", "0.5", "-s", "9", "-t", threads)
        check(done.returncode == 0, f"fit -t {threads}: {done.stderr}")
        outputs.append(done.stdout.replace(target, "FITTED"))
    check(outputs[0] == outputs[1], f"fit differs between 1 and 2 threads:\n{outputs[0]}\n{outputs[1]}")

    journey = run("attribute", os.path.join(source, "scenarios", "examples", "retail.yaml"),
                  "-n", "4000", "-t", "2")
    check(journey.returncode == 0 and "simulated_removal_effect" in journey.stdout,
          f"attribute on a journey: {journey.stderr}\n{journey.stdout}")

    # A path table of conversions only (as GA4 exports them) fits a journey that converts
    # everyone: said, not left for the reader to find in the 100% conversion rate.
    only = os.path.join(tmp, "conversions_only.csv")
    with open(only, "w") as f:
        f.write("path,total_conversions\nA > B,3\nB,2\n")
    done = run("fit", only, "-o", os.path.join(tmp, "only.yaml"), "-n", "1000")
    check(done.returncode == 0 and "warning: every customer in the data converted" in done.stderr
          and "--null-column" in done.stderr, f"conversions only: {done.stderr}")
    done = run("fit", os.path.join(observed, "tiny_paths.csv"), "-o",
               os.path.join(tmp, "with_nulls.yaml"), "-n", "1000")
    check(done.returncode == 0 and "every customer" not in done.stderr,
          f"a table with nulls warned: {done.stderr}")

    # The fitted parameters with their uncertainty: forms in the file, the same seed the same
    # file, and a run with draws that carries them.
    uncertain = os.path.join(tmp, "uncertain.yaml")
    texts = []
    for name in ("u1.yaml", "u2.yaml"):
        target = os.path.join(tmp, name)
        done = run("fit", os.path.join(observed, "pathdata_head.csv"), "-o", target, "-n", "2000",
                   "-s", "3", "--uncertainty", "bootstrap:40")
        check(done.returncode == 0 and "written with their uncertainty" in done.stdout,
              f"fit --uncertainty bootstrap: {done.stderr}\n{done.stdout}")
        with open(target) as f:
            texts.append(f.read())
    check(texts[0] == texts[1], "the same seed wrote two different bootstrap files")
    check("{beta: [" in texts[0] and "{normal: [" in texts[0], "no uncertain forms written")
    done = run("fit", os.path.join(observed, "pathdata_head.csv"), "-o", uncertain, "-n", "2000",
               "--uncertainty", "standard-errors")
    check(done.returncode == 0, f"fit --uncertainty standard-errors: {done.stderr}")
    drawn = run("run", uncertain, "-n", "2000", "--draws", "8", "--json", "-t", "2")
    check(drawn.returncode == 0 and "conversion_rate_uncertainty" in drawn.stdout,
          f"run --draws of a fitted journey: {drawn.stderr}")
    wrong = run("fit", os.path.join(observed, "tiny_events.csv"), "-o", os.path.join(tmp, "w.yaml"),
                "--uncertainty", "bootstrap:1")
    check(wrong.returncode == 1 and "--uncertainty 'bootstrap:1'" in wrong.stderr
          and not os.path.exists(os.path.join(tmp, "w.yaml")), f"bad --uncertainty: {wrong.stderr}")

    # A log as pm4py writes it, with start and complete events: read by its XES headers,
    # filtered to one visit per activity, fitted at order 2 with durations chosen by AIC.
    pm4py = os.path.join(tmp, "pm4py.csv")
    with open(pm4py, "w") as f:
        f.write("case:concept:name,concept:name,time:timestamp,lifecycle:transition\n")
        for case in range(40):
            f.write(f"c{case},review,2024-03-01T10:00:00Z,start\n")
            f.write(f"c{case},review,2024-03-01T10:{10 + case % 7:02}:00Z,complete\n")
            f.write(f"c{case},pay,2024-03-01T11:{case % 50:02}:00Z,complete\n")
    ordered = os.path.join(tmp, "ordered.yaml")
    done = run("fit", pm4py, "-o", ordered, "-n", "1000", "--lifecycle", "complete",
               "--order", "2", "--durations", "best", "--conversion-touchpoint", "pay")
    check(done.returncode == 0 and "Order 2:" in done.stdout and "BIC prefers order" in done.stdout
          and "each touchpoint's family by AIC" in done.stdout,
          f"fit --order 2 of a pm4py log: {done.stderr}\n{done.stdout}")
    with open(ordered) as f:
        text = f.read()
    check("review > pay" in text and "review > review" not in text,
          f"the order-2 journey of completed events:\n{text}")
    done = run("fit", pm4py, "-o", os.path.join(tmp, "typo.yaml"), "--lifecycle", "compelte",
               "--conversion-touchpoint", "pay")
    check(done.returncode == 1 and "did you mean 'complete'?" in done.stderr,
          f"--lifecycle typo: {done.stderr}")
    # With a holdout, every order compared is scored on the held-out customers too.
    done = run("fit", pm4py, "-o", os.path.join(tmp, "held.yaml"), "-n", "1000", "--lifecycle",
               "complete", "--order", "bic", "--holdout", "0.25", "--conversion-touchpoint", "pay")
    check(done.returncode == 0 and done.stdout.count("; held out: log-likelihood") == 3
          and "On the held-out customers every order explains" in done.stdout,
          f"fit --order bic --holdout: {done.stderr}\n{done.stdout}")
    # Activity filters: the review left out, the journey is pay alone.
    done = run("fit", pm4py, "-o", os.path.join(tmp, "pay.yaml"), "-n", "1000", "--lifecycle",
               "complete", "--exclude-activity", "rev*", "--conversion-touchpoint", "pay")
    with open(os.path.join(tmp, "pay.yaml")) as f:
        text = f.read()
    check(done.returncode == 0 and "review" not in text and "pay" in text,
          f"fit --exclude-activity: {done.stderr}\n{text}")
    done = run("fit", pm4py, "-o", os.path.join(tmp, "typo.yaml"), "--activity", "reveiw",
               "--conversion-touchpoint", "pay")
    check(done.returncode == 1 and "--activity 'reveiw' matches no touchpoint" in done.stderr
          and "did you mean 'review'?" in done.stderr, f"--activity typo: {done.stderr}")

    # Removing an entry: its customers lost (said), or moved to the other entries when asked.
    retail = os.path.join(source, "scenarios", "examples", "retail.yaml")
    for traffic, words in (("lost", "are lost"), ("redistributed", "start at the other entries")):
        done = run("attribute", retail, "-n", "2000", "-t", "2", "--no-simulation",
                   "--entry-traffic", traffic)
        check(done.returncode == 0 and words in done.stdout,
              f"attribute --entry-traffic {traffic}: {done.stderr}\n{done.stdout}")
    done = run("attribute", os.path.join(observed, "tiny_paths.csv"), "--entry-traffic", "lost")
    check(done.returncode == 1 and "--entry-traffic applies to a journey file" in done.stderr,
          f"--entry-traffic on data: {done.stderr}")

finish("fit_attribute_commands")
