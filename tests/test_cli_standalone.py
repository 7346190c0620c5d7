"""``ast-ad show --args`` prints the specialised code, and ``ast-ad export``
writes a module that runs where ast_ad is not installed.

Exported modules are imported in a Python started with ``-I -S`` (no
site-packages) whose path holds the standard library, NumPy and the
exported file only: ``import ast_ad`` fails there.  Their gradients are
compared with analytic derivatives."""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import ast_ad
from ast_ad import cli

MODEL = """\
import math

import numpy as np


def baydin(x1, x2):
    return math.log(x1) + x1 * x2 - math.sin(x2)


def layer(W, b, x):
    return np.sum(np.tanh(W @ x + b) ** 2)


def mse(w, b, X, y):
    r = X @ w + b - y
    return np.mean(r ** 2)


def softmax_max(z, k):
    m = np.max(z)
    e = np.exp(z - m)
    return np.log(np.sum(e)) + m + z[k] * 0.5


def count(x, n):
    s = 0.0
    for i in range(n):
        s = s + x * i
    return s
"""


@pytest.fixture
def model(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(MODEL)
    return str(path)


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------- show --args

def test_show_args_prints_the_code_made_for_two_floats(capsys, model):
    code, out, err = run(capsys, "show", model + ":baydin", "--args", "2.0 5.0")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "def grad_baydin(x1, x2):"
    assert lines[1] == "    if type(x1) is not float or type(x2) is not float:"
    assert "_ad." not in out        # no broadcasting helpers between floats
    assert lines[-1] == "    return bx1, bx2"


def test_show_args_is_what_source_shows_after_such_a_call(capsys, model, tmp_path):
    code, out, err = run(capsys, "show", model + ":layer", "--args",
                         "W:(3, 4) b:(3,) x:(4,):float32", "--wrt", "W,x")
    assert code == 0, err
    assert "W.shape != (3, 4)" in out and "x.dtype is not dtype_float32" in out
    sys.path.insert(0, str(tmp_path))
    try:
        import model as m
        g = ast_ad.grad(m.layer, wrt=("W", "x"))
        W, b, x = np.ones((3, 4)), np.zeros(3), np.ones(4, np.float32)
        g(W, b, x)
        assert out == g.source
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("model", None)


def test_show_args_keeps_an_int_outside_wrt_and_forward_mode(capsys, model):
    code, out, err = run(capsys, "show", model + ":count", "--args", "2.0 3", "--wrt", "x")
    assert code == 0, err
    assert "type(n) is not int" in out
    code, out, err = run(capsys, "show", model + ":baydin", "--mode", "forward",
                         "--args", "x2:5.0 x1:2.0")
    assert code == 0, err
    assert out.startswith("def jvp_baydin(x1, x2, dx1, dx2):\n"
                          "    if type(x1) is not float or type(x2) is not float:")


@pytest.mark.parametrize("args, message", [
    ("2.0", "takes 2 argument(s), got 1"),
    ("y:2.0 1.0", "has no parameter 'y'"),
    ("2.0 x1:3.0", "'x1' given twice"),
    ("(2,", "unbalanced"),
    ("2.0 5.0:notadtype", "not a NumPy dtype"),
    ("x2:2.0", "no value for x1"),
])
def test_show_args_mistakes_are_one_line(capsys, model, args, message):
    code, out, err = run(capsys, "show", model + ":baydin", "--args", args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err, err


def test_show_args_with_ssa_says_why_not(capsys, model):
    code, _, err = run(capsys, "show", model + ":baydin", "--mode", "ssa", "--args", "1.0 2.0")
    assert code == 2 and "SSA form does not depend" in err


# ------------------------------------------------------------------- export

CHECK = """\
import json, sys
sys.path[:0] = json.loads(sys.argv[1])
try:
    import ast_ad
except ImportError:
    pass
else:
    raise SystemExit("ast_ad is importable here: " + ast_ad.__file__)
import numpy as np
results = {}
import g_baydin
results["baydin"] = g_baydin.grad_baydin(2.0, 5.0)
import g_layer
W = np.arange(12.0).reshape(3, 4) / 10; b = np.array([0.1, -0.2, 0.3]); x = np.array([1.0, -1.0, 0.5, 2.0])
v, (gW, gb, gx) = g_layer.grad_layer(W, b, x)
results["layer"] = [float(v), gW.tolist(), gb.tolist(), gx.tolist()]
import g_mse
X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]); y = np.array([1.0, 0.0, -1.0]); w = np.array([1.0, -2.0])
v, (gw, gb) = g_mse.grad_mse(w, 0.5, X, y)
results["mse"] = [float(v), gw.tolist(), float(gb)]
import g_softmax_max
z = np.array([0.5, 2.0, -1.0, 2.0 - 1e-3])
v, gz = g_softmax_max.grad_softmax_max(z, 1)
results["softmax_max"] = [float(v), gz.tolist()]
try:
    g_mse.grad_mse(w, 0.5, np.ones((3, 3)), y)
except Exception as e:
    results["error"] = type(e).__name__
print(json.dumps(results))
"""


def test_exported_modules_run_without_ast_ad(capsys, model, tmp_path):
    out_dir = tmp_path / "exported"
    out_dir.mkdir()
    for name, wrt in [("baydin", "x1,x2"), ("layer", "W,b,x"), ("mse", "w,b"),
                      ("softmax_max", "z")]:
        code, _, err = run(capsys, "export", f"{model}:{name}", "--wrt", wrt,
                           "-o", str(out_dir / f"g_{name}.py"))
        assert code == 0, err
        text = (out_dir / f"g_{name}.py").read_text()
        imports = [line for line in text.splitlines()
                   if line.startswith(("import ", "from ")) or " import " in line.split("#")[0]]
        assert sorted(imports) == ["import math", "import numpy as np"], imports
    # the helpers were copied (the generic array code needs them)
    assert "def unbroadcast(" in (out_dir / "g_mse.py").read_text()

    only_numpy = tmp_path / "only_numpy"
    only_numpy.mkdir()
    os.symlink(os.path.dirname(np.__file__), only_numpy / "numpy")
    (tmp_path / "check.py").write_text(CHECK)
    proc = subprocess.run([sys.executable, "-I", "-S", str(tmp_path / "check.py"),
                           json.dumps([str(out_dir), str(only_numpy)])],
                          capture_output=True, text=True, timeout=120, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    r = json.loads(proc.stdout)

    value, (d1, d2) = r["baydin"]
    assert d1 == pytest.approx(1 / 2.0 + 5.0) and d2 == pytest.approx(2.0 - np.cos(5.0))

    W = np.arange(12.0).reshape(3, 4) / 10
    b, x = np.array([0.1, -0.2, 0.3]), np.array([1.0, -1.0, 0.5, 2.0])
    t = np.tanh(W @ x + b)
    s = 2 * t * (1 - t ** 2)
    v, gW, gb, gx = r["layer"]
    assert v == pytest.approx(np.sum(t ** 2))
    np.testing.assert_allclose(gW, np.outer(s, x), rtol=1e-12)
    np.testing.assert_allclose(gb, s, rtol=1e-12)
    np.testing.assert_allclose(gx, W.T @ s, rtol=1e-12)

    X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    y, w = np.array([1.0, 0.0, -1.0]), np.array([1.0, -2.0])
    res = X @ w + 0.5 - y
    v, gw, gb = r["mse"]
    assert v == pytest.approx(np.mean(res ** 2))
    np.testing.assert_allclose(gw, 2 * X.T @ res / 3, rtol=1e-12)
    assert gb == pytest.approx(2 * np.mean(res))

    z = np.array([0.5, 2.0, -1.0, 2.0 - 1e-3])
    v, gz = r["softmax_max"]
    p = np.exp(z - z.max()) / np.sum(np.exp(z - z.max()))
    assert v == pytest.approx(np.log(np.sum(np.exp(z))) + 0.5 * z[1])
    np.testing.assert_allclose(gz, p + 0.5 * np.eye(4)[1], rtol=1e-10, atol=1e-14)

    # an argument of the wrong shape fails as in NumPy (matmul's ValueError)
    assert r["error"] == "ValueError"
