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


# A string or character literal on one line, escapes included.
LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')


def keys_of(stripped, m):
    """The keys a definition or declaration matched by DEFINITION is known by."""
    name = m.group("type") or m.group("alias") or m.group("name")
    if not (m.group("name") and stripped[m.end() - 1] == "("):
        return [name]
    # A function collides only with a call both could take (overloads may differ): its keys
    # are its parameter types on the first line, once for each count of them it may be called
    # with (defaulted ones may be left out: percent(double, int = 2) collides with another's
    # percent(double)).
    head = stripped.split("{")[0].split(")")[0]
    parameters = re.sub(r"\s+", " ", head[head.index("(") + 1:]).strip()
    listed = [q.strip() for q in parameters.split(",")] if parameters else []
    required = sum(1 for q in listed if "=" not in q)
    types = [re.sub(r"\s*\b\w+(\s*=.*)?$", "", q) for q in listed]
    return [f"{name}({', '.join(types[:k])})" for k in range(required, len(types) + 1)]


def public_functions(text):
    """The functions a header declares at namespace level (column 0), which every file of the
    library that includes it sees, in a unity batch beside the others' file-local names."""
    names = {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.split("//")[0]
        if line.startswith((" ", "\t", "}", "#", "namespace", "using", "struct", "class", "enum")):
            continue
        m = DEFINITION.match(stripped)
        if m and m.group("name") and stripped[m.end() - 1] == "(":
            for key in keys_of(stripped, m):
                names.setdefault(key, number)
    return names


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
                keys = keys_of(stripped, m)
                for key in keys:
                    names.setdefault(key, number)
        code = LITERAL.sub('""', stripped)  # a '{' in a string or character is no brace
        depth += code.count("{") - code.count("}")
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
        public = {}
        for name in sorted(os.listdir(path)):
            if not name.endswith((".cc", ".h")):
                continue
            with open(os.path.join(path, name), encoding="utf-8") as f:
                if name.endswith(".cc"):
                    for local, line in local_names(f.read()).items():
                        where[local].append(f"{folder}/{name}:{line}")
                elif name.endswith(".h"):
                    for declared, line in public_functions(f.read()).items():
                        public.setdefault(declared, f"{folder}/{name}:{line}")
        for local, places in sorted(where.items()):
            if len(places) > 1:
                problems.append(f"{local}: defined file-locally in {', '.join(places)}")
            if local in public:
                problems.append(f"{local}: defined file-locally in {', '.join(places)} and "
                                f"declared for the library in {public[local]}")
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
