"""Names a library's files define for themselves (in an unnamed namespace, or static) must differ
between the files of one library: the sanitizer builds (CJSIM_UNITY) compile each library's
files together in unity batches, where two file-local `number` functions collide. This check
finds such pairs in seconds, before a sanitizer build would.

Usage: unity_names.py SOURCE_DIR
"""
import os
import re
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from layering import LAYERS  # noqa: E402

# A definition at the unnamed namespace's own level (column 0): a function, a variable, a type.
DEFINITION = re.compile(
    r"^(?:template\s*<[^>]*>\s*)?(?:static\s+|inline\s+|constexpr\s+|const\s+)*"
    r"(?:(?:struct|class|enum(?:\s+class)?|union)\s+(?P<type>\w+)\s*[:{]"
    r"|using\s+(?P<alias>\w+)\s*="
    r"|[\w:<>,\s\*&]+?[\s\*&](?P<name>\w+)\s*(?:\(|=|\{|\[))")


def local_names(text):
    """The names defined at the top level of a file's unnamed namespaces."""
    names = {}
    depth_in = None  # brace depth at which the current unnamed namespace's body sits
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.split("//")[0]
        if depth_in is None and re.match(r"^namespace\s*\{", stripped):
            depth_in = depth + 1
        elif depth_in is not None and depth == depth_in and not line.startswith((" ", "\t", "}", "#")):
            m = DEFINITION.match(stripped)
            if m and not stripped.startswith("namespace"):  # an alias of a namespace may repeat
                name = m.group("type") or m.group("alias") or m.group("name")
                if m.group("name") and stripped[m.end() - 1] == "(":
                    # A function collides only with the same parameters (overloads may differ):
                    # its key is the declaration up to the end of its first line's parameters.
                    head = stripped.split("{")[0].split(")")[0]
                    parameters = re.sub(r"\s+", " ", head[head.index("(") + 1:]).strip()
                    parameters = re.sub(r"\s*\b\w+(\s*=[^,]*)?(?=,|$)", "", parameters)
                    name = f"{name}({parameters})"
                names.setdefault(name, number)
        depth += stripped.count("{") - stripped.count("}")
        if depth_in is not None and depth < depth_in:
            depth_in = None
    return names


def main(source):
    problems = []
    for folder in LAYERS:
        path = os.path.join(source, folder)
        if not os.path.isdir(path):
            continue
        where = defaultdict(list)
        for name in sorted(os.listdir(path)):
            if name.endswith(".cc"):
                with open(os.path.join(path, name), encoding="utf-8") as f:
                    for local, line in local_names(f.read()).items():
                        where[local].append(f"{folder}/{name}:{line}")
        for local, places in sorted(where.items()):
            if len(places) > 1:
                problems.append(f"{local}: defined file-locally in {', '.join(places)}")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} file-local names repeat within a library: give each its own name, "
              "or move the shared one into a header (the sanitizer builds compile a library's "
              "files as one)", file=sys.stderr)
        return 1
    print(f"unity names: no file-local name repeats within a library ({len(LAYERS)} libraries)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
