"""Groups the GoogleTest files for a unity build (CJSIM_TEST_UNITY): files compiled together
must not define the same file-local name, and the test files share helper names on purpose
(each has its own `tiny()` journey, its own `run`). A file goes to the first group holding
none of its names, in name order, at most GROUP_SIZE to a group; what the files define is
read as tests/unity_names.py reads a library's files, by bare name (any two `tiny` apart,
whatever their parameters), raw strings left out. A group of files compiles in about 60% of
the processor time of the same files one by one (release flags, measured on five files).

Usage: unity_groups.py FILE...   prints a line "GROUP FILE" for each file
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from unity_names import local_names  # noqa: E402

GROUP_SIZE = 8
# A raw string literal, which may span lines and hold braces and YAML that looks like code.
RAW_STRING = re.compile(r'R"(?P<delimiter>[^(\s]*)\((?:.|\n)*?\)(?P=delimiter)"')
# Names a file brings to the global scope for every file after it in the group.
USING = re.compile(r"^using\s+(?:namespace\s+)?[\w:]*?(\w+)\s*;", re.MULTILINE)


def names_of(text):
    """The bare names a test file defines for itself or brings into the global scope."""
    text = RAW_STRING.sub(lambda m: '""' + "\n" * m.group(0).count("\n"), text)
    names = {re.match(r"\w+", key).group(0) for key in local_names(text)}
    names.update(m.group(1) for m in USING.finditer(text) if "namespace" not in m.group(0))
    return names


def groups(paths):
    placed = []  # per group: the names its files define, and how many files it has
    for path in sorted(paths, key=os.path.basename):
        with open(path, encoding="utf-8") as f:
            names = names_of(f.read())
        for index, (taken, count) in enumerate(placed):
            if count < GROUP_SIZE and not names & taken:
                placed[index] = (taken | names, count + 1)
                yield index, path
                break
        else:
            placed.append((set(names), 1))
            yield len(placed) - 1, path


def main(paths):
    for index, path in groups(paths):
        print(f"tests_{index} {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
