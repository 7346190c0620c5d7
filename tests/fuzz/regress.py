"""Regression files: one minimised failing program per file under
``tests/fuzz/regressions/``.

A regression file is an ordinary module (so that ``inspect.getsource`` works
on it and it can be read and run by hand): a comment saying what failed and
how it was found, the program (``f`` and its helpers), and a ``FUZZ_CASE``
dict with the parameter names, the arguments as Python expressions, the entry
points to check and the class that was observed when the file was written.

``check_file(path)`` runs the file's program through the same runner as the
fuzzer; the test passes when none of its entries fails (a clear refusal,
``DifferentiationError``, counts as a pass).
"""
import ast
import glob
import hashlib
import os
import textwrap

from . import check
from .gen import Case

REG_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "regressions")


def _strip_imports_header(src):
    return src.rstrip() + "\n"


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def write_regression(case, target, result, dirpath=REG_DIR, found_by="", entries=None, title=None,
                     name=None, must_not_refuse=False):
    cls, ent, detail = target
    entries = list(entries or [ent])
    os.makedirs(dirpath, exist_ok=True)
    h = hashlib.sha1((case.source + repr(case.args) + ent).encode()).hexdigest()[:8]
    kind = ent.split(":")[0] + ("-" + ent.split(":")[1] if ent.startswith(("jac", "grad", "vg")) else "")
    name = f"{name or cls + '__' + kind}__{h}.py"
    path = os.path.join(dirpath, name)
    msgs = [f"[{e}] {m}" for c, e, m in result.issues if c in check.FAILURES]
    if must_not_refuse:
        msgs += [f"[{e}] refused: {m.splitlines()[0]}" for e, m in result.refusals]
    head = [f"# ast_ad fuzz regression: {title or cls + ' in ' + ent}"]
    if found_by:
        head.append(f"# found by: {found_by}")
    head.append("# observed when written:")
    for msg in msgs[:6] or [""]:
        for i, line in enumerate(textwrap.wrap(msg, 93) or [""]):
            head.append(f"#   {'' if i == 0 else '  '}{line}")
    head.append("# Reference: plain Python on copies of the arguments and finite differences")
    head.append("# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file " +
                os.path.relpath(path, ROOT))
    meta = {
        "params": list(case.params),
        "args": list(case.args),
        "entries": entries,
        "observed": cls,
        "seed": case.seed,
        "kind": case.kind,
    }
    if must_not_refuse:
        meta["must_not_refuse"] = True
    body = "\n".join(head) + "\n" + _strip_imports_header(case.source) + "\n\nFUZZ_CASE = " + \
        _pretty(meta) + "\n"
    with open(path, "w") as fh:
        fh.write(body)
    return path


def _pretty(d):
    lines = ["{"]
    for k, v in d.items():
        lines.append(f"    {k!r}: {v!r},")
    lines.append("}")
    return "\n".join(lines)


def load(path):
    with open(path) as fh:
        src = fh.read()
    tree = ast.parse(src)
    meta = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "FUZZ_CASE" for t in node.targets):
            meta = ast.literal_eval(node.value)
    if meta is None:
        raise ValueError(f"{path}: no FUZZ_CASE")
    case = Case(src, meta["params"], meta["args"], meta.get("kind", "scalar"), meta.get("seed"),
                meta["entries"], os.path.basename(path))
    return case, meta


def files(dirpath=REG_DIR):
    return sorted(glob.glob(os.path.join(dirpath, "*.py")))


def check_file(path, timeout=60.0):
    case, meta = load(path)
    res = check.run_case(case, entries=meta["entries"], timeout=timeout)
    return case, meta, res


def failed(res, meta=None):
    """A failure class, or a refusal where the file says the program is supported."""
    if meta and meta.get("must_not_refuse") and res.refusals:
        return True
    return res.cls in check.FAILURES
