"""Peak resident memory of `cjsim run` on a calendar journey for a growing number of days with
the same arrivals per day: memory must follow the agents in the system at once, not every agent
ever, so 100 days should take about what 10 days take. The journey is the one-queue journey of
BM_CalendarOneQueue (100,000 arrivals a day, staff about 94% busy), once as it is and once with
returns: a customer who will come back is in the system while away, so memory then grows until
the customers away reach their steady state (about 5 days of customers x 0.3), then stays flat.

Usage: calendar_memory.py CJSIM DAYS... > calendar_memory.json
"""
import json
import os
import subprocess
import sys
import tempfile
import time

JOURNEY = """name: One queue
stages: [s]
touchpoints:
  - {id: web, stage: s, channel: web, entry_weight: 1, duration: {exponential: 0.1},
     dropout: 0.2}
  - {id: call, stage: s, channel: phone, duration: {exponential: 0.1}, resource: staff,
     patience_hours: 0.5, dropout: 0.1}
  - {id: buy, stage: s, channel: web, duration: 0.05, conversion: {value: 5}}
transitions:
  - {from: web, to: call}
  - {from: call, to: buy}
calendar: {days: 1, arrivals_per_day: 100000}
resources:
  - {id: staff, capacity: 350}
"""
RETURNS = "returns: {retention: 0.3, after_days: 5}\n"

cjsim, counts = sys.argv[1], [int(a) for a in sys.argv[2:]]
rows = []
with tempfile.TemporaryDirectory() as folder:
    for returns in (False, True):
        scenario = os.path.join(folder, "one_queue.yaml")
        with open(scenario, "w") as f:
            f.write(JOURNEY + (RETURNS if returns else ""))
        for days in counts:
            started = time.monotonic()
            with tempfile.TemporaryFile() as errors:
                child = subprocess.Popen([cjsim, "run", scenario, "--days", str(days),
                                          "--threads", "1", "--json"],
                                         stdout=subprocess.PIPE, stderr=errors)
                out = child.stdout.read()
                # wait4 gives this child's own usage; ru_maxrss is in KiB on Linux.
                _, status, usage = os.wait4(child.pid, 0)
                child.returncode = os.waitstatus_to_exitcode(status)
                if child.returncode != 0:
                    errors.seek(0)
                    sys.exit(f"cjsim failed for {days} days: {errors.read().decode()}")
            result = json.loads(out)
            rows.append({"returns": returns, "days": days, "journeys": result["journeys"],
                         "seconds": round(time.monotonic() - started, 3),
                         "peak_rss_bytes": usage.ru_maxrss * 1024})
            print(f"{'with' if returns else 'without'} returns, {days:>5} days: "
                  f"{result['journeys']} journeys, peak RSS {usage.ru_maxrss / 1024:.1f} MiB",
                  file=sys.stderr)
json.dump({"runs": rows}, sys.stdout, indent=2)
