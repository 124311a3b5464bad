"""Writes two_personas_events.csv (an event log) and two_personas_funnel.csv from the paths of
`cjsim run two_personas.yaml --paths` (300 agents, seed 7; 5,000 agents, seed 7, for the funnel)."""
import sys
import h5py

paths_h5, events_csv, funnel_csv = sys.argv[1:4]
with h5py.File(paths_h5, "r") as f:
    ids = [t.decode() for t in f["touchpoint_ids"][()]]
    offsets = f["agent_paths/offsets"][()]
    visits = f["agent_paths/touchpoints"][()]
rows, reach = [], {}
for k in range(len(offsets) - 1):
    path = [ids[v] for v in visits[offsets[k]:offsets[k + 1]]]
    converted = False
    for step, tp in enumerate(path):
        value = ""
        if tp == "checkout" and not converted:
            value, converted = "50", True
        rows.append(f"c{k},{1709280000 + 3600 * step},{tp},{value}")
    for tp in set(path):
        reach[tp] = reach.get(tp, 0) + 1
with open(events_csv, "w") as out:
    out.write("customer,timestamp,touchpoint,value\n" + "\n".join(rows) + "\n")
with open(funnel_csv, "w") as out:
    out.write("# Customers of two_personas.yaml reaching each step (seed 7).\nstep,reached\n")
    out.write(f"entered,{len(offsets) - 1}\n")
    for step in ["product", "reviews", "checkout", "support", "done"]:
        out.write(f"{step},{reach.get(step, 0)}\n")
