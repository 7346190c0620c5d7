"""NumPy functions whose result shares memory with their argument.

An update in place of a view changes its base, and the reverse: ast_ad
follows this for the functions listed in `primitives.ARRAY_FUNCTIONS`.  A
view-returning function missing there gave wrong values silently
(``y = np.flip(x); y *= 2`` left x unchanged), so the first test asks NumPy
itself, by calling every function of its namespace, which functions return
memory shared with an argument, and fails on one that is not recorded.  The
others run programs that update a view or its base and compare with plain
Python and finite differences: the answer is right, or a located refusal.
"""
import importlib.util
import inspect
import sys
import textwrap
import warnings

import numpy as np
import pytest

import ast_ad
from ast_ad import primitives
from ast_ad.errors import DifferentiationError

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import fdcheck  # noqa: E402

# Functions that share memory with an argument but are handled elsewhere:
HANDLED = {
    "asarray": "the same array: lower.py returns the argument's own object",
    "einsum": "one operand without a summed letter: lower.py makes it a view",
    "nan_to_num": "copy=False updates its argument: refused in lower.py",
    "histogram": "returns its `bins` argument; no derivative",
    "histogram_bin_edges": "returns its `bins` argument; no derivative",
    "frombuffer": "reads raw memory; not differentiable code",
    "from_dlpack": "reads raw memory; not differentiable code",
    "fftn": "a 0-d argument only; complex results are not differentiated",
    "ifftn": "a 0-d argument only; complex results are not differentiated",
}

_X2 = np.arange(1.0, 7.0).reshape(2, 3)
_X1 = np.arange(1.0, 5.0)
_CALLS = [(_X2,), (_X1,), (np.array(2.0),), (_X2, 0), (_X2, 1), (_X2, (3, 2)), (_X1, 2),
          (_X2, 0, 1), (_X1, (2, 2)), (_X2, -1), (_X2, _X2), (_X1, _X1)]


def _shares(result, x):
    if isinstance(result, np.ndarray):
        return np.shares_memory(result, x)
    if isinstance(result, (list, tuple)):
        return any(_shares(r, x) for r in result)
    return False


def _numpy_functions():
    for mod in (np, np.linalg, np.fft, np.lib.stride_tricks):
        for name in sorted(dir(mod)):
            f = getattr(mod, name)
            if name.startswith("_") or not callable(f) or isinstance(f, np.ufunc) \
                    or inspect.isclass(f) or name in HANDLED:
                continue        # (a ufunc's second positional argument is `out`: tested below)
            if getattr(f, "__module__", "") in ("numpy.random", "numpy.testing") \
                    or name in ("copyto", "put", "place", "putmask", "fill_diagonal", "save",
                                "savez", "savez_compressed", "savetxt", "info", "show_config",
                                "show_runtime", "test", "load", "loadtxt", "genfromtxt",
                                "fromfile", "memmap"):
                continue
            yield name, f


def _out_position(f):
    """Where `f` takes `out` by position (np.fix(x, y) writes into y), or None."""
    try:
        names = list(inspect.signature(f).parameters)
    except (TypeError, ValueError):
        return None
    return names.index("out") if "out" in names else None


def test_every_numpy_function_returning_a_view_is_recorded():
    missing = []
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        for name, f in _numpy_functions():
            out = _out_position(f)
            for call in _CALLS:
                if out is not None and len(call) > out:
                    continue    # (writes into `out`: lower._out_by_keyword, tested below)
                args = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in call)
                try:
                    result = f(*args)
                except BaseException:
                    continue
                if any(isinstance(a, np.ndarray) and _shares(result, a) for a in args):
                    if f not in primitives.ARRAY_FUNCTIONS:
                        missing.append(name)
                    break
    assert not missing, f"NumPy functions returning views, not in primitives: {missing}"


# ----------------------------------------------------- programs using views

