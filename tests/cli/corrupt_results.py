"""Damaged result files: small run, comparison, sweep and fit-report files with random bytes
overwritten or single bits flipped (a fixed seed, so that a failure repeats) are read by
`cjsim report` in every format and `cjsim sweep --summary`. Each read either succeeds with
exactly the output of the undamaged file (the damage hit bytes that hold nothing read) or
fails with a message naming the file; never a crash (a signal), and never different figures.
Then a resumed sweep whose finished file is damaged rebuilds it from its parts.

Usage: corrupt_results.py CJSIM SOURCE_DIR [CASES]
"""
import hashlib
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time

import h5py

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, failures, finish, runner  # noqa: E402
from h5compare import differences  # noqa: E402

cjsim, source = sys.argv[1], os.path.abspath(sys.argv[2])
# A sanitized build starts each `cjsim` several times slower, and its reading of damaged files
# is searched far more widely by tests/fuzz/result_file_fuzzer.cc: fewer damaged files there.
default_cases = 120 if os.environ.get("CJSIM_SANITIZED") else 320
cases = int(sys.argv[3]) if len(sys.argv) > 3 else default_cases
data = os.path.join(source, "tests", "data")
tiny = os.path.join(data, "tiny.yaml")
run = runner(cjsim, timeout=60)

# The readers of each kind of file: arguments after `cjsim`, FILE the result file and OUT the
# report written (None: the output is stdout).
READERS = {
    "run": [("report", "FILE", "-o", "OUT.md"), ("report", "FILE", "-o", "OUT.csv"),
            ("report", "FILE", "-o", "OUT.html")],
    "compare": [("report", "FILE", "-o", "OUT.md"), ("report", "FILE", "-o", "OUT.csv"),
                ("report", "FILE", "-o", "OUT.html")],
    "sweep": [("report", "FILE", "-o", "OUT.md"), ("report", "FILE", "-o", "OUT.csv"),
              ("sweep", "--summary", "FILE")],
    "fit": [("report", "FILE", "-o", "OUT.md")],
}


def experiment_text(agents):
    return (f"scenario: {tiny}\nagents: {agents}\nreplications: 2\nseed: 5\n"
            "parameters:\n  settings.kappa: [1, 2]\n  touchpoints.ad.dropout: [0.2, 0.4]\n")


def make_files(directory):
    """The undamaged files, by kind."""
    files = {kind: os.path.join(directory, kind + ".h5") for kind in READERS}
    made = [run("run", tiny, "-n", "300", "-r", "2", "--seed", "3", "--out", files["run"]),
            run("compare", tiny, os.path.join(data, "tiny_future.yaml"), "-n", "300", "-r", "2",
                "--seed", "3", "--out", files["compare"])]
    experiment = os.path.join(directory, "experiment.yaml")
    with open(experiment, "w") as f:
        f.write(experiment_text(200))
    made.append(run("sweep", experiment, "--out", files["sweep"]))
    made.append(run("fit", os.path.join(data, "observed", "tiny_events.csv"), "-o",
                    os.path.join(directory, "fitted.yaml"), "-n", "200", "--report-out",
                    files["fit"]))
    for m in made:
        if m.returncode != 0:
            print(m.stderr)
            sys.exit(1)
    return files


def read(reader, path, out):
    """Runs a reader on `path`: exit code, stderr, and its output (file or stdout)."""
    args = [path if a == "FILE" else a.replace("OUT", out) for a in reader]
    target = next((a for a in args if a.startswith(out)), None)
    if target and os.path.exists(target):
        os.remove(target)
    done = run(*args)
    output = done.stdout
    if target and os.path.exists(target):
        with open(target, "rb") as f:
            output = f.read()
        os.remove(target)
    return done.returncode, done.stderr, output


