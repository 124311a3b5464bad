"""A future state that removes an entry with its traffic lost (sim/model/MODEL.md 1.11): the
package's run and compare data hold the lost agents as `cjsim run/compare --json` does, and
nothing of them when none are lost."""
import cjsim

BASE = """name: Shop
stages: [awareness, purchase]
touchpoints:
  - {id: referral, stage: awareness, channel: partner, entry_weight: 1, dropout: 0.5}
  - {id: search, stage: awareness, channel: web, entry_weight: 3, dropout: 0.4}
  - {id: checkout, stage: purchase, channel: web, conversion: {value: 20}}
transitions:
  - {from: referral, to: checkout}
  - {from: search, to: checkout}
"""


def test_run_and_compare_hold_the_lost_agents_as_the_command_does(cli, tmp_path):
    base, lost = tmp_path / "base.yaml", tmp_path / "lost.yaml"
    base.write_text(BASE)
    lost.write_text("name: No referrals\nbase: base.yaml\nchanges:\n"
                    "  - remove_touchpoint: referral\n")
    run = cjsim.run(str(lost), agents=10000, seed=3, threads=2, progress=False)
    expected = cli("run", lost, "--json", "-n", 10000, "-s", 3, "-t", 2)
    assert run.data["ended"] == expected["ended"]
    assert 2000 < run.data["ended"]["lost"] < 3000

    comparison = cjsim.compare(str(base), str(lost), agents=10000, seed=3, threads=2,
                               progress=False)
    states = comparison.data["scenarios"]
    assert "lost" not in states[0]["ended"]
    assert states[1]["ended"] == expected["ended"]
