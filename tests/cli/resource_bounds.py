"""Time and memory bounds stated before they are spent: a journey expected to run for months
is announced and refused without --allow-long, per-agent records and comparisons that do not
fit in the memory available are refused up front, running out of memory anyway says while
doing what, and an attribution chain with too many states is refused with its size.

Usage: resource_bounds.py CJSIM SOURCE_DIR
"""
import os
import random
import resource
import sys
import tempfile

cjsim, source = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, finish, runner  # noqa: E402
import subprocess  # noqa: E402

run = runner(cjsim, timeout=120)
SANITIZED = bool(os.environ.get("CJSIM_SANITIZED"))
retail = os.path.join(source, "scenarios", "examples", "retail.yaml")


def limited_run(address_space_bytes, *args):
    """cjsim under an address-space limit (ulimit -v): the memory available is what is left."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (address_space_bytes, address_space_bytes))
    return subprocess.run([cjsim, *args], capture_output=True, text=True, timeout=120,
                          preexec_fn=limit)


TRAP = """name: Trap
stages: [s]
settings: {{max_steps: {max_steps}}}
touchpoints:
  - {{id: a, stage: s, channel: web, entry_weight: 1, dropout: 1e-9}}
  - {{id: b, stage: s, channel: web, dropout: 1e-9}}
  - {{id: buy, stage: s, channel: web, conversion: {{value: 1}}}}
transitions:
  - {{from: a, to: b}}
  - {{from: b, to: a, weight: 1e6}}
  - {{from: b, to: buy, weight: 1e-6}}
"""

with tempfile.TemporaryDirectory() as tmp:
    capped = os.path.join(tmp, "trap.yaml")
    with open(capped, "w") as f:
        f.write(TRAP.format(max_steps=1000000))
    endless = os.path.join(tmp, "trap_huge.yaml")
    with open(endless, "w") as f:
        f.write(TRAP.format(max_steps=1000000000000))

    # A near-trapping cycle: validate says how long a run will take.
    done = run("validate", capped)
    check(done.returncode == 0 and "warning: with 100000 agents" in done.stderr
          and "up to 1e+06 touchpoint visits each (max_steps)" in done.stderr
          and "2.8 hours" in done.stderr, f"validate of a long journey: {done.stderr}")

    # About 10^9 visits each, 10^14 agent-steps: refused at once, not run for months.
    done = run("run", endless, timeout=60)
    check(done.returncode == 1 and "1e+14 agent-steps" in done.stderr
          and "more than the 1e+13 agent-steps run without --allow-long" in done.stderr,
          f"run of an endless journey: {done.returncode} {done.stderr}")
    done = run("compare", capped, capped, "-n", "100000000", timeout=60)
    check(done.returncode == 1 and "'Trap', 'Trap':" in done.stderr and "--allow-long" in done.stderr,
          f"compare of long journeys: {done.returncode} {done.stderr}")
    # A sweep over the trap's way out: refused before any point runs, and no file made.
    experiment = os.path.join(tmp, "trap_sweep.yaml")
    with open(experiment, "w", encoding="utf-8") as f:
        f.write("name: Trap sweep\nscenario: trap_huge.yaml\nagents: 100000\n"
                "parameters:\n  touchpoints.a.dropout: [1.0e-9, 2.0e-9]\n")
    sweep_out = os.path.join(tmp, "trap_sweep.h5")
    done = run("sweep", experiment, "--out", sweep_out, timeout=60)
    check(done.returncode == 1 and "trap_sweep.yaml (2 design points)" in done.stderr
          and "--allow-long" in done.stderr and not os.path.exists(sweep_out)
          and not os.path.exists(sweep_out + ".parts"),
          f"sweep of long journeys: {done.returncode} {done.stderr}")
    # A few agents of it run, with the warning.
    done = run("run", capped, "-n", "5", "--allow-long")
    check(done.returncode == 0 and "warning: 'Trap': journeys are expected" in done.stderr,
          f"a short run of a long journey: {done.returncode} {done.stderr}")

    # Amounts whose squares would leave the exact sums' range: an error at the field.
    costly = os.path.join(tmp, "costly.yaml")
    with open(retail) as f:
        text = f.read()
    with open(costly, "w") as f:
        f.write(text.replace("cost: 0.5", "cost: 1e37", 1))
    done = run("validate", costly)
    check(done.returncode == 1 and "must be between 0 and 1e9, got 1e+37" in done.stderr
          and f"{costly}:" in done.stderr, f"cost 1e37: {done.returncode} {done.stderr}")

    # Sanitizers reserve terabytes of address space for their shadow memory and cannot start
    # under an address-space limit: the checks that use one run in the plain builds only.
    if not SANITIZED:
        # Per-agent records beyond the memory left (here an address-space limit) are refused up
        # front, with what is available and why, instead of assuming 8 GiB.
        done = limited_run(1500 << 20, "run", retail, "-n", "30000000", "--agents-detail", "-t", "1")
        check(done.returncode == 1 and "are available (the room under the address-space limit"
              in done.stderr, f"--agents-detail past the memory: {done.returncode} {done.stderr[-400:]}")

        # A comparison whose sums do not fit is refused with its estimate.
        big = os.path.join(tmp, "big.yaml")
        lines = ["name: big", "stages: [s]", "touchpoints:"]
        count = 200000
        for i in range(count):
            extra = ", entry_weight: 1" if i == 0 else ""
            extra += ", conversion: {value: 1}" if i == count - 1 else ", dropout: 0.1"
            lines.append(f"- {{id: t{i}, stage: s, channel: c{extra}}}")
        lines.append("transitions:")
        lines += [f"- {{from: t{i}, to: t{i + 1}}}" for i in range(count - 1)]
        with open(big, "w") as f:
            f.write("\n".join(lines) + "\n")
        done = limited_run(1500 << 20, "compare", big, big, big, "-t", "2", "-n", "1000")
        check(done.returncode == 1 and "comparing 3 journeys needs about" in done.stderr
              and "use fewer threads" in done.stderr, f"a large comparison: {done.returncode} {done.stderr[-400:]}")

        # Out of memory anyway: a clear message naming what was under way, exit code 1.
        done = limited_run(300 << 20, "validate", big)
        check(done.returncode == 1 and f"out of memory while reading and validating {big}" in done.stderr,
              f"validate out of memory: {done.returncode} {done.stderr[-400:]}")

    # Order-2 attribution over 300 channels: the size stated, refused without --allow-long.
    wide = os.path.join(tmp, "wide.csv")
    random.seed(1)
    rows = ['"path","total_conversions","total_conversion_value","total_null"']
    for i in range(3000):
        path = " > ".join(f"c{random.randrange(300)}" for _ in range(20))
        rows.append(f'"{path}",{i % 2},{(i % 2) * 10.0},1')
    with open(wide, "w") as f:
        f.write("\n".join(rows) + "\n")
    done = run("attribute", wide, "--order", "2", timeout=60)
    check(done.returncode == 1 and "the order-2 chain has up to 5.7e+04 states (300 channels^2" in done.stderr
          and "--allow-long" in done.stderr, f"wide attribution: {done.returncode} {done.stderr}")

finish("resource_bounds")
