"""Errors and the API contract (SPEC sections 1 and 4).

* constructs outside the subset raise ``UnsupportedSyntaxError`` located at
  this file, the exact line and column of the construct (computed with
  `inspect`, so editing this file does not break the tests), with the source
  line and a caret in the message;
* a call to a C function without a rule on an active value raises
  ``NoRuleError`` naming the function and pointing at ``defvjp``; a
  non-scalar output to `grad` raises ``NonScalarOutputError`` suggesting
  vjp / jacobian; a failed transformation leaves nothing in the cache;
* the cache: one lowering per function and argument kinds, a new one for a
  redefined function; globals read live; inputs (read-only or not) never
  mutated; `wrt` by position, negative position, name and tuple; the
  decorator forms; result types and dtypes; `.source`, `.fun`,
  `__wrapped__`.

Expected gradients are analytic or from finite differences, never from
ast_ad's own output.
"""
import gc
import importlib
import inspect
import math
import os
import sys

import numpy as np
import pytest

import ast_ad
from ast_ad import (DifferentiationError, NonScalarOutputError, NoRuleError,
                    UnsupportedSyntaxError)
from ast_ad.pipeline import STATS

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import fdcheck  # noqa: E402

THIS_FILE = os.path.realpath(__file__)


# ------------------------------------------------- unsupported constructs

def _cache_size():
    """Cached transformations, once the functions of earlier tests that are
    garbage have been collected (the cache is keyed weakly by function)."""
    gc.collect()
    return ast_ad.cache.size()


def uses_try(x):
    try:
        y = x * 2.0
    except ValueError:
        y = x
    return y


def uses_with(x):
    with open(os.devnull) as fh:
        y = x * len(fh.name)
    return y


def uses_yield(x):
    yield x * 2.0


def uses_global(x):
    global G_UNUSED
    G_UNUSED = x
    return x * 2.0


def uses_del(x):
    y = x * 2.0
    del y
    return x * x


def uses_class(x):
    class Box:
        pass
    return x * 2.0


async def uses_async(x):
    return x * 2.0


def calls_helper_with_try(x):
    return uses_try(x) * 3.0


uses_lambda = lambda x: x * x  # noqa: E731


# (function, marker that starts the offending construct on its line, word the
#  message must contain, the function in which the construct is)
UNSUPPORTED = [
    (uses_try, "try:", "try", uses_try),
    (uses_with, "with open", "with", uses_with),
    (uses_yield, "yield x", "yield", uses_yield),
    (uses_global, "global G_UNUSED", "global", uses_global),
    (uses_del, "del y", "del", uses_del),
    (uses_class, "class Box", "class", uses_class),
    (uses_async, "async def", "async", uses_async),
    (calls_helper_with_try, "try:", "try", uses_try),      # located in the callee
]


def _locate(fn, marker):
    """(lineno, col_offset, line) of the first line of fn's source containing
    `marker`, col_offset being where the marker starts."""
    lines, first = inspect.getsourcelines(fn)
    for i, line in enumerate(lines):
        if marker in line:
            return first + i, line.index(marker), line
    raise AssertionError(f"{marker!r} not in the source of {fn.__name__}")


def _check_located(e, lineno, col, marker):
    assert isinstance(e, DifferentiationError)
    assert e.filename is not None and os.path.realpath(e.filename) == THIS_FILE
    assert e.lineno == lineno
    assert e.col_offset == col
    assert e.source_line is not None and marker in e.source_line
    text = str(e)
    assert f"{e.filename}:{lineno}:" in text
    shown, caret = text.splitlines()[-2:]
    assert caret.strip() == "^", f"no caret line at the end of:\n{text}"
    assert marker in shown
    assert caret.index("^") == shown.index(marker), f"caret not under the construct:\n{text}"


@pytest.mark.parametrize("fn, marker, word, where", UNSUPPORTED,
                         ids=[c[0].__name__ for c in UNSUPPORTED])
