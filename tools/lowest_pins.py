"""Print ``name==version`` pins of the lowest versions that pyproject.toml
allows on the running Python: the dependencies, and those of the extras
named on the command line.  Every one of them must declare a ``>=`` floor
(an unbounded dependency has no floor to test).

    python tools/lowest_pins.py dev > pins.txt

Needs `packaging` (and `tomli` before Python 3.11).
"""
import os
import sys

try:
    import tomllib
except ImportError:         # Python 3.10
    import tomli as tomllib

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pins(extras):
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as fh:
        project = tomllib.load(fh)["project"]
    texts = list(project["dependencies"])
    for extra in extras:
        texts += project["optional-dependencies"][extra]
    out = []
    for text in texts:
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate():
            continue
        floors = [Version(s.version) for s in req.specifier if s.operator == ">="]
        if not floors:
            raise SystemExit(f"pyproject.toml: {text!r} declares no >= floor to test")
        out.append(f"{req.name}=={max(floors)}")
    return out


if __name__ == "__main__":
    print("\n".join(pins(sys.argv[1:])))
