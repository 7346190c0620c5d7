"""Golden-text and determinism tests for the generated source.

The same function transformed twice gives byte-identical source: in one
process, after ``ast_ad.cache.clear()``, and in fresh interpreters with
different hash seeds.  The exact current output for the Baydin et al. example
f(x1, x2) = log(x1) + x1*x2 - sin(x2) is kept in tests/golden/ (reverse mode
w.r.t. (0, 1), and the SSA form) and compared byte for byte.

When a change to the generated code is intended, regenerate the golden files
and review the diff before committing it:

    AST_AD_REGEN_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_golden.py
    git diff tests/golden/

The golden files are also executed, so a regenerated file that computes a
wrong gradient fails here even before anyone reads it.
"""
import difflib
import math
import os
import subprocess
import sys

import numpy as np
import pytest

import ast_ad
import ast_ad.runtime

_HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN_DIR = os.path.join(_HERE, "golden")
REGEN_ENV = "AST_AD_REGEN_GOLDEN"


# ------------------------------------------------------ functions under test

def f(x1, x2):
    return math.log(x1) + x1 * x2 - math.sin(x2)


def loop_fn(x, n):
    s = 0.0
    for i in range(n):
        if s > 1.0:
            s = s * 0.5
        s = s + np.sum(np.tanh(x) * i)
    return s


def names_fn(x, bx, _t1):
    _t2 = x * bx
    y = np.exp(_t2) + _t1
    return np.sum(y * y)


def array_fn(W, b, x):
    h = np.tanh(W @ x + b)
    return np.sum(h ** 2) / h.shape[0]


DETERMINISM_CASES = {
    "f-reverse": (f, "reverse", (0, 1)),
    "f-ssa": (f, "ssa", 0),
    "loop_fn-reverse": (loop_fn, "reverse", 0),
    "names_fn-reverse": (names_fn, "reverse", (0, 1, 2)),
    "array_fn-reverse": (array_fn, "reverse", (0, 1)),
    "array_fn-ssa": (array_fn, "ssa", 0),
}

GOLDEN_CASES = {
    "baydin_reverse.py.txt": (f, "reverse", (0, 1)),
    "baydin_ssa.py.txt": (f, "ssa", 0),
    # what actually runs for two Python floats: `.source` after a call
    "baydin_reverse_floats.py.txt": (f, "grad-called", (0, 1)),
}


def _source(case):
    fn, mode, wrt = case
    if mode == "grad-called":
        g = ast_ad.grad(fn, wrt=wrt)
        g(2.0, 5.0)
        return g.source
    return ast_ad.source(fn, mode=mode, wrt=wrt)


# ------------------------------------------------------------ determinism

@pytest.mark.parametrize("name", sorted(DETERMINISM_CASES))
def test_same_source_twice_and_after_cache_clear(name):
    case = DETERMINISM_CASES[name]
    first = _source(case)
    second = _source(case)
    assert first == second
    ast_ad.cache.clear()
    third = _source(case)
    assert first == third, "source changed after ast_ad.cache.clear()"
    assert first.encode() == third.encode()


def test_grad_object_source_is_deterministic():
    """`.source` of two gradient objects (after calls with the same argument
    kinds) is the same text, with or without the cache."""
    g1 = ast_ad.grad(f, wrt=(0, 1))
    g1(2.0, 5.0)
    ast_ad.cache.clear()
    g2 = ast_ad.grad(f, wrt=(0, 1))
    g2(2.0, 5.0)
    assert g1.source == g2.source
    assert "def grad_f" in g1.source


_SUBPROCESS_SCRIPT = r"""
import importlib.util, sys
spec = importlib.util.spec_from_file_location("golden_subject", sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
for name in sorted(mod.DETERMINISM_CASES):
    sys.stdout.write("=== " + name + "\n" + mod._source(mod.DETERMINISM_CASES[name]))
"""