def damage(clean, rng):
    """The bytes of `clean` with 1-16 random bytes overwritten, or one bit flipped."""
    data = bytearray(clean)
    while True:
        if rng.random() < 0.5:
            bit = rng.randrange(len(data) * 8)
            data[bit // 8] ^= 1 << (bit % 8)
            what = f"bit {bit}"
        else:
            at = rng.randrange(len(data))
            count = min(rng.randint(1, 16), len(data) - at)
            data[at:at + count] = bytes(rng.randrange(256) for _ in range(count))
            what = f"{count} bytes at {at}"
        if data != clean:
            return bytes(data), what


def damaged_reads(directory, files):
    rng = random.Random(int(os.environ.get("CORRUPT_SEED", "20260521")))
    damaged = os.path.join(directory, "damaged")
    os.makedirs(damaged)
    out = os.path.join(damaged, "report")
    clean, expected = {}, {}
    for kind, path in files.items():
        with open(path, "rb") as f:
            clean[kind] = f.read()
        target = os.path.join(damaged, kind + ".h5")
        shutil.copy(path, target)
        for reader in READERS[kind]:
            expected[kind, reader] = read(reader, target, out)
        if kind != "fit":
            check(all(expected[kind, r][0] == 0 for r in READERS[kind]),
                  f"{kind}: the undamaged file does not read: {expected}")
    check(expected["fit", READERS["fit"][0]][0] == 1, "report of a fit file did not refuse it")
    outcomes = {"same output": 0, "refused": 0}
    kinds = list(files)
    for case in range(cases):
        kind = kinds[case % len(kinds)]
        reader = rng.choice(READERS[kind])
        bytes_, what = damage(clean[kind], rng)
        target = os.path.join(damaged, kind + ".h5")
        with open(target, "wb") as f:
            f.write(bytes_)
        code, stderr, output = read(reader, target, out)
        where = f"case {case}: {kind} file, {what}, `{' '.join(reader)}`"
        if code < 0 or code >= 128:
            failures.append(f"{where}: crashed with exit {code}: {stderr[-2000:]}; the file is "
                            f"kept as corrupt_results-crash-{case}.h5")
            shutil.copy(target, f"corrupt_results-crash-{case}.h5")
        elif code == 0:
            if output != expected[kind, reader][2]:
                failures.append(f"{where}: exit 0 with output that differs from the undamaged "
                                f"file's; the file is kept as corrupt_results-changed-{case}.h5")
                shutil.copy(target, f"corrupt_results-changed-{case}.h5")
            outcomes["same output"] += 1
        else:
            check(target in stderr, f"{where}: exit {code}, message without the file: {stderr}")
            outcomes["refused"] += 1
    print(f"{cases} damaged files:", outcomes)


def fnv1a64(chunks):
    value = 0xcbf29ce484222325
    for chunk in chunks:
        for byte in chunk:
            value = ((value ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return value


def checksum(attributes):
    """The checksum attribute of README.md's "HDF5 layout", computed here independently."""
    chunks = []
    for name in sorted(attributes):
        value = attributes[name]
        chunks += [name.encode(), b"\0"]
        if isinstance(value, str):
            text = value.encode()
            chunks += [b"t", len(text).to_bytes(8, "little"), text]
        elif isinstance(value, float):
            chunks += [b"f", struct.pack("<d", value)]
        else:
            chunks += [b"i", int(value).to_bytes(8, "little")]
    return f"fnv1a64:{fnv1a64(chunks):016x}"


def seal(path):
    """The whole-file checksum of README.md's "HDF5 layout", in the file's user block."""
    with open(path, "r+b") as f:
        data = f.read()
        header = f"cjsim-checksum 1 sha256 {len(data) - 512} {hashlib.sha256(data[512:]).hexdigest()}\n"
        f.seek(0)
        f.write(header.encode().ljust(512, b"\0"))


def make_parts(sweep, parts):
    """The part file of a finished sweep, as a sweep that stored every point at once wrote it
    before assembling the file: the sets of points of runs/ and the agent groups' table (a
    part's has the file's layout), with the part's attributes."""
    os.makedirs(parts)
    with h5py.File(sweep, "r") as f:
        fingerprint = f.attrs["fingerprint"]
        fingerprint = fingerprint.decode() if isinstance(fingerprint, bytes) else fingerprint
        attributes = {"format": "cjsim-sweep-part", "format_version": 3,
                      "fingerprint": fingerprint, "points": int(f.attrs["points"])}
        part_path = os.path.join(parts, "batch-000000.h5")
        with h5py.File(part_path, "w", userblock_size=512) as part:
            for name in f["runs"]:
                f.copy(f[f"runs/{name}"], part, name)
            if "agent_groups" in f:
                f.copy(f["agent_groups"], part, "agent_groups")
            for name, value in attributes.items():
                if isinstance(value, str):
                    part.attrs.create(name, value, dtype=h5py.string_dtype())
                else:
                    part.attrs.create(name, value, dtype="uint64")
            part.attrs.create("checksum", checksum(attributes), dtype=h5py.string_dtype())
        seal(part_path)


def damaged_resume(directory, files):
    """--resume with a damaged finished file: rebuilt from intact parts, refused without."""
    experiment = os.path.join(directory, "experiment.yaml")
    sweep = os.path.join(directory, "resumed.h5")
    with open(files["sweep"], "rb") as f:
        clean = f.read()
    with h5py.File(files["sweep"], "r") as f:
        # A byte of a point's data, which only a full check read before the whole-file checksum.
        offset = f["runs/set_0/raw/visits"].id.get_chunk_info(0).byte_offset
    damaged = bytearray(clean)
    damaged[offset + 3] ^= 0x10
    with open(sweep, "wb") as f:
        f.write(damaged)
    summary = run("sweep", "--summary", sweep)
    check(summary.returncode == 1 and "damaged: checksum does not match" in summary.stderr,
          f"--summary of a damaged file: exit {summary.returncode}: {summary.stderr}")

    lone = run("sweep", experiment, "--out", sweep, "--resume")
    check(lone.returncode == 1 and sweep in lone.stderr and "no parts" in lone.stderr,
          f"damaged file without parts: exit {lone.returncode}: {lone.stderr}")

    make_parts(files["sweep"], sweep + ".parts")
    resumed = run("sweep", experiment, "--out", sweep, "--resume")
    check(resumed.returncode == 0 and "assembled again" in resumed.stderr,
          f"damaged file with parts: exit {resumed.returncode}: {resumed.stderr}")
    with h5py.File(files["sweep"], "r") as f:
        points = int(f.attrs["points"])
    check(f"{points} of {points} design points are stored" in resumed.stderr,
          f"the parts made in Python were not used: {resumed.stderr}")
    check(not os.path.exists(sweep + ".parts"), "the parts were kept")
    found = differences(files["sweep"], sweep)
    check(not found, f"the rebuilt file differs from the straight one: {found[:5]}")
    again = run("sweep", experiment, "--out", sweep, "--resume")
    check(again.returncode == 0 and "already complete" in again.stderr,
          f"resuming the rebuilt file: exit {again.returncode}: {again.stderr}")


def format_2_still_read(directory, files):
    """A sweep file of format 2, which kept a group of raw aggregates per design point
    (runs/point_NNNNNN/raw) where format 3 keeps sets of points (runs/set_N), is still read:
    its summary is the same, and --resume checks it whole and finds it complete."""
    old = os.path.join(directory, "format2.h5")
    shutil.copy(files["sweep"], old)
    with h5py.File(old, "r+") as f:
        points = list(f["runs/set_0/points"][()])
        raw = f["runs/set_0/raw"]
        per_point = raw["visits"].shape[0] // len(points)
        for j, k in enumerate(points):
            group = f.create_group(f"runs/point_{k:06}/raw")
            for name, value in raw.attrs.items():
                group.attrs[name] = value
            for name in raw:
                data = raw[name][j * per_point:(j + 1) * per_point]
                group.create_dataset(name, data=data, chunks=True, fletcher32=True)
        del f["runs/set_0"]
        f.attrs.modify("format_version", 2)
        attributes = {n: v for n, v in f.attrs.items() if n != "checksum"}
        f.attrs.create("checksum", checksum(attributes), dtype=h5py.string_dtype())
    seal(old)
    summary = run("sweep", "--summary", old)
    expected = run("sweep", "--summary", files["sweep"])
    check(summary.returncode == 0 and summary.stdout == expected.stdout,
          f"--summary of a format 2 file: exit {summary.returncode}: {summary.stderr}")
    experiment = os.path.join(directory, "experiment.yaml")
    resumed = run("sweep", experiment, "--out", old, "--resume")
    check(resumed.returncode == 0 and "already complete" in resumed.stderr,
          f"--resume of a whole format 2 file: exit {resumed.returncode}: {resumed.stderr}")


with tempfile.TemporaryDirectory() as tmp:
    started = time.monotonic()
    files = make_files(tmp)
    damaged_reads(tmp, files)
    damaged_resume(tmp, files)
    format_2_still_read(tmp, files)
    print(f"{time.monotonic() - started:.1f} s")

finish("corrupt_results")