# (the view, as written in the program; x is a (2, 3) array)
VIEWS = ["np.transpose(x)", "np.swapaxes(x, 0, 1)", "np.moveaxis(x, 0, 1)",
         "np.rollaxis(x, 1)", "np.flip(x)", "np.fliplr(x)", "np.flipud(x)", "np.rot90(x)",
         "np.diag(x)", "np.diagonal(x)", "np.reshape(x, (3, 2))", "x.ravel()", "x[::-1]",
         "np.atleast_2d(x)", "np.expand_dims(x, 0)", "np.squeeze(x)",
         "np.ascontiguousarray(x)", "np.asanyarray(x)", "np.array(x, copy=None)",
         "np.einsum('ij->ji', x)", "np.split(x, 3, axis=1)[0]", "np.trim_zeros(x[0])",
         "np.broadcast_arrays(x)[0]"]

PROGRAMS = {
    "view updated, base read": """
        def f(x):
            x = x * 1.0
            y = VIEW
            y *= 2.0
            return np.sum(x * x * W)
    """,
    "base updated, view read": """
        def f(x):
            x = x * 1.0
            y = VIEW
            s = np.sum(y * y)
            x[0, 0] = 7.0
            return s + np.sum(y * y) + np.sum(x)
    """,
}


def _load(tmp_path, name, source):
    path = tmp_path / f"{name}.py"
    path.write_text("import numpy as np\nW = np.arange(1.0, 7.0).reshape(2, 3)\n"
                    + textwrap.dedent(source))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.f


@pytest.mark.parametrize("program", sorted(PROGRAMS))
@pytest.mark.parametrize("view", VIEWS)
def test_a_view_and_its_base_see_each_others_updates(tmp_path, view, program):
    name = "m" + str(abs(hash((view, program))))
    f = _load(tmp_path, name, PROGRAMS[program].replace("VIEW", view))
    x = np.linspace(0.5, 2.0, 6).reshape(2, 3)
    try:
        expected = f(x.copy())
    except (ValueError, TypeError):
        pytest.skip("NumPy refuses this update (a read-only view)")
    try:
        value, g = ast_ad.value_and_grad(f)(x.copy())
    except DifferentiationError as e:
        assert e.filename == str(tmp_path / f"{name}.py"), e   # a located refusal
        return
    assert value == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(g, fdcheck.fd_grad(f, (x,), 0), rtol=1e-5, atol=1e-7)
    tangent = np.ones_like(x)
    _, t = ast_ad.jvp(f, (x.copy(),), (tangent,))
    assert t == pytest.approx(np.sum(g * tangent), rel=1e-6, abs=1e-7)


@pytest.mark.parametrize("call", ["np.nan_to_num(x, copy=False)", "np.nan_to_num(x, False)",
                                  "np.broadcast_arrays(x, z)[0]", "np.sin(x, x)",
                                  "np.fix(x, z)"])
def test_calls_that_update_or_view_several_arguments(tmp_path, call):
    f = _load(tmp_path, "several", f"""
        def f(x):
            x = x * 1.0
            z = x * 2.0
            y = {call}
            y *= 2.0
            return np.sum(x * x * W) + np.sum(z)
    """)
    x = np.linspace(0.5, 2.0, 6).reshape(2, 3)
    expected = f(x.copy())
    try:
        value, g = ast_ad.value_and_grad(f)(x.copy())
    except DifferentiationError as e:
        assert e.filename == str(tmp_path / "several.py")
        return
    assert value == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(g, fdcheck.fd_grad(f, (x,), 0), rtol=1e-5, atol=1e-7)


def test_a_refusal_inside_a_built_in_rule_is_located_at_the_users_line(tmp_path):
    f = _load(tmp_path, "diag_einsum", """
        def f(x):
            return np.sum(np.einsum('ii->i', x) ** 2)
    """)
    with pytest.raises(DifferentiationError) as info:
        ast_ad.grad(f)(np.ones((2, 2)))
    assert info.value.filename == str(tmp_path / "diag_einsum.py")
    assert info.value.lineno == 5
