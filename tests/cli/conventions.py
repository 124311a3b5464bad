"""One command-line convention across the subcommands: `cjsim` alone lists them, misspelt
commands and options get a suggestion, number options say what is wrong, help shows no type
noise, -o/--output names the file a command writes and every written file is announced.

Usage: conventions.py CJSIM SOURCE_DIR
"""
import os
import re
import sys
import tempfile

cjsim, source = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, every_writer, finish, runner  # noqa: E402

run = runner(cjsim)
tiny = os.path.join(source, "tests", "data", "tiny.yaml")
commands = ["new", "run", "compare", "validate", "graph", "diff", "report", "fit", "attribute", "sweep"]

alone = run()
check(alone.returncode == 0, f"cjsim alone exited {alone.returncode}: {alone.stderr}")
for command in commands:
    check(re.search(rf"^  {command} +\S", alone.stdout, re.M),
          f"cjsim alone does not list {command}:\n{alone.stdout}")

typo = run("runn", tiny)
check(typo.returncode == 2, f"a misspelt command exited {typo.returncode}")
check("did you mean 'run'?" in typo.stderr, f"no suggestion for runn: {typo.stderr}")
far = run("xyzzy")
check(far.returncode == 2 and "did you mean" not in far.stderr and "xyzzy" in far.stderr,
      f"a command like no other got a suggestion or no message: {far.stderr}")

option = run("run", tiny, "--agnets", "5")
check(option.returncode == 2, f"a misspelt option exited {option.returncode}")
check("unknown option --agnets; did you mean --agents?" in option.stderr,
      f"no suggestion for --agnets: {option.stderr}")
check("cjsim run --help" in option.stderr, f"no pointer to the command's help: {option.stderr}")

for args, words in [(["-n", "1e4"], "'1e4' is not a whole number"),
                    (["-n", "0"], "0 is less than 1, the least it takes"),
                    (["-r", "100001"], "100001 is more than 100000, the most it takes"),
                    (["-t", "-1"], "'-1' is not a whole number")]:
    bad = run("run", tiny, *args)
    check(bad.returncode == 2 and words in bad.stderr,
          f"run {' '.join(args)}: exit {bad.returncode}, {bad.stderr!r} lacks {words!r}")

for command in commands:
    text = run(command, "--help").stdout
    for noise in ["UINT", "TEXT:FILE", "in [", "FLOAT", "REQUIRED"]:
        check(noise not in text, f"{command} --help shows {noise!r}:\n{text}")

with tempfile.TemporaryDirectory() as directory:
    writers, _ = every_writer(cjsim, source, directory)
    for name, command in writers.items():
        path = os.path.join(directory, "announced-" + re.sub(r"\W+", "_", name))
        result = run(*command(path))
        check(result.returncode == 0, f"{name}: exit {result.returncode}: {result.stderr}")
        check(f"cjsim: wrote {path}\n" in result.stderr,
              f"{name} did not say it wrote {path}: {result.stderr!r}")
        check(f"wrote {path}" not in result.stdout, f"{name} announced on standard output")
    results = os.path.join(directory, "announced-" + re.sub(r"\W+", "_", "run --out"))
    page = os.path.join(directory, "page.html")
    aliased = run("report", results, "--out", page)  # --out is another name of --output
    check(aliased.returncode == 0 and os.path.exists(page), f"report --out: {aliased.stderr}")
    long_name = run("run", tiny, "--agents", "100", "--output", os.path.join(directory, "l.h5"))
    check(long_name.returncode == 0 and os.path.exists(os.path.join(directory, "l.h5")),
          f"run --output: {long_name.stderr}")

finish("conventions")