def _source_in_fresh_interpreter(hashseed):
    env = dict(os.environ, PYTHONHASHSEED=str(hashseed))
    env.pop(REGEN_ENV, None)
    proc = subprocess.run([sys.executable, "-c", _SUBPROCESS_SCRIPT, os.path.abspath(__file__)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_same_source_across_interpreters_and_hash_seeds():
    """No dependence on set/dict iteration order of strings, id()s or a
    process-wide counter: fresh interpreters with different PYTHONHASHSEED
    values and this process (which has already transformed many functions)
    print the same bytes."""
    a = _source_in_fresh_interpreter(1)
    b = _source_in_fresh_interpreter(12345)
    here = "".join("=== " + n + "\n" + _source(DETERMINISM_CASES[n])
                   for n in sorted(DETERMINISM_CASES))
    assert a == b, _diff(a, b, "PYTHONHASHSEED=1", "PYTHONHASHSEED=12345")
    assert a == here, _diff(a, here, "fresh interpreter", "this process")


# ------------------------------------------------------------------ golden

def _diff(expected, actual, a="expected", b="actual"):
    return "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        fromfile=a, tofile=b))


def _check_golden(filename, actual):
    path = os.path.join(GOLDEN_DIR, filename)
    data = actual.encode("utf-8")
    if os.environ.get(REGEN_ENV) == "1":
        os.makedirs(GOLDEN_DIR, exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
        return
    how = (f"If the change is intended, regenerate the golden files with\n"
           f"    {REGEN_ENV}=1 python -m pytest -q tests/test_golden.py\n"
           f"and review `git diff tests/golden/` before committing.")
    if not os.path.exists(path):
        pytest.fail(f"golden file {path} is missing.\n{how}")
    with open(path, "rb") as fh:
        expected = fh.read()
    if expected != data:
        pytest.fail(f"generated source differs from {path} (byte for byte):\n"
                    f"{_diff(expected.decode('utf-8', 'replace'), actual, filename, 'generated')}"
                    f"\n{how}")


@pytest.mark.parametrize("filename", sorted(GOLDEN_CASES))
def test_golden_source(filename):
    _check_golden(filename, _source(GOLDEN_CASES[filename]))


def test_ssa_object_matches_ssa_source():
    assert str(ast_ad.ssa(f)) == ast_ad.source(f, mode="ssa")


def _read_golden(filename):
    with open(os.path.join(GOLDEN_DIR, filename), encoding="utf-8") as fh:
        return fh.read()


def _not_floats(*args):
    raise AssertionError(f"specialised code rejected its arguments {args!r}")


def _exec_golden(filename, name):
    ns = {"math": math, "np": np, "_ad": ast_ad.runtime, "_dispatch": _not_floats}
    exec(compile(_read_golden(filename), filename, "exec"), ns)
    return ns[name]


@pytest.mark.parametrize("x1, x2", [(2.0, 5.0), (0.5, -1.3), (3.7, 0.2)])
def test_golden_reverse_is_correct(x1, x2):
    """The frozen reverse code computes f and its analytic gradient
    (1/x1 + x2, x1 - cos(x2))."""
    grad_f = _exec_golden("baydin_reverse.py.txt", "grad_f")
    value, (g1, g2) = grad_f(x1, x2)
    assert value == pytest.approx(math.log(x1) + x1 * x2 - math.sin(x2), rel=1e-14)
    assert g1 == pytest.approx(1.0 / x1 + x2, rel=1e-14)
    assert g2 == pytest.approx(x1 - math.cos(x2), rel=1e-14)


@pytest.mark.parametrize("x1, x2", [(2.0, 5.0), (0.5, -1.3)])
def test_golden_float_specialisation_is_correct(x1, x2):
    """The frozen float-specialised code returns the analytic gradient (it
    may return the gradient alone or with the value)."""
    out = _exec_golden("baydin_reverse_floats.py.txt", "grad_f")(x1, x2)
    grads = out[1] if isinstance(out[1], tuple) else out      # (value, grads) or grads
    assert grads == pytest.approx((1.0 / x1 + x2, x1 - math.cos(x2)), rel=1e-14)


def test_golden_ssa_is_correct():
    ssa_f = _exec_golden("baydin_ssa.py.txt", "f")
    assert ssa_f(2.0, 5.0) == pytest.approx(f(2.0, 5.0), rel=1e-15)


def test_golden_reverse_is_readable():
    """Readable: the user's parameter names and the textbook adjoint names are
    kept, one operation per line, a `# grad of:` comment quotes the user line,
    and no random or mangled identifiers appear."""
    text = _read_golden("baydin_reverse.py.txt")
    assert text.startswith("def grad_f(x1, x2):\n")
    assert "# grad of: return math.log(x1) + x1 * x2 - math.sin(x2)" in text
    assert "bx1" in text and "bx2" in text
    for line in text.splitlines()[1:]:
        assert line.startswith("    "), line
        assert len(line) < 100, line
        assert ";" not in line, line
    import re
    code = "\n".join(line.split("#")[0] for line in text.splitlines())
    code = re.sub(r"'[^']*'|\"[^\"]*\"", "''", code)        # drop string literals
    code = re.sub(r"\.\s*[A-Za-z_]\w*", "", code)          # drop attribute names
    idents = set(re.findall(r"\b[A-Za-z_]\w*\b", code))
    allowed = re.compile(r"^(_t\d{1,2}|bx[12](_\d)?|x[12]|grads|result|value|grad_f|def|return|"
                         r"if|else|math|np|_ad)$")
    odd = sorted(i for i in idents if not allowed.match(i))
    assert not odd, f"unexpected identifiers in golden reverse code: {odd}"
