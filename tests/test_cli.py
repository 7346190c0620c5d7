"""Tests of the ``ast-ad`` command line (ast_ad/cli.py).

Most tests run ``main([...])`` in-process; a few run ``python -m ast_ad`` in a
subprocess to prove the module entry point works.  Derivatives are compared
with values worked out by hand (or with finite differences), never with
ast_ad's own output.
"""
import ast
import importlib.util
import math
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from ast_ad import cli

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BAYDIN = os.path.join(REPO, "examples", "baydin.py")
BAYDIN_TARGET = BAYDIN + ":f"

# f(x1, x2) = ln(x1) + x1*x2 - sin(x2) at (2, 5), by hand
F_VALUE = math.log(2.0) + 10.0 - math.sin(5.0)
DF_DX1 = 1 / 2.0 + 5.0
DF_DX2 = 2.0 - math.cos(5.0)


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


def import_file(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assert_one_line_error(err, code, expected_code=2):
    assert code == expected_code
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def numpy_file(tmp_path):
    return write(tmp_path, "model.py", """\
        import numpy as np


        def loss(w, b, X, y):
            r = X @ w + b - y
            return np.mean(r ** 2)


        def quartic(x):
            return np.sum(x ** 4) + x[0] * x[1]


        def cube(x):
            return x ** 3
        """)


# ---------------------------------------------------------------------------
# show
# ---------------------------------------------------------------------------

def test_show_prints_readable_reverse_code(capsys):
    code, out, err = run(capsys, "show", BAYDIN_TARGET)
    assert code == 0, err
    assert "def grad_f" in out
    assert "math.cos" in out
    ast.parse(out)                         # valid Python


def test_show_prints_the_code_that_runs(capsys):
    """The printed code, executed on its own, gives the hand-derived gradient."""
    from ast_ad import runtime
    code, out, _ = run(capsys, "show", BAYDIN_TARGET)
    assert code == 0
    namespace = {"np": np, "math": math, "_ad": runtime}
    exec(compile(out, "<shown>", "exec"), namespace)
    value, (dx1, dx2) = namespace["grad_f"](2.0, 5.0)
    assert value == pytest.approx(F_VALUE, rel=1e-12)
    assert dx1 == pytest.approx(DF_DX1, rel=1e-12)
    assert dx2 == pytest.approx(DF_DX2, rel=1e-12)


def test_show_wrt_selects_arguments(capsys):
    from ast_ad import runtime
    code, out, _ = run(capsys, "show", BAYDIN_TARGET, "--wrt", "x2")
    assert code == 0
    namespace = {"np": np, "math": math, "_ad": runtime}
    exec(compile(out, "<shown>", "exec"), namespace)
    _, dx2 = namespace["grad_f"](2.0, 5.0)
    assert dx2 == pytest.approx(DF_DX2, rel=1e-12)


def test_show_ssa(capsys):
    code, out, err = run(capsys, "show", BAYDIN_TARGET, "--mode", "ssa")
    assert code == 0, err
    assert "def f(x1, x2)" in out
    assert "math.log" in out and "math.sin" in out
    assert "grad" not in out and "math.cos" not in out
    namespace = {"np": np, "math": math}
    exec(compile(out, "<ssa>", "exec"), namespace)
    assert namespace["f"](2.0, 5.0) == pytest.approx(F_VALUE, rel=1e-12)


def test_show_forward(capsys):
    code, out, err = run(capsys, "show", BAYDIN_TARGET, "--mode", "forward")
    assert code == 0, err
    assert "def jvp_f" in out and "math.cos" in out
    ast.parse(out)


def test_show_module_target(capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    code, out, err = run(capsys, "show", "examples.baydin:f")
    assert code == 0, err
    assert "def grad_f" in out


def test_show_bad_wrt_name(capsys):
    code, _, err = run(capsys, "show", BAYDIN_TARGET, "--wrt", "nope")
    assert code == 2
    assert "nope" in err and "Traceback" not in err


def test_show_bad_mode_is_usage_error(capsys):
    code, _, err = run(capsys, "show", BAYDIN_TARGET, "--mode", "sideways")
    assert code == 2
    assert "Traceback" not in err


# ---------------------------------------------------------------------------
# trace
# ---------------------------------------------------------------------------

def test_trace_prints_table(capsys):
    code, out, err = run(capsys, "trace", BAYDIN_TARGET, "2", "5")
    assert code == 0, err
    assert "5.5" in out          # adjoint of x1
    assert "1.716" in out        # adjoint of x2
    assert "11.65" in out        # the value of f


# ---------------------------------------------------------------------------
# check
# ---------------------------------------------------------------------------

def test_check_ok(capsys):
    code, out, err = run(capsys, "check", BAYDIN_TARGET, "2", "5")
    assert code == 0, out + err
    assert "OK" in out and "MISMATCH" not in out
    assert "x1" in out and "x2" in out
    assert "5.5" in out and "1.716" in out


def test_check_arrays_and_wrt(capsys, numpy_file):
    code, out, err = run(capsys, "check", numpy_file + ":loss", "[1.0, -2.0]", "0.5",
                         "[[1, 2], [3, 4], [5, 6]]", "[1, 0, -1]", "--wrt", "w,b")
    assert code == 0, out + err
    assert "w[0]" in out and "w[1]" in out and "b" in out
    assert "X[" not in out            # not differentiated
    assert "OK" in out


def test_check_negative_numbers(capsys, numpy_file):
    code, out, err = run(capsys, "check", numpy_file + ":cube", "-1.5")
    assert code == 0, out + err
    assert "6.75" in out              # 3 * 1.5**2


def test_check_containers(capsys, tmp_path):
    path = write(tmp_path, "containers.py", """\
        def d(p):
            return p["a"] * p["b"] ** 2


        def pair(xs):
            return xs[0] * xs[1]
        """)
    code, out, err = run(capsys, "check", path + ":d", "{'a': 1.5, 'b': 2}")
    assert code == 0, out + err
    assert "p['a']" in out and "p['b']" in out
    code, out, err = run(capsys, "check", path + ":pair", "(3.0, 2.0)")
    assert code == 0, out + err
    assert "xs[0]" in out and "xs[1]" in out


def test_check_uses_wrt_of_a_wrapped_gradient(capsys):
    """A target that is already ast_ad.value_and_grad(loss, wrt=("w", "b"))."""
    target = os.path.join(REPO, "examples", "linear_regression.py") + ":loss_and_grad"
    code, out, err = run(capsys, "check", target, "[1.0, -2.0]", "0.5", "[[1, 2], [3, 4]]",
                         "[1, 0]")
    assert code == 0, out + err
    assert "w[1]" in out and "b" in out and "X[" not in out and "y[" not in out


@pytest.fixture
def primitives_file(tmp_path):
    return write(tmp_path, "prims.py", """\
        import ast_ad


        @ast_ad.primitive
        def cube(x):
            return x ** 3


        @ast_ad.defvjp(cube)
        def cube_vjp(g, ans, x):
            return g * 3.0 * x * x          # right: d(x^3)/dx = 3x^2


        @ast_ad.primitive
        def bad_cube(x):
            return x ** 3


        @ast_ad.defvjp(bad_cube)
        def bad_cube_vjp(g, ans, x):
            return g * 2.0 * x * x          # wrong on purpose


        def f(x, y):
            return cube(x) * y


        def g(x, y):
            return bad_cube(x) * y
        """)


def test_check_primitive_with_correct_rule(capsys, primitives_file):
    code, out, err = run(capsys, "check", primitives_file + ":f", "2", "0.5")
    assert code == 0, out + err
    assert "OK" in out
    assert "6.0" in out          # df/dx = 3 x^2 y = 6
    assert "8.0" in out          # df/dy = x^3 = 8


def test_check_mismatch_exits_1(capsys, primitives_file):
    """A primitive whose derivative rule is wrong: check must say so."""
    code, out, err = run(capsys, "check", primitives_file + ":g", "2", "0.5")
    assert code == 1, out + err
    assert "MISMATCH" in out and "OK" not in out
    row_x = next(line for line in out.splitlines() if line.startswith("x "))
    row_y = next(line for line in out.splitlines() if line.startswith("y "))
    assert "mismatch" in row_x and "4.0" in row_x and "6.0" in row_x   # AD 2x^2y, FD 3x^2y
    assert "mismatch" not in row_y


def test_finite_differences_are_accurate(numpy_file):
    module = import_file(numpy_file, "model_fd")
    x = np.array([0.5, -1.25, 2.0])
    (est2, est4, labels), = cli.finite_differences(module.quartic, [x], [0])
    exact = 4 * x ** 3 + np.array([x[1], x[0], 0.0])
    np.testing.assert_allclose(est2, exact, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(est4, exact, rtol=1e-8, atol=1e-10)
    assert labels == ["x[0]", "x[1]", "x[2]"]


# ---------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------

def test_missing_file(capsys, tmp_path):
    code, _, err = run(capsys, "check", str(tmp_path / "nope.py") + ":f", "1")
    line = assert_one_line_error(err, code)
    assert "nope.py" in line


def test_no_such_function(capsys):
    code, _, err = run(capsys, "show", BAYDIN + ":g")
    line = assert_one_line_error(err, code)
    assert "'g'" in line


def test_bad_target_syntax(capsys):
    code, _, err = run(capsys, "show", BAYDIN)
    line = assert_one_line_error(err, code)
    assert "TARGET" in line


def test_no_such_module(capsys):
    code, _, err = run(capsys, "show", "no_such_module_xyz:f")
    assert_one_line_error(err, code)


def test_unparsable_arg(capsys):
    code, _, err = run(capsys, "check", BAYDIN_TARGET, "2", "five")
    line = assert_one_line_error(err, code)
    assert "five" in line


def test_wrong_number_of_args(capsys):
    code, _, err = run(capsys, "check", BAYDIN_TARGET, "2")
    line = assert_one_line_error(err, code)
    assert "2" in line and "1" in line


def test_user_function_raises(capsys):
    code, _, err = run(capsys, "check", BAYDIN_TARGET, "-1", "5")
    line = assert_one_line_error(err, code)
    assert "math domain error" in line


def test_derivative_undefined_at_the_point(capsys, tmp_path):
    path = write(tmp_path, "root.py", """\
        import math


        def f(x):
            return math.sqrt(x)
        """)
    for command in ("check", "trace"):
        code, _, err = run(capsys, command, path + ":f", "0")
        line = assert_one_line_error(err, code)
        assert "ZeroDivisionError" in line and "internal" not in line


def test_syntax_error_in_target_file(capsys, tmp_path):
    path = write(tmp_path, "broken.py", "def f(x):\n    return x +\n")
    code, _, err = run(capsys, "show", path + ":f")
    assert code == 2
    assert "Traceback" not in err
    assert "broken.py:2" in err


def test_unsupported_construct_points_at_source(capsys, tmp_path):
    path = write(tmp_path, "uses_try.py", """\
        def f(x):
            y = 2.0 * x
            try:
                y = y * x
            except ValueError:
                y = 0.0
            return y
        """)
    for argv in (["show", path + ":f"], ["check", path + ":f", "3"]):
        code, _, err = run(capsys, *argv)
        assert code == 2
        assert "Traceback" not in err
        assert "uses_try.py" in err
        assert ":3:" in err                     # the line of `try:`
        assert "try:" in err                    # the source line itself
        assert "^" in err                       # the caret


def test_internal_error_exits_3(capsys, monkeypatch):
    import ast_ad

    def broken(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(ast_ad, "source", broken)
    code, _, err = run(capsys, "show", BAYDIN_TARGET)
    assert code == 3
    assert "internal error" in err and "boom" in err
    assert "Traceback" not in err


def test_sys_path_and_modules_are_restored(capsys):
    path_before = list(sys.path)
    modules_before = set(sys.modules)
    code, _, _ = run(capsys, "show", BAYDIN_TARGET)
    assert code == 0
    assert sys.path == path_before
    assert "baydin" not in set(sys.modules) - modules_before


# ---------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------

def test_export_scalar_function(capsys, tmp_path):
    out_file = tmp_path / "grad_baydin.py"
    code, _, err = run(capsys, "export", BAYDIN_TARGET, "-o", str(out_file))
    assert code == 0, err
    text = out_file.read_text()
    assert text.startswith("#")
    assert "import numpy as np" in text and "import math" in text
    module = import_file(str(out_file), "grad_baydin")
    value, (dx1, dx2) = module.grad_f(2.0, 5.0)
    assert value == pytest.approx(F_VALUE, rel=1e-12)
    assert dx1 == pytest.approx(DF_DX1, rel=1e-12)
    assert dx2 == pytest.approx(DF_DX2, rel=1e-12)
    # deterministic: exporting again writes the same bytes
    again = tmp_path / "again.py"
    assert run(capsys, "export", BAYDIN_TARGET, "-o", str(again))[0] == 0
    assert again.read_text() == text


def test_export_numpy_function(capsys, tmp_path, numpy_file):
    out_file = tmp_path / "grad_loss.py"
    code, _, err = run(capsys, "export", numpy_file + ":loss", "--wrt", "w,b",
                       "-o", str(out_file))
    assert code == 0, err
    module = import_file(str(out_file), "grad_loss_mod")
    w, b = np.array([1.0, -2.0]), 0.5
    X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    y = np.array([1.0, 0.0, -1.0])
    value, (dw, db) = module.grad_loss(w, b, X, y)
    r = X @ w + b - y
    assert value == pytest.approx(np.mean(r ** 2))
    np.testing.assert_allclose(dw, 2 * X.T @ r / len(y), rtol=1e-12)
    assert db == pytest.approx(2 * np.mean(r), rel=1e-12)


def test_export_refuses_code_needing_module_globals(capsys, tmp_path):
    path = write(tmp_path, "scaled.py", """\
        SCALE = 3.0


        def f(x):
            return SCALE * x * x
        """)
    out_file = tmp_path / "out.py"
    code, _, err = run(capsys, "export", path + ":f", "-o", str(out_file))
    line = assert_one_line_error(err, code)
    assert "SCALE" in line
    assert not out_file.exists()


def test_export_imports_runtime_only_when_used():
    def f(x):
        return x * x
    plain = cli.export_text(f, "def grad_f(x):\n    return x * x, 2.0 * x\n", "m.py:f",
                            ["x"], "reverse")
    assert "import runtime" not in plain and "import numpy as np" in plain
    namespace = {}
    exec(compile(plain, "<export>", "exec"), namespace)
    assert namespace["grad_f"](3.0) == (9.0, 6.0)
    helper = cli.export_text(f, "def grad_f(x):\n    return x * x, _ad.add(x, x)\n",
                             "m.py:f", ["x"], "reverse")
    # the helper is copied in, not imported (tests/test_cli_standalone.py
    # runs such modules where ast_ad cannot be imported)
    assert "ast_ad import" not in helper and "\ndef add(a, b):" in helper
    namespace = {}
    exec(compile(helper, "<export>", "exec"), namespace)
    assert namespace["grad_f"](3.0) == (9.0, 6.0)


def test_export_needs_output(capsys):
    code, _, err = run(capsys, "export", BAYDIN_TARGET)
    assert code == 2 and "Traceback" not in err


# ---------------------------------------------------------------------------
# python -m ast_ad
# ---------------------------------------------------------------------------

def _module_run(*argv):
    return subprocess.run([sys.executable, "-m", "ast_ad", *argv], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


def test_module_entry_point():
    proc = _module_run("show", "examples/baydin.py:f")
    assert proc.returncode == 0, proc.stderr
    assert "def grad_f" in proc.stdout and "math.cos" in proc.stdout

    proc = _module_run("check", "examples/baydin.py:f", "2", "5")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "OK" in proc.stdout

    proc = _module_run("show", "examples/no_such_file.py:f")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1

    proc = _module_run("--help")
    assert proc.returncode == 0
    for command in ("show", "trace", "check", "export"):
        assert command in proc.stdout