def test_unsupported_syntax_is_located(fn, marker, word, where):
    lineno, col, _ = _locate(where, marker)
    size = _cache_size()
    with pytest.raises(UnsupportedSyntaxError) as info:
        ast_ad.grad(fn)(1.5)
    e = info.value
    _check_located(e, lineno, col, marker)
    assert word in e.message.lower()
    assert "not supported" in e.message
    assert _cache_size() == size, "a failed transformation left a cache entry"
    # and again (nothing half-built was kept), also through ast_ad.source
    with pytest.raises(UnsupportedSyntaxError):
        ast_ad.grad(fn)(1.5)
    with pytest.raises(UnsupportedSyntaxError) as info2:
        ast_ad.source(fn)
    assert (info2.value.lineno, info2.value.col_offset) == (lineno, col)
    assert _cache_size() == size


def test_lambda_is_differentiated():
    # (lambdas were refused once; now read from their file: tests/test_lambda.py)
    assert ast_ad.grad(uses_lambda)(1.5) == 3.0


# ------------------------------------------------------ missing rules

def uses_cumsum(x):
    return np.sum(np.cumsum(x) * 2.0)


def uses_cumprod(x):
    return np.sum(np.cumprod(x) * 2.0)


def uses_diff(x):
    return np.sum(np.diff(x) * 2.0)


def uses_sinc(x):
    return np.sum(np.sinc(x) * 2.0)


def uses_convolve(x):
    return np.sum(np.convolve(x, x) * 2.0)


def uses_interp(x):
    return np.sum(np.interp(x, [0.0, 1.0], [1.0, 3.0]) * 2.0)


NO_RULE_CANDIDATES = [(uses_cumsum, np.cumsum, "np.cumsum("), (uses_cumprod, np.cumprod, "np.cumprod("),
                      (uses_diff, np.diff, "np.diff("), (uses_sinc, np.sinc, "np.sinc("),
                      (uses_convolve, np.convolve, "np.convolve("),
                      (uses_interp, np.interp, "np.interp(")]


def _without_rule():
    from ast_ad import rules
    for fn, prim, marker in NO_RULE_CANDIDATES:
        if not rules.is_primitive(prim) and prim not in rules.FORMULAS:
            return fn, prim, marker
    pytest.fail("every candidate now has a rule: add a NumPy function without one to "
                "NO_RULE_CANDIDATES")


def test_call_without_rule_on_active_value():
    fn, prim, marker = _without_rule()
    lineno, col, _ = _locate(fn, marker)
    size = _cache_size()
    with pytest.raises(NoRuleError) as info:
        ast_ad.grad(fn)(np.array([1.0, 2.0, 3.0]))
    e = info.value
    assert isinstance(e, DifferentiationError)
    assert prim.__name__ in e.message
    assert "defvjp" in e.message
    _check_located(e, lineno, col, marker)
    assert _cache_size() == size


scipy_linalg = None     # (set by the test: SciPy is optional)


def library_cholesky(x):
    a = np.outer(x, x) + 2.0 * np.eye(3)
    return np.sum(scipy_linalg.cholesky(a, lower=True))


def test_library_function_outside_the_subset_is_refused_at_the_call():
    """A SciPy function ast_ad has no rule for, whose source it cannot
    differentiate: the error is located at the user's call (not inside
    SciPy) and names the function."""
    global scipy_linalg
    scipy_linalg = pytest.importorskip("scipy.linalg")
    lineno, col, _ = _locate(library_cholesky, "scipy_linalg.cholesky(")
    with pytest.raises(NoRuleError) as info:
        ast_ad.grad(library_cholesky)(np.array([0.3, -1.2, 0.5]))
    e = info.value
    assert "cholesky" in e.message and "defvjp" in e.message
    assert e.filename == __file__ and e.lineno == lineno


def cumsum_of_constant(x, c):
    return np.sum(x * np.cumsum(c))


def test_call_without_rule_on_inactive_value_is_fine():
    x, c = np.array([1.0, 2.0, 3.0]), np.array([0.5, -1.0, 2.0])
    np.testing.assert_allclose(ast_ad.grad(cumsum_of_constant)(x, c), np.cumsum(c), rtol=1e-15)


