"""`cjsim studio`'s API, every endpoint, driven over HTTP as the page drives it: the token,
Host and Origin checks, paths that leave the folder, oversized and malformed bodies, saves that
would overwrite a file changed on disk, validation worded as `cjsim validate` words it, runs and
comparisons equal to `cjsim run --json` and `cjsim compare --json`, cancel, save and export,
the bound on runs at once, and Ctrl-C.

Usage: studio_api.py CJSIM SOURCE_DIR
"""
import json
import os
from html import escape
import sys
import tempfile
import time

cjsim, source = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, failures, finish  # noqa: E402
from studio_server import Studio, make_folder  # noqa: E402
import subprocess  # noqa: E402


def cjsim_in(folder, *args):
    return subprocess.run([cjsim, *args], capture_output=True, text=True, timeout=300, cwd=folder)


# What differs between a studio job and `cjsim run --json` of the same file: the timings, and
# the scenario's path (the studio's is in its folder; the command's as it was typed).
MADE = ("seconds", "scenario_path")


def without_seconds(value):
    """The JSON without its timings, which differ from run to run, and the command's record of
    how the run was made."""
    if isinstance(value, dict):
        return {k: without_seconds(v) for k, v in value.items() if k not in MADE}
    if isinstance(value, list):
        return [without_seconds(v) for v in value]
    return value


def html_escape(text):
    """Text as the HTML report escapes it (reports/html: &, <, >, " and ')."""
    return escape(text, quote=True).replace("&#x27;", "&#39;")


def wait_for(studio, job_id, timeout=240):
    deadline = time.time() + timeout
    while time.time() < deadline:
        status, _, job = studio.request("GET", f"/api/jobs/{job_id}")
        if status != 200 or job["state"] != "running":
            return job
        time.sleep(0.05)
    failures.append(f"job {job_id} still running after {timeout} s")
    return job


