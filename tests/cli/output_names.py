"""What a command's output options may name, checked before any work: two outputs of one command
never name the same file, nor an input (by inode: a hard link or another spelling is caught
too), with or without --force; --force replaces only regular files (a FIFO, a device node, a
socket or a directory is refused and left as it was); an empty name is an error naming the
option (exit 2); a 253-byte name works and leaves no temporary; a failed command leaves none
of its outputs.

Usage: output_names.py CJSIM SOURCE_DIR
"""
import os
import shutil
import socket
import stat
import sys
import tempfile

cjsim, source = sys.argv[1], os.path.abspath(sys.argv[2])
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, every_writer, failures, finish, leftovers, runner  # noqa: E402

run = runner(cjsim)
tiny_source = os.path.join(source, "tests", "data", "tiny.yaml")
events_source = os.path.join(source, "tests", "data", "observed", "tiny_events.csv")


def content(path):
    with open(path, "rb") as f:
        return f.read()


def refused(what, result, words, code=1):
    check(result.returncode == code, f"{what}: exit {result.returncode}: {result.stderr}")
    for word in words:
        check(word in result.stderr, f"{what}: no '{word}' in: {result.stderr}")


with tempfile.TemporaryDirectory() as directory:
    tiny = os.path.join(directory, "tiny.yaml")
    events = os.path.join(directory, "events.csv")
    shutil.copy(tiny_source, tiny)
    shutil.copy(events_source, events)
    os.link(events, os.path.join(directory, "events_link.csv"))
    inputs = {name: content(os.path.join(directory, name)) for name in os.listdir(directory)}
    x = os.path.join(directory, "x.h5")

    # Two outputs of one command, the same file: refused up front, whatever --force says.
    for force in ([], ["--force"]):
        result = run("run", tiny, "-n", "2000", "--out", x, "--report", x, *force)
        refused(f"run --out x --report x {force}", result, ["--out", "--report", "x.h5"])
        check("appeared" not in result.stderr, f"a wrong reason: {result.stderr}")
        result = run("fit", events, "-o", os.path.join(directory, "q.txt"), "--report-out",
                     os.path.join(directory, ".", "q.txt"), *force)
        refused(f"fit -o q.txt --report-out ./q.txt {force}", result, ["-o", "--report-out"])
        result = run("compare", tiny, tiny, "-n", "2000", "--out", x, "--report",
                     os.path.join(directory, "sub", "..", "x.h5"), *force)
        check(result.returncode == 1, f"compare --out x --report sub/../x: {result.stderr}")
    # An output that is an input: refused, the input untouched.
    for args in (["fit", events, "-o", events, "--force"],
                 ["fit", events, "-o", os.path.join(directory, "events_link.csv"), "--force"],
                 ["fit", events, "-o", os.path.join(directory, "f.yaml"), "--skeleton", tiny,
                  "--report-out", tiny, "--force"],
                 ["run", tiny, "-n", "2000", "--out", tiny, "--force"],
                 ["run", tiny, "-n", "2000", "--report", tiny],
                 ["attribute", events, "--csv", events, "--force"],
                 ["graph", tiny, "-o", tiny, "--force"],
                 ["report", tiny, "-o", tiny, "--force"]):
        result = run(*args)
        refused(" ".join(args[:1] + args[2:]), result, ["input", "another file"])
    check({name: content(os.path.join(directory, name)) for name in os.listdir(directory)}
          == inputs, f"inputs changed or outputs left: {sorted(os.listdir(directory))}")

    # --force replaces regular files only.
    fifo = os.path.join(directory, "fifo")
    os.mkfifo(fifo)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(os.path.join(directory, "socket"))
    specials = {"fifo": ("FIFO", stat.S_ISFIFO), "socket": ("socket", stat.S_ISSOCK)}
    if os.geteuid() == 0:
        os.mknod(os.path.join(directory, "null"), 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        specials["null"] = ("character device", stat.S_ISCHR)
    os.mkdir(os.path.join(directory, "folder"))
    specials["folder"] = ("directory", stat.S_ISDIR)
    writers, made = every_writer(cjsim, source, directory)
    for name, (kind, is_kind) in specials.items():
        path = os.path.join(directory, name)
        for writer in ["run --out", "run --report", "graph -o", "fit -o", "attribute --csv",
                       "sweep --out", "report -o"]:
            result = run(*writers[writer](path), "--force")
            refused(f"{writer} {name} --force", result, [kind, "regular file"])
            check(is_kind(os.lstat(path).st_mode), f"{writer} --force replaced the {kind}")
    sock.close()

    # Empty names are errors naming the option.
    for name, command in writers.items():
        result = run(*command(""))
        option = name.split()[-1]
        # Messages name an option by its first long name: --csv is an old name of --output.
        refused(f"{name} ''", result, ["--output" if option == "--csv" else option, "empty"],
                code=2)

    # Long names: the temporary's name stays within the 255 bytes a name may have.
    long_names = os.path.join(directory, "long")
    os.mkdir(long_names)
    for name in ["run --out", "graph -o", "fit -o"]:
        path = os.path.join(long_names, name[0] * 253)
        result = run(*writers[name](path))
        check(result.returncode == 0 and os.path.isfile(path),
              f"{name} with a 253-byte name: exit {result.returncode}: {result.stderr}")
        check(leftovers(long_names, [name[0] * 253]) == [],
              f"{name} with a 253-byte name left {leftovers(long_names, [name[0] * 253])}")
        if os.path.exists(path):
            os.remove(path)
    result = run(*writers["run --out"](os.path.join(long_names, "r" * 256)))
    refused("run --out with a 256-byte name", result, ["256 bytes"])

    # A failed command leaves none of its outputs: a report that cannot be written takes the
    # fitted journey with it, and the rerun is not refused.
    fitted = os.path.join(directory, "f1.yaml")
    for attempt in (1, 2):
        result = run("fit", events, "-o", fitted, "--report-out",
                     os.path.join(directory, "missing", "r.h5"))
        refused(f"fit with a failing --report-out, attempt {attempt}", result,
                ["does not exist"])
        check(not os.path.exists(fitted), f"attempt {attempt}: left {fitted}")
finish("output_names")