# --------------------------------------------------- non-scalar output

def vector_output(x):
    return x * 2.0


def test_non_scalar_output():
    with pytest.raises(NonScalarOutputError) as info:
        ast_ad.grad(vector_output)(np.array([1.0, 2.0]))
    assert isinstance(info.value, DifferentiationError)
    msg = str(info.value)
    assert "vjp" in msg and "jacobian" in msg
    assert "(2,)" in msg
    with pytest.raises(NonScalarOutputError):
        ast_ad.value_and_grad(vector_output)(np.array([1.0, 2.0]))


# ------------------------------------------------------------- the cache

def cached_subject(x, y):
    return x * math.sin(y) + y * y


def test_one_lowering_per_function_and_argument_kinds():
    ast_ad.cache.clear()
    lowered, compiled = STATS["lowered"], STATS["compiled"]
    g = ast_ad.grad(cached_subject, wrt=(0, 1))
    r1 = g(2.0, 0.5)
    r2 = g(-1.0, 3.0)
    assert STATS["lowered"] == lowered + 1
    g_again = ast_ad.grad(cached_subject, wrt=(0, 1))
    r3 = g_again(0.3, 0.7)
    assert STATS["lowered"] == lowered + 1, "a second grad object transformed f again"
    assert STATS["compiled"] == compiled + 1
    for (x, y), (gx, gy) in [((2.0, 0.5), r1), ((-1.0, 3.0), r2), ((0.3, 0.7), r3)]:
        assert gx == pytest.approx(math.sin(y), rel=1e-14)
        assert gy == pytest.approx(x * math.cos(y) + 2 * y, rel=1e-14)


def cached_subject_sum(x, y):
    return np.sum(x * math.sin(y)) + y * y


def test_new_argument_kinds_still_give_correct_gradients():
    g = ast_ad.grad(cached_subject_sum, wrt=0)
    assert g(1.0, 0.5) == pytest.approx(math.sin(0.5), rel=1e-14)
    x = np.array([1.0, 2.0])
    np.testing.assert_allclose(g(x, 0.5), np.full(2, math.sin(0.5)), rtol=1e-14)
    assert g(1.0, 0.5) == pytest.approx(math.sin(0.5), rel=1e-14)


def weighted_sin_sum(x, w):
    return np.sum(np.sin(x) * w)


def test_one_grad_object_many_argument_kinds():
    """One gradient object called with alternating argument types, shapes and
    dtypes picks the right specialisation every time (fast-path guards)."""
    g = ast_ad.grad(weighted_sin_sum)
    calls = [(0.3, 2.0), (np.array([0.1, 0.2, 0.3]), 2.0), (0.3, 2.0),
             (np.arange(6.0).reshape(2, 3), 0.5), (np.array([0.1, 0.2, 0.3]), 2.0),
             (np.array([0.1, 0.2], dtype=np.float32), np.float32(3.0)),
             (np.array(0.7), 1.5), (np.arange(6.0).reshape(3, 2), np.array([1.0, 2.0])),
             (0.3, 2.0)]
    for x, w in calls:
        got = g(x, w)
        expected = np.cos(np.asarray(x, np.float64)) * np.asarray(w, np.float64)
        assert np.shape(got) == np.shape(x), (x, w)
        np.testing.assert_allclose(np.asarray(got, np.float64), expected, rtol=1e-6)
        if isinstance(x, np.ndarray) and x.ndim:
            assert got.dtype == x.dtype
    assert g(x=np.array([0.5]), w=2.0) == pytest.approx(2.0 * np.cos([0.5]))


def redefined(x):
    return x * x


_first_redefined = redefined


def redefined(x):  # noqa: F811  (deliberately redefined)
    return x * x * x


def test_redefined_function_is_transformed_again():
    assert ast_ad.grad(_first_redefined)(2.0) == pytest.approx(4.0)
    lowered = STATS["lowered"]
    assert ast_ad.grad(redefined)(2.0) == pytest.approx(12.0)
    assert STATS["lowered"] == lowered + 1
    assert ast_ad.grad(_first_redefined)(2.0) == pytest.approx(4.0)


