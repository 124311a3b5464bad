"""Which checkout friction costs retail most? A small sweep from Python, plotted.

Runs a 3 x 3 grid over the forced account sign-up's and the basket's dropout of
scenarios/examples/retail.yaml (20,000 agents x 2 replications per point, the same agents at
every point), prints the points and the sensitivity ranking, and draws conversion against the
basket's dropout, one line per sign-up dropout, with the 95% intervals, into
checkout_sweep.png (with matplotlib; without it the table alone is printed).

    PYTHONPATH=build/release/python python3 sim/python/examples/checkout_sweep.py [OUT_DIR]
"""
import os
import sys
import tempfile

import cjsim

here = os.path.dirname(os.path.abspath(__file__))
retail = os.path.join(here, "..", "..", "..", "scenarios", "examples", "retail.yaml")
out_dir = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="checkout_sweep_")
experiment = os.path.join(out_dir, "checkout_sweep.yaml")
with open(experiment, "w", encoding="utf-8") as f:
    f.write(f"""name: Checkout friction from Python
scenario: {os.path.abspath(retail)}
design: grid
agents: 20000
replications: 2
seed: 42
parameters:
  touchpoints.account_signup.dropout: [0.15, 0.30, 0.45]
  touchpoints.basket.dropout: {{from: 0.25, to: 0.45, steps: 3}}
""")

sweep = cjsim.sweep(experiment, out=os.path.join(out_dir, "checkout_sweep.h5"), force=True)
signup, basket = sweep.parameters
table = sweep.points[[signup, basket, "conversion_rate", "conversion_rate_low",
                      "conversion_rate_high"]]
print(table.sort_values("conversion_rate", ascending=False).to_string(index=False))
ranking = sweep.sensitivity[sweep.sensitivity.metric == "conversion_rate"]
print()
print(ranking[["rank", "parameter", "importance", "swing", "method"]].to_string(index=False))

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("\n(matplotlib is not installed: no chart)")
    sys.exit(0)

fig, ax = plt.subplots(figsize=(6, 4))
for level, points in sweep.points.groupby(signup):
    points = points.sort_values(basket)
    ax.errorbar(points[basket], 100 * points["conversion_rate"],
                yerr=[100 * (points["conversion_rate"] - points["conversion_rate_low"]),
                      100 * (points["conversion_rate_high"] - points["conversion_rate"])],
                marker="o", capsize=3, label=f"sign-up dropout {level:.2f}")
ax.set_xlabel("basket dropout")
ax.set_ylabel("conversion (%), 95% interval")
ax.set_title(sweep.experiment_name)
ax.legend()
chart = os.path.join(out_dir, "checkout_sweep.png")
fig.savefig(chart, dpi=120, bbox_inches="tight")
print(f"\nchart written to {chart}")