with tempfile.TemporaryDirectory() as work:
    folder = os.path.join(work, "journeys")
    os.mkdir(folder)
    make_folder(source, folder)
    outside = os.path.join(work, "outside.yaml")
    with open(os.path.join(folder, "retail.yaml")) as f:
        retail_text = f.read()
    with open(outside, "w") as f:
        f.write(retail_text.replace("Omnichannel retail", "Outside the folder"))
    os.symlink(outside, os.path.join(folder, "link_out.yaml"))
    os.symlink("retail.yaml", os.path.join(folder, "link_in.yaml"))
    with open(os.path.join(folder, "notes.txt"), "w") as f:
        f.write("touchpoints: not a journey\n")

    studio = Studio(cjsim, folder)
    port, token = studio.port, studio.token

    # --- the gate: token, Host, Origin --------------------------------------------------
    status, _, body = studio.request("GET", "/api/files", token=False)
    check(status == 401 and "token" in body["error"], f"no token: {status} {body}")
    status, _, _ = studio.request("GET", "/", token=False)
    check(status == 401, f"the page without a token: {status}")
    status, _, _ = studio.request("GET", "/?token=" + "0" * 64, token=False)
    check(status == 401, f"a wrong token in the address: {status}")
    status, _, _ = studio.request("GET", "/api/files", token=False,
                                  headers={"Authorization": "token " + token[:-1] + "x"})
    check(status == 401, f"a wrong token in the header: {status}")
    status, headers, _ = studio.request("GET", f"/?token={token}", token=False)
    cookie = headers.get("Set-Cookie", "")
    check(status == 303 and headers.get("Location") == "/", f"the address with its token: {status} {headers}")
    check(f"cjsim_studio_token={token}" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie,
          f"the token's cookie: {cookie!r}")
    status, headers, page = studio.request("GET", "/", token=False,
                                           headers={"Cookie": f"other=1; cjsim_studio_token={token}"})
    check(status == 200 and "studio.js" in page, f"the page with the cookie: {status}")
    check("script-src 'self'" in headers.get("Content-Security-Policy", "") and
          "frame-src 'none'" in headers.get("Content-Security-Policy", ""), f"the page's CSP: {headers}")
    for asset in ("/studio.js", "/studio.css", "/echarts.js", "/report_charts.js", "/dagre.js"):
        status, _, text = studio.request("GET", asset)
        check(status == 200 and len(text) > 1000, f"{asset}: {status}")
    status, _, body = studio.request("GET", "/api/files", headers={"Host": f"evil.example:{port}"})
    check(status == 403 and "Host" in body["error"], f"a DNS-rebound Host: {status} {body}")
    status, _, _ = studio.request("GET", "/api/files", headers={"Host": None})
    check(status == 403, f"no Host: {status}")
    status, _, body = studio.request("GET", "/api/files", headers={"Origin": "http://evil.example"})
    check(status == 403 and "Origin" in body["error"], f"another site's Origin: {status} {body}")
    status, _, _ = studio.request("GET", "/api/files", headers={"Origin": f"http://127.0.0.1:{port + 1}"})
    check(status == 403, f"an Origin on another port: {status}")
    status, _, _ = studio.request("POST", "/api/validate", {"path": "x.yaml", "text": "x"},
                                  headers={"Sec-Fetch-Site": "cross-site"})
    check(status == 403, f"a cross-site fetch: {status}")
    status, _, body = studio.request("GET", "/api/files", headers={"Origin": f"http://127.0.0.1:{port}",
                                                                   "Host": f"localhost:{port}"})
    check(status == 200, f"its own Origin, Host localhost: {status} {body}")

    # --- the file list -------------------------------------------------------------------
    listed = {f["path"]: f["kind"] for f in body["files"]}
    check(listed.get("retail.yaml") == "journey", f"files: {listed}")
    check(listed.get("retail_one_click_checkout.yaml") == "future_state", f"files: {listed}")
    check("link_out.yaml" not in listed and "notes.txt" not in listed, f"files: {listed}")
    check(listed.get("link_in.yaml") == "journey", f"a link inside the folder: {listed}")

    # --- reading: the text, its structure, its check -------------------------------------
    status, _, body = studio.request("GET", "/api/file?path=retail.yaml")
    check(status == 200 and body["text"] == retail_text and len(body["etag"]) == 64, f"read: {status}")
    validate = cjsim_in(folder, "validate", "retail.yaml")
    check(body["valid"] and body["summary"] == validate.stdout.strip(),
          f"summary {body.get('summary')!r} is not validate's {validate.stdout.strip()!r}")
    journey = body["journey"]
    check(journey["stages"] == ["awareness", "consideration", "purchase", "service", "loyalty"],
          f"stages: {journey['stages']}")
    social = next(t for t in journey["touchpoints"] if t["id"] == "social_ad")
    check(social["dropout"] == 0.4 and social["name"] == "Social media ad" and social["stage"] == "awareness",
          f"social_ad: {social}")
    dropout_line = retail_text.splitlines()[social["fields"]["dropout"]["line"] - 1]
    check(dropout_line.strip().startswith("dropout: 0.4"), f"dropout's place: {dropout_line!r}")
    check(len(journey["transitions"]) > 10 and len(journey["personas"]) >= 1, "transitions, personas")
    status, _, body = studio.request("GET", "/api/file?path=retail_one_click_checkout.yaml")
    check(status == 200 and body["kind"] == "future_state" and body["journey"]["bases"] == ["retail.yaml"],
          f"a future state: {status} {body.get('journey', {}).get('bases')}")
    # The journey map's words (issue 13), with where each is written.
    status, _, body = studio.request("GET", "/api/file?path=bank_current_account.yaml")
    bank = body["journey"]
    ad = next(t for t in bank["touchpoints"] if t["id"] == "social_ad")
    check(ad["words"]["owner"] == "Marketing" and ad["words"]["lane"] == "frontstage" and
          ad["words"]["thoughts"] == ["Is it really free?", "Is this a proper bank?"] and
          ad["words"]["customer_action"].startswith("Watches part") and
          ad["words"]["pain_points"] and ad["words"]["opportunities"], f"social_ad's words: {ad['words']}")
    with open(os.path.join(folder, "bank_current_account.yaml")) as f:
        bank_lines = f.read().splitlines()
    check(bank_lines[ad["fields"]["owner"]["line"] - 1].strip() == "owner: Marketing", "owner's place")
    stage = bank["stage_words"][0]
    check(stage["name"] == "awareness" and stage["description"].startswith("The customer notices") and
          stage["goals"] and bank_lines[stage["fields"]["goals"]["line"] - 1].strip().startswith("goals:"),
          f"a stage's words: {stage}")
    check([s["name"] for s in bank["stage_words"]] == bank["stages"], "every stage in stage_words")
    check(all(p["name"] and p["name"] != p["id"] for p in bank["personas"]), f"persona names: {bank['personas']}")
    for path, expected in (("../outside.yaml", 400), (outside, 400), ("link_out.yaml", 403),
                           ("missing.yaml", 404), ("notes.txt", 403), ("", 400),
                           ("sub/../../outside.yaml", 400), ("%2e%2e/outside.yaml", 400)):
        status, _, body = studio.request("GET", "/api/file?path=" + path)
        check(status == expected and "error" in body, f"read {path!r}: {status} (expected {expected}) {body}")
    status, _, body = studio.request("GET", "/api/file")
    check(status == 400, f"read without a path: {status}")
    status, _, body = studio.request("GET", "/api/nothing")
    check(status == 404 and "error" in body, f"an unknown endpoint: {status} {body}")

    # --- validate: the same diagnostics as `cjsim validate`, with lines and columns -------
    bad_text = retail_text.replace("dropout: 0.4 ", "dropout: 1.4 ", 1).replace("stage: awareness", "stage: awarenes", 1)
    with open(os.path.join(folder, "bad.yaml"), "w") as f:
        f.write(bad_text)
    validate = cjsim_in(folder, "validate", "bad.yaml")
    status, _, body = studio.request("POST", "/api/validate", {"path": "bad.yaml", "text": bad_text})
    texts = [d["text"] for d in body["diagnostics"]]
    check(status == 200 and not body["valid"] and body["journey"] is None, f"validate bad: {status}")
    check(texts == validate.stderr.strip().splitlines()[:-1], f"diagnostics {texts} are not validate's {validate.stderr}")
    check(body["summary"] == validate.stderr.strip().splitlines()[-1], f"summary: {body['summary']}")
    check(all(d["line"] > 0 and d["column"] > 0 for d in body["diagnostics"]), f"places: {body['diagnostics']}")
    status, _, body = studio.request("POST", "/api/validate", {"path": "new.yaml", "text": "name: [unclosed"})
    check(status == 200 and not body["valid"] and "syntax" in body["diagnostics"][0]["text"]
          and body["diagnostics"][0]["line"] >= 1, f"syntax: {body}")
    status, _, body = studio.request("POST", "/api/validate",
                                     {"path": "escape.yaml", "text": "base: ../outside.yaml\nchanges: []\n"})
    check(status == 403 and "outside" in body["error"], f"a base outside the folder: {status} {body}")
    status, _, body = studio.request("POST", "/api/validate",
                                     {"path": "escape.yaml", "text": f"base: {outside}\nchanges: []\n"})
    check(status == 403, f"an absolute base: {status} {body}")
    status, _, body = studio.request("POST", "/api/validate", {"path": "../x.yaml", "text": "x"})
    check(status == 400, f"validate a path outside: {status}")

    # --- malformed and oversized requests --------------------------------------------------
    status, _, body = studio.request("POST", "/api/validate", raw=b"{not json",
                                     headers={"Content-Type": "application/json"})
    check(status == 400 and "JSON" in body["error"], f"malformed JSON: {status} {body}")
    status, _, body = studio.request("POST", "/api/validate", raw=b"[1, 2]")
    check(status == 400, f"a JSON array: {status} {body}")
    status, _, body = studio.request("POST", "/api/validate", {"path": 3, "text": "x"})
    check(status == 400 and "path" in body["error"], f"a number for a path: {status} {body}")
    status, _, body = studio.request("POST", "/api/validate", raw=b"x" * (9 << 20))
    check(status == 413 and "error" in body, f"a 9 MiB body: {status} {body}")
    status, _, body = studio.request("POST", "/api/jobs", {"kind": "dance", "journeys": []})
    check(status == 400, f"an unknown kind of job: {status} {body}")

    # --- saving: atomic, and never over a file changed on disk without asking -------------
    status, _, body = studio.request("GET", "/api/file?path=retail.yaml")
    etag = body["etag"]
    edited = retail_text.replace("dropout: 0.4 ", "dropout: 0.35", 1)
    status, _, body = studio.request("PUT", "/api/file", {"path": "retail.yaml", "text": edited, "etag": etag})
    with open(os.path.join(folder, "retail.yaml")) as f:
        check(status == 200 and f.read() == edited and body["etag"] != etag, f"save: {status} {body}")
    new_etag = body["etag"]
    status, _, body = studio.request("PUT", "/api/file", {"path": "retail.yaml", "text": retail_text, "etag": etag})
    check(status == 409 and body["etag"] == new_etag, f"a save from a stale copy: {status} {body}")
    with open(os.path.join(folder, "retail.yaml"), "a") as f:
        f.write("# changed by another editor\n")
    status, _, body = studio.request("PUT", "/api/file", {"path": "retail.yaml", "text": retail_text, "etag": new_etag})
    check(status == 409 and "changed on disk" in body["error"], f"a file changed on disk: {status} {body}")
    status, _, body = studio.request("PUT", "/api/file",
                                     {"path": "retail.yaml", "text": retail_text, "etag": new_etag, "force": True})
    with open(os.path.join(folder, "retail.yaml")) as f:
        check(status == 200 and f.read() == retail_text, f"a forced save: {status} {body}")
    future = "name: Cheaper ads\nbase: retail.yaml\nchanges:\n  - update_touchpoint: {id: social_ad, cost: 0.01}\n"
    status, _, body = studio.request("PUT", "/api/file", {"path": "cheaper_ads.yaml", "text": future})
    check(status == 200, f"a new future state: {status} {body}")
    status, _, body = studio.request("PUT", "/api/file", {"path": "cheaper_ads.yaml", "text": future})
    check(status == 409 and "already exists" in body["error"], f"a new file over an existing one: {status} {body}")
    status, _, body = studio.request("PUT", "/api/file", {"path": "notes.yaml", "text": "hello: world\n"})
    check(status == 400, f"a file that is no journey: {status} {body}")
    for path, expected in (("../escape.yaml", 400), ("link_out.yaml", 403), ("/tmp/escape.yaml", 400),
                           ("nowhere/x.yaml", 404)):
        status, _, body = studio.request("PUT", "/api/file", {"path": path, "text": future, "force": True})
        check(status == expected, f"save {path!r}: {status} (expected {expected}) {body}")
    with open(outside) as f:
        check("Outside the folder" in f.read(), "the file outside was written through a link")
    check(not [n for n in os.listdir(folder) if n.startswith(".")], f"temporaries left: {os.listdir(folder)}")

    # --- a comparison: equal to `cjsim compare --json` ------------------------------------
    request = {"kind": "compare", "journeys": [{"path": "retail.yaml"}, {"path": "retail_one_click_checkout.yaml"}],
               "agents": 20000, "seed": 7}
    status, _, job = studio.request("POST", "/api/jobs", request)
    check(status == 202 and job["state"] == "running", f"start a comparison: {status} {job}")
    job = wait_for(studio, job["id"])
    check(job["state"] == "done", f"the comparison: {job}")
    status, _, result = studio.request("GET", f"/api/jobs/{job['id']}/result")
    expected = json.loads(cjsim_in(folder, "compare", "retail.yaml", "retail_one_click_checkout.yaml",
                                   "--json", "--agents", "20000", "--seed", "7").stdout)
    check(status == 200 and without_seconds(result) == without_seconds(expected),
          "the comparison's JSON differs from cjsim compare --json")
    status, headers, report = studio.request("GET", f"/api/jobs/{job['id']}/report")
    check(status == 200 and "echarts" in report and "Retail with one-click checkout" in report,
          f"the exported report: {status}")
    check("default-src 'none'" in headers.get("Content-Security-Policy", ""), f"the report's CSP: {headers}")
    # The report's charts as data, drawn in the page by the report's own code (/report_charts.js).
    status, _, specs = studio.request("GET", f"/api/jobs/{job['id']}/charts")
    check(status == 200 and isinstance(specs, list) and len(specs) == report.count('<div class="chart'),
          f"the report's chart data: {status}")
    check(all(f'id="{s["id"]}" style="height:{s["height"]}px"' in report for s in specs),
          "the chart data's containers are the report's")
    status, headers, _ = studio.request("GET", f"/api/jobs/{job['id']}/report?download=1")
    check("attachment" in headers.get("Content-Disposition", ""), f"download: {headers}")
    # The answer cards (GET /api/jobs/ID/answer): the sentences of `cjsim compare --json`, and
    # each headline figure's difference with the report's verdict.
    compare_id = job["id"]
    status, _, answer = studio.request("GET", f"/api/jobs/{compare_id}/answer")
    check(status == 200 and answer["answer"] == expected["answer"] and len(answer["states"]) == 1,
          f"the answer: {status} {answer}")
    overall = {d["metric"]: d for d in expected["differences"] if d["scope"] == "overall"}
    cards = answer["states"][0]["figures"] if status == 200 else []
    check(len(cards) >= 5 and answer["states"][0]["label"] == "Retail with one-click checkout",
          f"the answer's cards: {answer.get('states')}")
    for card in cards:
        d = overall[card["metric"]]
        want = ("within the noise" if not d["significant"] else "changed" if card["better"] == "neither"
                else "better" if (card["better"] == "lower") == (d["difference"] < 0) else "worse")
        check(card["difference"] == d["difference"] and card["ci"] == d["ci"] and card["verdict"] == want,
              f"the answer's card for {card['metric']}: {card}, cjsim compare --json {d}")
    check(any(c["verdict"] == "better" for c in cards), f"no figure better beyond the noise: {cards}")
    status, _, body = studio.request("GET", f"/api/jobs/{compare_id}/answer", token=False)
    check(status == 401, f"the answer without the token: {status}")
    status, _, body = studio.request("GET", f"/api/jobs/{compare_id}/answer", headers={"Origin": "http://evil.example"})
    check(status == 403, f"the answer for another site: {status}")
    status, _, body = studio.request("POST", f"/api/jobs/{job['id']}/save", {"path": "comparison.h5"})
    check(status == 200 and os.path.getsize(os.path.join(folder, "comparison.h5")) > 8000, f"save results: {status} {body}")
    status, _, body = studio.request("POST", f"/api/jobs/{job['id']}/save", {"path": "comparison.h5"})
    check(status == 409, f"save results over a file: {status} {body}")
    status, _, body = studio.request("POST", f"/api/jobs/{job['id']}/save", {"path": "comparison.h5", "force": True})
    check(status == 200, f"save results with force: {status} {body}")
    status, _, body = studio.request("POST", f"/api/jobs/{job['id']}/save", {"path": "comparison.yaml"})
    check(status == 400, f"results as .yaml: {status} {body}")
    report_cli = cjsim_in(folder, "report", "comparison.h5", "--format", "md", "-o", "comparison.md")
    check(report_cli.returncode == 0, f"cjsim report on the saved comparison: {report_cli.stderr}")
    status, _, body = studio.request("GET", "/api/files")
    check({"path": "comparison.h5", "kind": "result"} in [{k: f[k] for k in ("path", "kind")} for f in body["files"]],
          f"the saved result is listed: {body['files']}")

    # --- a run, with an unsaved text in place of its file -----------------------------------
    request = {"kind": "run", "journeys": [{"path": "retail.yaml", "text": edited}], "agents": 5000, "seed": 3}
    status, _, job = studio.request("POST", "/api/jobs", request)
    job = wait_for(studio, job["id"])
    status, _, result = studio.request("GET", f"/api/jobs/{job['id']}/result")
    with open(os.path.join(folder, "edited.yaml"), "w") as f:
        f.write(edited)
    expected = json.loads(cjsim_in(folder, "run", "edited.yaml", "--json", "--agents", "5000", "--seed", "3").stdout)
    check(job["state"] == "done" and without_seconds(result) == without_seconds(expected),
          f"a run of unsaved text differs from cjsim run --json: {job}")
    check(result.get("seed") == 3 and result.get("version") == expected["version"]
          and str(result.get("scenario_path", "")).endswith("retail.yaml"),
          f"a run's seed, version and path: {[result.get(k) for k in ('seed', 'version', 'scenario_path')]}")
    status, _, body = studio.request("GET", f"/api/jobs/{job['id']}/answer")
    check(status == 409 and "comparison" in body["error"], f"the answer of a run: {status} {body}")
    status, _, job = studio.request("POST", "/api/jobs", {"kind": "run", "journeys": [{"path": "bad.yaml"}], "agents": 10})
    job = wait_for(studio, job["id"])
    check(job["state"] == "failed" and "nothing was run" in job["error"] and job["messages"],
          f"a run of an invalid journey: {job}")
    status, _, body = studio.request("GET", f"/api/jobs/{job['id']}/result")
    check(status == 409, f"the result of a failed job: {status}")
    status, _, body = studio.request("GET", f"/api/jobs/{job['id']}/answer")
    check(status == 409, f"the answer of a failed job: {status} {body}")
    status, _, body = studio.request("GET", "/api/jobs/999")
    check(status == 404, f"an unknown job: {status}")

    # --- calendar journeys: run and compared as `cjsim run/compare --json` does them -----------
    request = {"kind": "compare", "seed": 3,
               "journeys": [{"path": "bank_call_centre.yaml"}, {"path": "bank_call_centre_call_back.yaml"}]}
    status, _, job = studio.request("POST", "/api/jobs", request)
    job = wait_for(studio, job["id"])
    status, _, result = studio.request("GET", f"/api/jobs/{job['id']}/result")
    expected = json.loads(cjsim_in(folder, "compare", "bank_call_centre.yaml", "bank_call_centre_call_back.yaml",
                                   "--json", "--seed", "3").stdout)
    check(job["state"] == "done" and without_seconds(result) == without_seconds(expected),
          f"a calendar comparison differs from cjsim compare --json: {job}")
    for what in ("answer", "charts", "report"):
        status, _, body = studio.request("GET", f"/api/jobs/{job['id']}/{what}")
        check(status == 409 and "calendar" in body["error"], f"a calendar comparison's {what}: {status} {body}")
    status, _, body = studio.request("POST", f"/api/jobs/{job['id']}/save", {"path": "calendar_comparison.h5"})
    check(status == 200, f"a calendar comparison saved: {status} {body}")
    shown = cjsim_in(folder, "report", "calendar_comparison.h5", "--format", "md", "-o", "calendar_comparison.md")
    check(shown.returncode == 0, f"cjsim report on the saved calendar comparison: {shown.stderr}")
    status, _, job = studio.request("POST", "/api/jobs", {"kind": "run", "seed": 5,
                                                          "journeys": [{"path": "bank_call_centre.yaml"}]})
    job = wait_for(studio, job["id"])
    status, _, result = studio.request("GET", f"/api/jobs/{job['id']}/result")
    expected = json.loads(cjsim_in(folder, "run", "bank_call_centre.yaml", "--json", "--seed", "5").stdout)
    check(job["state"] == "done" and without_seconds(result) == without_seconds(expected),
          f"a calendar run differs from cjsim run --json: {job}")
    status, _, job = studio.request("POST", "/api/jobs", {"kind": "compare", "journeys": [
        {"path": "retail.yaml"}, {"path": "bank_call_centre.yaml"}]})
    job = wait_for(studio, job["id"])
    check(job["state"] == "failed" and "calendar" in job["error"], f"a calendar journey against one without: {job}")

    # --- uncertain inputs drawn: equal to `cjsim run/compare --draws K --json` ---------------
    status, _, body = studio.request("GET", "/api/file?path=bank_current_account_guided_id_estimate.yaml")
    check(status == 200 and [i["path"] for i in body["journey"]["uncertain_inputs"]] ==
          ["touchpoints.id_verification.dropout", "touchpoints.id_help_chat.dropout",
           "transitions.id_verification->id_help_chat.weight"] and
          body["journey"]["uncertain_inputs"][0]["distribution"] == "triangular [0.05, 0.1, 0.25]",
          f"a journey's uncertain inputs: {status} {body.get('journey', {}).get('uncertain_inputs')}")
    status, _, body = studio.request("GET", "/api/file?path=retail.yaml")
    check(status == 200 and body["journey"]["uncertain_inputs"] == [], "retail has no uncertain inputs")
    estimate = ["bank_current_account.yaml", "bank_current_account_guided_id_estimate.yaml"]
    request = {"kind": "compare", "journeys": [{"path": p} for p in estimate], "agents": 2000, "seed": 7,
               "draws": 4}
    status, _, job = studio.request("POST", "/api/jobs", request)
    check(status == 202 and job["draws"] == 4, f"a comparison with draws: {status} {job}")
    job = wait_for(studio, job["id"])
    check(job["state"] == "done", f"the comparison with draws: {job}")
    drawn_id = job["id"]
    status, _, result = studio.request("GET", f"/api/jobs/{drawn_id}/result")
    expected = json.loads(cjsim_in(folder, "compare", *estimate, "--json", "--agents", "2000", "--seed", "7",
                                   "--draws", "4").stdout)
    check(status == 200 and without_seconds(result) == without_seconds(expected) and "sensitivity" in
          json.dumps(expected) and all("probability_better" in d for d in expected["differences"]),
          "the comparison with draws differs from cjsim compare --draws 4 --json")
    status, _, answer = studio.request("GET", f"/api/jobs/{drawn_id}/answer")
    overall = {d["metric"]: d for d in expected["differences"] if d["scope"] == "overall"}
    cards = answer["states"][0]["figures"] if status == 200 else []
    check(status == 200 and len(cards) >= 5, f"the answer with draws: {status} {answer}")
    for card in cards:
        d = overall[card["metric"]]
        check(card["over_draws"] == d["uncertainty"] and card["difference"] == d["difference"] and
              (card["probability_better"] == d["probability_better"] if card["better"] != "neither"
               else card["probability_better"] is None),
              f"the card for {card['metric']} with draws: {card}, cjsim compare --draws 4 --json {d}")
    uncertainty = answer.get("uncertainty") or {}
    status, _, report = studio.request("GET", f"/api/jobs/{drawn_id}/report")
    sentences = uncertainty.get("sentences") or []
    check(status == 200 and "How sure it is" in report and sentences and
          all(html_escape(x) in report for x in sentences),
          f"the answer's sentences of how sure it is are not the report's: {sentences}")
    check(uncertainty.get("draws") == 4 and [i["path"] for i in uncertainty.get("inputs", [])] ==
          [i["input"] for i in expected["uncertainty"]["inputs"]], f"the draws in the answer: {uncertainty}")
    ranking = (uncertainty.get("sensitivity") or [{}])[0]
    wanted = [s for s in expected["uncertainty"]["sensitivity"]]
    check(ranking.get("index") == 1 and ranking.get("label") == expected["scenarios"][1]["scenario"] and
          len(ranking.get("inputs", [])) == 3 and all(i["words"] and "%" in i["text"] for i in ranking["inputs"]),
          f"the sensitivity ranking in the answer: {ranking}, cjsim compare --json {wanted}")
    status, _, specs = studio.request("GET", f"/api/jobs/{drawn_id}/charts")
    check(status == 200 and len(specs) == report.count('<div class="chart') and
          [s.get("sensitivity") for s in specs if "sensitivity" in s] == [1],
          f"the charts with draws: the report's, the sensitivity chart marked: {[s.get('sensitivity') for s in specs]}")
    status, _, body = studio.request("POST", f"/api/jobs/{drawn_id}/save", {"path": "drawn.h5"})
    shown = cjsim_in(folder, "report", "drawn.h5", "--format", "md", "-o", "drawn.md")
    with open(os.path.join(folder, "drawn.md")) as f:
        drawn_md = f.read() if shown.returncode == 0 else ""
    check(status == 200 and shown.returncode == 0 and "draws" in drawn_md,
          f"a comparison with draws saved and reported: {status} {body} {shown.stderr}")
    # A run with total effects, of unsaved text.
    with open(os.path.join(folder, "bank_current_account_guided_id_estimate.yaml")) as f:
        estimate_text = f.read()
    request = {"kind": "run", "journeys": [{"path": estimate[1], "text": estimate_text}], "agents": 2000,
               "seed": 5, "draws": 4, "total_effects": True}
    status, _, job = studio.request("POST", "/api/jobs", request)
    job = wait_for(studio, job["id"])
    status, _, result = studio.request("GET", f"/api/jobs/{job['id']}/result")
    expected = json.loads(cjsim_in(folder, "run", estimate[1], "--json", "--agents", "2000", "--seed", "5",
                                   "--draws", "4", "--total-effects").stdout)
    check(job["state"] == "done" and without_seconds(result) == without_seconds(expected) and
          "conversion_rate_uncertainty" in expected, f"a run with draws differs from cjsim run --draws 4 --json: {job}")
    status, _, answer = studio.request("GET", f"/api/jobs/{job['id']}/answer")
    figures = {f["metric"]: f for f in (answer.get("run") or {}).get("figures", [])} if status == 200 else {}
    check(status == 200 and figures.get("conversion_rate", {}).get("over_draws") == expected["conversion_rate_uncertainty"]
          and answer["uncertainty"]["sensitivity"][0]["totals"] is True and answer["answer"],
          f"a run's answer with draws: {status} {answer}")
    # A calendar journey's draws, as `cjsim run --draws K --json` gives them.
    request = {"kind": "run", "journeys": [{"path": "bank_call_centre_estimate.yaml"}], "seed": 3, "draws": 2}
    status, _, job = studio.request("POST", "/api/jobs", request)
    job = wait_for(studio, job["id"])
    status, _, result = studio.request("GET", f"/api/jobs/{job['id']}/result")
    expected = json.loads(cjsim_in(folder, "run", "bank_call_centre_estimate.yaml", "--json", "--seed", "3",
                                   "--draws", "2").stdout)
    check(job["state"] == "done" and without_seconds(result) == without_seconds(expected) and "uncertainty" in expected,
          f"a calendar run with draws differs from cjsim run --draws 2 --json: {job}")
    status, _, body = studio.request("POST", f"/api/jobs/{job['id']}/save", {"path": "calendar_drawn.h5"})
    check(status == 200, f"a calendar run with draws saved: {status} {body}")
    # Draws of a journey with no uncertain input: the job fails as the command does.
    status, _, job = studio.request("POST", "/api/jobs", {"kind": "run", "journeys": [{"path": "retail.yaml"}],
                                                          "agents": 100, "draws": 4})
    job = wait_for(studio, job["id"])
    refused = cjsim_in(folder, "run", "retail.yaml", "--agents", "100", "--draws", "4")
    check(job["state"] == "failed" and refused.returncode != 0 and job["error"] and job["error"] in refused.stderr,
          f"draws of a journey without uncertain inputs: {job}, cjsim run: {refused.stderr!r}")
    for fields, words in (({"draws": 1}, "0 (no draws) or 2 to 256"), ({"draws": 257}, "256"),
                          ({"draws": -1}, "whole number"), ({"draws": "4"}, "whole number"),
                          ({"total_effects": True}, "needs 'draws'"),
                          ({"draws": 4, "total_effects": "yes"}, "true or false")):
        status, _, body = studio.request("POST", "/api/jobs", {"kind": "run", "journeys": [{"path": estimate[1]}],
                                                               "agents": 100, **fields})
        check(status == 400 and words in body.get("error", ""), f"draws {fields}: {status} {body}")
    # A comparison with draws cancelled mid-way.
    status, _, job = studio.request("POST", "/api/jobs", {"kind": "compare", "journeys": [{"path": p} for p in estimate],
                                                          "agents": 1_000_000, "draws": 64})
    status, _, _ = studio.request("DELETE", f"/api/jobs/{job['id']}")
    job = wait_for(studio, job["id"], timeout=60)
    check(job["state"] == "cancelled", f"a comparison with draws cancelled: {job}")

    # --- bounds, cancel ---------------------------------------------------------------------
    status, _, body = studio.request("POST", "/api/jobs", {"kind": "run", "journeys": [{"path": "retail.yaml"}],
                                                           "agents": 1_000_001})
    check(status == 400 and "1000000" in body["error"], f"too many agents: {status} {body}")
    status, _, body = studio.request("POST", "/api/jobs", {"kind": "run", "journeys": [{"path": "retail.yaml"}],
                                                           "agents": -5})
    check(status == 400, f"negative agents: {status} {body}")
    status, _, body = studio.request("POST", "/api/jobs", {"kind": "run", "journeys": [{"path": "link_out.yaml"}]})
    check(status == 403, f"a run of a file outside: {status} {body}")
    big = {"kind": "compare", "journeys": [{"path": "retail.yaml"}, {"path": "retail_store_push.yaml"}],
           "agents": 1_000_000, "replications": 20}
    started = [studio.request("POST", "/api/jobs", big)[2] for _ in range(2)]
    status, _, body = studio.request("POST", "/api/jobs", big)
    check(status == 429, f"a third run at once: {status} {body}")
    for job in started:
        status, _, body = studio.request("DELETE", f"/api/jobs/{job['id']}")
        check(status == 200, f"cancel: {status} {body}")
    for job in started:
        job = wait_for(studio, job["id"], timeout=30)
        check(job["state"] == "cancelled", f"a cancelled comparison: {job}")

    # --- a future state's changes, read and written by the server --------------------------
    flow = ("name: A sketch  # kept\nbase: retail.yaml\n"
            "changes: [{update_touchpoint: {id: basket, dropout: 0.2}},  # cheaper\n"
            "          {remove_persona: \"bargain_hunter\"}]\n")
    status, _, body = studio.request("POST", "/api/validate", {"path": "sketch.yaml", "text": flow})
    check(status == 200 and [(c["kind"], c["target"], c["line"]) for c in body["changes"] or []] ==
          [("update_touchpoint", "basket", 3), ("remove_persona", "bargain_hunter", 4)] and
          body["changes"][0]["fields"] == {"dropout": 0.2},
          f"a flow-style changes list as the loader reads it: {status} {body.get('changes')}")
    status, _, body = studio.request("GET", "/api/file?path=retail.yaml")
    check(status == 200 and body["changes"] is None, f"a journey has no changes: {body.get('changes')}")
    kept = [{"update_touchpoint": {"id": "basket", "dropout": 0.2}},
            {"update_settings": {"kappa": 2}}]
    status, _, body = studio.request("POST", "/api/changes", {"path": "sketch.yaml", "text": flow,
                                                              "changes": kept})
    check(status == 200 and body["text"] ==
          "name: A sketch  # kept\nbase: retail.yaml\nchanges:\n"
          "  - update_touchpoint: {\"id\":\"basket\",\"dropout\":0.2}\n"
          "  - update_settings: {\"kappa\":2}\n" and body["valid"] and
          [c["change"] for c in body["changes"]] == kept,
          f"changes written back: {status} {body}")
    for bad, code in (({"path": "sketch.yaml", "text": flow}, 400),
                      ({"path": "sketch.yaml", "text": flow, "changes": {"a": 1}}, 400),
                      ({"path": "sketch.yaml", "text": flow, "changes": [{"a": 1, "b": 2}]}, 422),
                      ({"path": "sketch.yaml", "text": "changes: [\n", "changes": []}, 422),
                      ({"path": "../x.yaml", "text": flow, "changes": []}, 400),
                      ({"path": "s.yaml", "text": "base: ../outside.yaml\n", "changes": []}, 403)):
        status, _, body = studio.request("POST", "/api/changes", bad)
        check(status == code and body.get("error"), f"/api/changes {bad}: {status} {body}")
    status, _, body = studio.request("POST", "/api/changes", raw=b"{not json")
    check(status == 400, f"/api/changes, malformed JSON: {status} {body}")

    # --- Ctrl-C ------------------------------------------------------------------------------
    code, stderr = studio.stop()
    check(code == 0 and "stopped" in stderr, f"Ctrl-C: exit {code}, {stderr!r}")

    # --host: said, with a warning.
    loud = subprocess.Popen([cjsim, "studio", folder, "--host", "127.0.0.1"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    first = loud.stdout.readline()
    loud.send_signal(2)
    _, stderr = loud.communicate(timeout=30)
    check(first.startswith("http://127.0.0.1:") and "warning" in stderr and "beyond" in stderr,
          f"--host: {first!r} {stderr!r}")
    # --allowed-host: one more name, checked as the loopback names are; others still refused.
    named = Studio(cjsim, folder, "--allowed-host", "studio.example", "--allowed-host", "fd00::5")
    for host in ("studio.example", "[fd00::5]"):
        status, _, body = named.request("GET", "/api/files", headers={
            "Host": f"{host}:{named.port}", "Origin": f"http://{host}:{named.port}"})
        check(status == 200, f"--allowed-host {host}: {status} {body}")
    for headers in ({"Host": f"other.example:{named.port}"},
                    {"Host": f"studio.example:{named.port + 1}"},
                    {"Origin": f"http://other.example:{named.port}"}):
        status, _, body = named.request("GET", "/api/files", headers=headers)
        check(status == 403, f"--allowed-host, {headers}: {status} {body}")
    code, _ = named.stop()
    check(code == 0, f"--allowed-host: Ctrl-C exit {code}")
    bad = subprocess.run([cjsim, "studio", folder, "--allowed-host", "evil.example:80/x"],
                         capture_output=True, text=True, timeout=30)
    check(bad.returncode != 0 and "not a host name" in bad.stderr,
          f"--allowed-host with a port and a path: {bad.returncode} {bad.stderr!r}")
    status = subprocess.run([cjsim, "studio", os.path.join(folder, "missing")], capture_output=True,
                            text=True, timeout=30)
    check(status.returncode == 1 and "not a folder" in status.stderr, f"a missing folder: {status.stderr}")

finish("studio_api")