def test_redefined_function_in_reloaded_module(tmp_path):
    name = "redef_subject_" + tmp_path.name.replace("-", "_")
    path = tmp_path / f"{name}.py"
    path.write_text("def h(x):\n    return x * x\n")
    sys.path.insert(0, str(tmp_path))
    try:
        mod = importlib.import_module(name)
        assert ast_ad.grad(mod.h)(3.0) == pytest.approx(6.0)
        # a different length, so mtime granularity cannot hide the change
        path.write_text("def h(x):\n    return x * x * x + 0.0\n")
        importlib.invalidate_caches()
        mod = importlib.reload(mod)
        assert ast_ad.grad(mod.h)(3.0) == pytest.approx(27.0)
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop(name, None)


SCALE = 2.0


def reads_global(x):
    return np.sum(SCALE * x * x)


def test_globals_are_read_live():
    global SCALE
    g = ast_ad.grad(reads_global)
    x = np.array([1.0, -0.5])
    old = SCALE
    try:
        np.testing.assert_allclose(g(x), 2 * 2.0 * x)
        SCALE = 5.0
        np.testing.assert_allclose(g(x), 2 * 5.0 * x)
        np.testing.assert_allclose(ast_ad.grad(reads_global)(x), 2 * 5.0 * x)
    finally:
        SCALE = old


# ------------------------------------------------------ inputs not mutated

def sum_of_squares(x):
    return np.sum(x * x)


def copy_then_assign(x):
    y = x.copy()
    y[0] = 0.0
    return np.sum(y * y)


def assign_into_parameter(x):
    x[0] = 0.0
    return np.sum(x * x)


def augmented_parameter(x):
    x += 1.0
    return np.sum(x * x)


def _readonly(a):
    a = np.array(a, dtype=np.float64)
    a.setflags(write=False)
    return a


def test_read_only_input_works_and_is_unchanged():
    a = _readonly([1.0, -2.0, 3.0])
    np.testing.assert_allclose(ast_ad.grad(sum_of_squares)(a), 2 * a)
    np.testing.assert_array_equal(a, [1.0, -2.0, 3.0])
    assert not a.flags.writeable


def test_read_only_input_with_local_copy_and_item_assignment():
    a = _readonly([1.0, -2.0, 3.0])
    g = ast_ad.grad(copy_then_assign)(a)
    np.testing.assert_allclose(g, [0.0, -4.0, 6.0])
    np.testing.assert_array_equal(a, [1.0, -2.0, 3.0])
    fdcheck.assert_grad_matches_fd(copy_then_assign, (np.array([1.0, -2.0, 3.0]),))


@pytest.mark.parametrize("fn, expected", [
    (assign_into_parameter, [0.0, -4.0, 6.0]),
    (augmented_parameter, [4.0, -2.0, 8.0]),
])
def test_generated_code_does_not_mutate_its_inputs(fn, expected):
    a = np.array([1.0, -2.0, 3.0])
    np.testing.assert_allclose(ast_ad.grad(fn)(a), expected)
    np.testing.assert_array_equal(a, [1.0, -2.0, 3.0])


# ------------------------------------------------------------------ wrt

def three(x, y, z):
    return x * y * y + math.exp(z) * x


def test_wrt_forms():
    x, y, z = 1.5, -0.5, 0.25
    dx, dy, dz = y * y + math.exp(z), 2 * x * y, math.exp(z) * x
    assert ast_ad.grad(three)(x, y, z) == pytest.approx(dx)
    assert ast_ad.grad(three, wrt=1)(x, y, z) == pytest.approx(dy)
    assert ast_ad.grad(three, wrt="z")(x, y, z) == pytest.approx(dz)
    assert ast_ad.grad(three, wrt=-1)(x, y, z) == pytest.approx(dz)
    assert ast_ad.grad(three, wrt=-3)(x, y, z) == pytest.approx(dx)
    assert ast_ad.grad(three, wrt=(2, 0))(x, y, z) == pytest.approx((dz, dx))
    assert ast_ad.grad(three, wrt=("y", "x"))(x, y, z) == pytest.approx((dy, dx))
    assert ast_ad.grad(three, wrt=("z", 1, -3))(x, y, z) == pytest.approx((dz, dy, dx))
    one = ast_ad.grad(three, wrt=(1,))(x, y, z)
    assert isinstance(one, tuple) and len(one) == 1 and one[0] == pytest.approx(dy)
    assert ast_ad.grad(three, wrt="y")(x, y=y, z=z) == pytest.approx(dy)
    v, g = ast_ad.value_and_grad(three, wrt=("x", "z"))(x, y, z)
    assert v == pytest.approx(three(x, y, z)) and g == pytest.approx((dx, dz))


def test_wrt_invalid_name_lists_the_parameters():
    with pytest.raises(DifferentiationError) as info:
        ast_ad.grad(three, wrt="w")(1.0, 2.0, 3.0)
    msg = str(info.value)
    assert "'w'" in msg
    for p in ("x", "y", "z"):
        assert p in msg


@pytest.mark.parametrize("bad", [3, -4, ("x", "nope"), 1.5, None])
def test_wrt_invalid_values(bad):
    with pytest.raises(DifferentiationError):
        ast_ad.grad(three, wrt=bad)(1.0, 2.0, 3.0)


# ------------------------------------------------------------- decorators

@ast_ad.grad
def deco_bare(x):
    return x ** 3


@ast_ad.grad(wrt="y")
def deco_wrt_name(x, y):
    return x * y ** 2


@ast_ad.grad(wrt=("y", "x"))
def deco_wrt_tuple(x, y):
    return x * y ** 2


def test_decorator_forms():
    assert deco_bare(2.0) == pytest.approx(12.0)
    assert deco_wrt_name(3.0, 2.0) == pytest.approx(12.0)
    assert deco_wrt_tuple(3.0, 2.0) == pytest.approx((12.0, 4.0))
    assert deco_bare.__name__ == "deco_bare"
    assert "def grad_deco_bare" in deco_bare.source
    assert deco_bare(np.array(-2.0)) == pytest.approx(12.0)


# ------------------------------------------------------- result types

def poly(x):
    return x * x * 3.0


def squares_sum(x):
    return np.sum(x * x * 3.0)


def sin_mean(x):
    return np.mean(np.sin(x) * 2.0)


def matrix_form(a, b):
    return np.sum(np.tanh(a @ b))


def max_of(x):
    return np.max(x) * 2.0


def test_python_float_gives_float():
    g = ast_ad.grad(poly)(2.0)
    assert isinstance(g, float) or (isinstance(g, np.ndarray) and g.shape == ())
    assert float(g) == pytest.approx(12.0)
    g = ast_ad.grad(poly)(np.float64(2.0))
    assert np.shape(g) == () and float(g) == pytest.approx(12.0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(3,), (2, 3), ()])
def test_arrays_keep_shape_and_dtype(dtype, shape):
    x = (np.arange(int(np.prod(shape)), dtype=dtype).reshape(shape) - 1.0).astype(dtype)
    for fn, expected in [(squares_sum, 6.0 * x.astype(np.float64)),
                         (sin_mean, 2.0 * np.cos(x.astype(np.float64)) / max(x.size, 1))]:
        g = ast_ad.grad(fn)(x)
        assert isinstance(g, (np.ndarray, np.generic))
        assert np.shape(g) == shape, fn.__name__
        assert g.dtype == dtype, f"{fn.__name__}: {g.dtype} != {np.dtype(dtype)}"
        tol = 1e-6 if dtype == np.float32 else 1e-13
        np.testing.assert_allclose(np.asarray(g, np.float64), expected, rtol=tol, atol=tol)


def test_float32_matmul_keeps_dtype():
    a = np.arange(6, dtype=np.float32).reshape(2, 3) / 5
    b = np.arange(12, dtype=np.float32).reshape(3, 4) / 7
    ga, gb = ast_ad.grad(matrix_form, wrt=(0, 1))(a, b)
    assert (ga.dtype, gb.dtype) == (np.float32, np.float32)
    assert ga.shape == (2, 3) and gb.shape == (3, 4)
    fd = fdcheck.fd_grad(matrix_form, (a.astype(np.float64), b.astype(np.float64)), (0, 1))
    np.testing.assert_allclose(ga, fd[0], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(gb, fd[1], rtol=1e-4, atol=1e-5)


def test_float32_item_assignment_keeps_dtype():
    x = np.array([1.0, -2.0, 3.0], dtype=np.float32)
    g = ast_ad.grad(copy_then_assign)(x)
    assert g.dtype == np.float32


def test_float32_max_keeps_dtype():
    x = np.array([1.0, -2.0, 3.0], dtype=np.float32)
    g = ast_ad.grad(max_of)(x)
    np.testing.assert_allclose(g, [0.0, 0.0, 2.0])
    assert g.dtype == np.float32


# ---------------------------------------------- source, fun, __wrapped__

def described(x, y):
    """A docstring."""
    return x * y


def test_source_fun_and_wrapped():
    g = ast_ad.grad(described)
    assert g.fun is described
    assert g.__wrapped__ is described
    assert g.__name__ == "described" and g.__doc__ == "A docstring."
    before = g.source                      # before any call
    assert isinstance(before, str) and "def grad_described" in before
    assert g(2.0, 3.0) == pytest.approx(3.0)
    after = g.source
    assert isinstance(after, str) and "def grad_described" in after
    compile(after, "<generated>", "exec")
    vg = ast_ad.value_and_grad(described, wrt=1)
    assert vg.fun is described and vg.__wrapped__ is described
    assert vg(2.0, 3.0) == pytest.approx((6.0, 2.0))
    assert "def grad_described" in vg.source


def test_source_api():
    text = ast_ad.source(described, wrt=(0, 1))
    assert text.startswith("def grad_described(x, y):")
    assert ast_ad.source(described, mode="ssa").startswith("def described(x, y):")
    with pytest.raises(DifferentiationError):
        ast_ad.source(described, mode="sideways")


# ------------------------------------------- globals specialise, and are checked

STEPS = 50
SCALE = 2.0


def scaled_decay(k, y0):
    h = SCALE / STEPS
    y = y0
    for _ in range(STEPS):
        y = y - h * k * y
    return y


def test_global_kinds_specialise_and_a_changed_global_is_seen():
    global SCALE
    g = ast_ad.grad(scaled_decay, wrt=(0, 1))

    def expected(k, y0, scale, steps):
        h = scale / steps
        r = 1.0 - h * k
        return (y0 * steps * r ** (steps - 1) * (-h), r ** steps)

    np.testing.assert_allclose(g(0.7, 1.5), expected(0.7, 1.5, 2.0, 50), rtol=1e-12)
    assert "_ad." not in g.source      # float globals: no broadcasting helpers
    try:
        SCALE = np.array(3.0)          # a different kind: a new specialisation
        np.testing.assert_allclose(g(0.7, 1.5), expected(0.7, 1.5, 3.0, 50), rtol=1e-12)
        SCALE = 2.5                    # a float again, another value: read live
        np.testing.assert_allclose(g(0.7, 1.5), expected(0.7, 1.5, 2.5, 50), rtol=1e-12)
    finally:
        SCALE = 2.0


def _array_out_of_nested_loops(x):
    k = 0
    while 1:
        k += 1
        for i in range(3):
            z = x * 1.0
            z[k, ] += i
            return z
    return 1.0


def test_hessian_of_a_non_scalar_output_says_so():
    # (once a TypeError from the generated code: its scalar check was dropped)
    with pytest.raises(ast_ad.NonScalarOutputError):
        ast_ad.hessian(_array_out_of_nested_loops)(np.ones((3, 3)))
