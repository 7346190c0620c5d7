"""Forward mode: `jvp`, `jacobian(mode="fwd")`, `source(mode="forward")`.

Tangents are checked against central finite differences of the directional
derivative (f(x + h t) - f(x - h t)) / 2h and against reverse mode
(<grad f, t>), never against forward mode itself.  Covered: the classic seed
example, every straight-line corpus case (and the control-flow corpus), small
functions of our own with branches, loops (for / while / break / continue),
helper calls, containers, indexing and item assignment, every entry of the
rule table of tests/test_rules.py (forward, and forward over reverse: the
Hessian-vector product), Jacobians in both modes, and the generated source.
"""
import doctest
import math
import os
import sys

import numpy as np
import pytest

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import corpus_control  # noqa: E402
import corpus_straight  # noqa: E402
import fdcheck  # noqa: E402
import test_rules as rule_table  # noqa: E402

import ast_ad  # noqa: E402
from ast_ad import rules, runtime  # noqa: E402
from ast_ad.api_forward import jvp, jacobian  # noqa: E402
from ast_ad.errors import DifferentiationError, NoRuleError  # noqa: E402


# ---------------------------------------------------------------- helpers

def random_tangent(x, rng):
    """A random tangent with the structure, shapes and dtypes of `x`."""
    leaves, spec = fdcheck.tree_flatten(x)
    out = []
    for leaf in leaves:
        if isinstance(leaf, np.ndarray):
            out.append(rng.normal(size=leaf.shape).astype(leaf.dtype))
        else:
            out.append(float(rng.normal()))
    return fdcheck.tree_unflatten(spec, out)


def _axpy(a, t, x):
    lx, spec = fdcheck.tree_flatten(x)
    lt, _ = fdcheck.tree_flatten(t)
    new = []
    for xi, ti in zip(lx, lt):
        v = xi + a * ti
        new.append(v.astype(xi.dtype) if isinstance(xi, np.ndarray) else v)
    return fdcheck.tree_unflatten(spec, new)


def shifted(args, tangents, h):
    return [x if t is None else _axpy(h, t, x) for x, t in zip(args, tangents)]


def fd_directional(f, args, tangents, h=1e-6):
    """Central difference of f along `tangents` (a tree like f's output)."""
    plus, _ = fdcheck.tree_flatten(f(*shifted(args, tangents, h)))
    minus, spec = fdcheck.tree_flatten(f(*shifted(args, tangents, -h)))
    return fdcheck.tree_unflatten(spec, [(np.asarray(p, dtype=np.float64) - np.asarray(m, dtype=np.float64))
                                         / (2 * h) for p, m in zip(plus, minus)])


def assert_tree_close(actual, expected, rtol=1e-5, atol=1e-6, what="tangent"):
    la, sa = fdcheck.tree_flatten(actual)
    le, se = fdcheck.tree_flatten(expected)
    assert len(la) == len(le), f"{what}: structure {sa} != {se}"
    for a, e in zip(la, le):
        assert np.shape(a) == np.shape(e), f"{what}: shape {np.shape(a)} != {np.shape(e)}"
        np.testing.assert_allclose(np.asarray(a, dtype=np.float64), np.asarray(e, dtype=np.float64),
                                   rtol=rtol, atol=atol, err_msg=what)


def tangents_for(args, positions, seed=0):
    rng = np.random.default_rng(seed)
    return [random_tangent(a, rng) if i in positions else None for i, a in enumerate(args)]


def check_jvp(f, args, positions, rtol=1e-5, atol=1e-6, seed=0):
    """jvp(f) along a random direction: the value is f(args), the tangent
    matches finite differences and has the output's structure."""
    tangents = tangents_for(args, positions, seed)
    snapshot = fdcheck.deep_copy(args)
    ro = fdcheck.readonly_copy(args)
    out, t = jvp(f, ro, tangents)
    fdcheck.assert_trees_equal(ro, snapshot, what="jvp mutated an argument")
    assert_tree_close(out, f(*args), rtol=1e-12, atol=1e-12, what="primal value")
    assert_tree_close(t, fd_directional(f, args, tangents), rtol, atol)
    return t, tangents


def _positions(case, args):
    pos, _ = fdcheck.resolve_wrt(case.fn, case.wrt, len(args))
    return pos


# ------------------------------------------------------- the seed example

def baydin(x1, x2):
    return math.log(x1) + x1 * x2 - math.sin(x2)


def test_baydin_example():
    out, t = jvp(baydin, (2.0, 5.0), (1.0, 0.0))
    assert out == pytest.approx(math.log(2.0) + 10.0 - math.sin(5.0), rel=1e-14)
    assert t == pytest.approx(5.5, rel=1e-14)
    assert isinstance(t, float)
    _, t2 = jvp(baydin, (2.0, 5.0), (0.0, 1.0))
    assert t2 == pytest.approx(2.0 - math.cos(5.0), rel=1e-14)
    # a None tangent leaves that argument out
    _, t3 = jvp(baydin, (2.0, 5.0), (1.0, None))
    assert t3 == pytest.approx(5.5, rel=1e-14)


def test_baydin_source():
    text = ast_ad.source(baydin, mode="forward", wrt=(0, 1))
    assert text.startswith("def jvp_baydin(x1, x2, dx1, dx2):")
    assert "dx1 / x1" in text and "math.cos(x2)" in text
    assert text == ast_ad.source(baydin, mode="forward", wrt=(0, 1))   # deterministic
    one = ast_ad.source(baydin, mode="forward")
    assert one.startswith("def jvp_baydin(x1, x2, dx1):") and "dx2" not in one


# ------------------------------------------------------------- the corpora

STRAIGHT = [pytest.param(c, id=c.id) for c in corpus_straight.CASES]
CONTROL = [pytest.param(c, id=c.id) for c in corpus_control.CASES]


@pytest.mark.parametrize("case", STRAIGHT)
def test_straight_corpus_jvp_matches_fd(case):
    args = case.make_args()
    check_jvp(case.fn, args, _positions(case, args), rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("case", STRAIGHT)
def test_straight_corpus_jvp_matches_reverse(case):
    """<grad f, t> from reverse mode equals the jvp along t."""
    args = case.make_args()
    pos = _positions(case, args)
    tangents = tangents_for(args, pos, seed=1)
    _, t = jvp(case.fn, args, tangents)
    grads = ast_ad.grad(case.fn, wrt=tuple(pos))(*args)
    expected = 0.0
    for g, p in zip(grads, pos):
        lg, _ = fdcheck.tree_flatten(g)
        lt, _ = fdcheck.tree_flatten(tangents[p])
        expected += sum(float(np.sum(np.asarray(a) * np.asarray(b))) for a, b in zip(lg, lt))
    assert float(t) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("case", CONTROL)
def test_control_corpus_jvp_matches_fd(case):
    args = case.make_args()
    check_jvp(case.fn, args, _positions(case, args), rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("case", CONTROL)
def test_control_corpus_hessian_vector_product(case):
    """Forward over reverse on real programs: jvp of the generated gradient
    code (its tapes, list appends, loops and branches included) against
    finite differences of the gradient."""
    args = case.make_args()
    pos = _positions(case, args)[:1]
    g = ast_ad.grad(case.fn, wrt=pos[0])
    tangents = tangents_for(args, pos, seed=5)
    _, hv = jvp(g, args, tangents)
    assert_tree_close(hv, fd_directional(g, args, tangents, h=1e-5), rtol=1e-3, atol=1e-4,
                      what="Hessian-vector product")


# --------------------------------------------------- functions of our own

def branchy(x, y):
    if x > y:
        z = x * y
    elif x > 0.0:
        z = np.sin(x) + y
    else:
        z = -x
    w = z * 2.0 if z > 0.5 else z ** 3
    return w + x


def early_return(x):
    if x < 0.0:
        return x * x
    y = math.exp(x)
    if y > 2.0:
        return y - x
    return y


def series_for(x, n):
    s = 0.0
    p = 1.0
    for i in range(n):
        p = p * x
        s = s + p / (i + 1)
    return s


def grow_while(x):
    k = 0
    y = x
    while y < 10.0:
        y = y * 1.7 + 0.1
        k += 1
    return y * k


def break_continue(v):
    total = 0.0
    for i in range(len(v)):
        if v[i] < -1.0:
            continue
        total = total + v[i] ** 2
        if total > 3.0:
            break
    return total


def nested_loops(A, x):
    out = 0.0
    for i in range(A.shape[0]):
        row = 0.0
        for j in range(A.shape[1]):
            row = row + A[i, j] * x[j]
        out = out + np.tanh(row)
    return out


def for_over_items(xs, w):
    acc = 0.0
    for k, x in enumerate(xs):
        acc = acc + w[k] * np.cos(x)
    for a, b in zip(xs, w):
        acc = acc + a * b
    return acc


def _power(a, b=2.0, scale=1.0):
    return scale * (a ** b)


def helper_calls(x, y):
    return _power(x) + _power(y, 3.0, scale=x)


def container_params(params, x):
    W, b = params
    h = np.tanh(W @ x + b)
    d = {"h": h, "s": np.sum(h)}
    pair = (d["s"], h[0])
    return pair[0] * pair[1]


def dict_params(p, x):
    return np.sum(p["w"] * x) + p["c"] ** 2


def returns_tuple(x):
    return x * 2.0, np.sin(x)


def builds_list(x):
    out = []
    for i in range(3):
        out.append(x * i)
    return out


def indexing(x):
    a = x[1:3]
    b = x[::-1]
    c = x[[0, 0, 2]]
    return np.sum(a) * b[0] + np.sum(c ** 2) + x[-1]


def item_assignment(x):
    y = np.zeros(len(x))
    for i in range(len(x)):
        y[i] = x[i] ** 2 + (y[i - 1] if i > 0 else 0.0)
    y[0] = 5.0
    z = np.zeros(3)
    z[1:] = x[:2]
    z[0] += x[3]
    return np.sum(y) + np.dot(z, z)


def list_assignment(x):
    lst = [x, 2.0 * x, 3.0]
    lst[2] = x ** 2
    lst[0] = 1.0
    return lst[0] + lst[1] * lst[2]


def constant_output(x):
    return 3.0


def vector_output(x, y):
    return np.array([x[0] * y, np.sin(x[1]), x[0] * x[1] * x[2]])


def matrix_output(A):
    return A @ A.T + np.exp(A[0, 0])


def broadcast_add(x, b):
    return x + b - 2.0 * b


def shape_functions(x):
    y = np.reshape(x, (2, 3)).T
    z = np.concatenate([y, y ** 2], axis=0)
    w = np.stack([np.ravel(z), np.ravel(z)])
    return (np.sum(np.mean(w, axis=1) * np.max(z)) + np.var(x) + np.std(x)
            + np.linalg.norm(x) + np.prod(x[:3]) + np.sum(np.clip(x, -0.5, 0.5)))


def augmented(x):
    s = 0.0
    s += np.sum(x)
    s *= 2.0
    s -= x[0]
    s /= 3.0
    return s ** 2


def dx(x, dx):   # a parameter called like a tangent
    ddx = x * dx
    return ddx + x


def int_argument(x, n, flag):
    y = x
    for _ in range(n):
        y = np.sin(y) if flag else np.cos(y)
    return y


_R = np.random.default_rng(3)

OWN = [
    ("branchy_then", branchy, (0.7, 0.3), (0, 1)),
    ("branchy_elif", branchy, (0.2, 0.8), (0, 1)),
    ("branchy_else", branchy, (-0.4, 0.8), (0, 1)),
    ("early_return_a", early_return, (-1.0,), (0,)),
    ("early_return_b", early_return, (0.3,), (0,)),
    ("early_return_c", early_return, (1.2,), (0,)),
    ("for_range", series_for, (0.8, 5), (0,)),
    ("while", grow_while, (0.9,), (0,)),
    ("break_continue", break_continue, (np.array([0.5, -2.0, 1.2, 1.0, 0.9, 1.0]),), (0,)),
    ("nested_loops", nested_loops, (_R.normal(size=(3, 4)), _R.normal(size=4)), (0, 1)),
    ("enumerate_zip", for_over_items, (_R.normal(size=4), _R.normal(size=4)), (0, 1)),
    ("helper_calls", helper_calls, (1.3, 0.7), (0, 1)),
    ("container_params", container_params,
     ((_R.normal(size=(3, 2)), _R.normal(size=3)), _R.normal(size=2)), (0, 1)),
    ("dict_params", dict_params, ({"w": _R.normal(size=3), "c": 0.5}, _R.normal(size=3)), (0, 1)),
    ("returns_tuple", returns_tuple, (0.4,), (0,)),
    ("builds_list", builds_list, (0.4,), (0,)),
    ("indexing", indexing, (_R.normal(size=4),), (0,)),
    ("item_assignment", item_assignment, (_R.normal(size=4),), (0,)),
    ("list_assignment", list_assignment, (0.6,), (0,)),
    ("constant_output", constant_output, (0.6,), (0,)),
    ("vector_output", vector_output, (_R.normal(size=3), 0.3), (0, 1)),
    ("matrix_output", matrix_output, (_R.normal(size=(2, 3)),), (0,)),
    ("broadcast_row", broadcast_add, (_R.normal(size=3), _R.normal(size=(2, 3))), (0,)),
    ("broadcast_matrix", broadcast_add, (_R.normal(size=3), _R.normal(size=(2, 3))), (1,)),
    ("broadcast_both", broadcast_add, (_R.normal(size=(2, 1)), _R.normal(size=(2, 3))), (0, 1)),
    ("shape_functions", shape_functions, (_R.normal(size=6),), (0,)),
    ("augmented", augmented, (_R.normal(size=3),), (0,)),
    ("tangent_named_param", dx, (0.5, 0.25), (0, 1)),
    ("int_and_flag_args", int_argument, (0.3, 3, True), (0,)),
]


@pytest.mark.parametrize("f, args, pos", [pytest.param(f, a, p, id=i) for i, f, a, p in OWN])
def test_own_functions_match_fd(f, args, pos):
    check_jvp(f, args, pos)


def test_float32_tangents_stay_float32():
    A = _R.normal(size=(2, 3))
    T = _R.normal(size=(2, 3))
    out, t = jvp(matrix_output, (A.astype(np.float32),), (T.astype(np.float32),))
    assert out.dtype == np.float32 and t.dtype == np.float32
    _, t64 = jvp(matrix_output, (A,), (T,))
    np.testing.assert_allclose(t, t64, rtol=1e-5, atol=1e-5)


def test_constant_output_has_zero_tangent():
    assert jvp(constant_output, (1.0,), (1.0,)) == (3.0, 0.0)
    out, t = jvp(lambda_free_array_constant, (np.ones(3),), (np.ones(3),))
    assert np.shape(t) == np.shape(out) and not np.any(t)


def lambda_free_array_constant(x):
    return np.zeros(4) + len(x)


def test_tuple_and_list_outputs_keep_their_structure():
    out, t = jvp(returns_tuple, (0.4,), (1.0,))
    assert isinstance(t, tuple) and t == pytest.approx((2.0, math.cos(0.4)))
    out, t = jvp(builds_list, (0.4,), (1.0,))
    assert isinstance(t, list) and t == pytest.approx([0.0, 1.0, 2.0])


def test_defaults_are_filled_in():
    out, t = jvp(_power, (1.5,), (1.0,))
    assert t == pytest.approx(3.0)
    out, t = jvp(_power, (1.5, 3.0), (1.0, None))
    assert t == pytest.approx(3 * 1.5 ** 2)


# ------------------------------------------------- errors and the contract

def test_tangent_shape_mismatch_is_an_error():
    with pytest.raises(DifferentiationError, match="shape"):
        jvp(indexing, (np.ones(4),), (np.ones(3),))
    with pytest.raises(DifferentiationError, match="tangents"):
        jvp(baydin, (2.0, 5.0), (1.0,))


def _softplus_prim(x):
    return np.log1p(np.exp(x))


def uses_softplus(x):
    return np.sum(_softplus_prim(x) * x)


def test_missing_rule_names_defjvp():
    with pytest.raises(NoRuleError, match="defjvp"):
        jvp(np_sinc_user, (np.ones(3),), (np.ones(3),))


def np_sinc_user(x):
    # (a NumPy function that has no rule yet; test_api_errors keeps a list)
    return np.sum(np.convolve(x, x))


def test_user_jvp_rule_is_inlined_and_a_lambda_rule_is_called():
    prim = ast_ad.primitive(_softplus_prim)

    @ast_ad.defjvp(prim)
    def softplus_jvp(dx, ans, x):
        return dx / (1.0 + np.exp(-x))
    x = np.array([0.3, -1.2, 2.0])
    check_jvp(uses_softplus, (x,), (0,))
    text = ast_ad.source(uses_softplus, mode="forward")
    assert "np.exp" in text and "softplus_jvp" not in text      # inlined
    ast_ad.defjvp(prim, lambda dx, ans, x: dx / (1.0 + np.exp(-x)))   # no source: called
    check_jvp(uses_softplus, (x,), (0,))


# ----------------------------------------------------- the generated code

def test_forward_loops_need_no_tape():
    for f in (series_for, grow_while, nested_loops, item_assignment, break_continue):
        text = ast_ad.source(f, mode="forward")
        assert "tape" not in text and ".append(" not in text, text


def test_forward_source_is_deterministic():
    for f in (branchy, nested_loops, container_params, item_assignment):
        texts = {ast_ad.source(f, mode="forward") for _ in range(3)}
        assert len(texts) == 1
        ast_ad.cache.clear()
        assert ast_ad.source(f, mode="forward") in texts


def test_tangent_names():
    text = ast_ad.source(series_for, mode="forward")
    assert text.startswith("def jvp_series_for(x, n, dx):")
    assert "dp" in text and "ds" in text
    text = ast_ad.source(dx, mode="forward", wrt=(0, 1))
    assert text.startswith("def jvp_dx(x, dx, dx_1, ddx):")   # no clash with the user's `dx`


def test_inactive_branches_of_rules_are_not_generated():
    text = ast_ad.source(baydin, mode="forward")
    assert " is None" not in text and "if " not in text


def test_transformation_is_cached():
    from ast_ad import pipeline
    x = np.array([0.5, 1.0, 1.5])
    jvp(indexing, (x,), (x,))
    before = pipeline.STATS["lowered"]
    for k in range(5):
        jvp(indexing, (x + k,), (x,))
    assert pipeline.STATS["lowered"] == before


def test_ir_of_forward_verifies():
    from ast_ad import ir
    from ast_ad.pipeline import run
    for f, args, pos in [(branchy, (0.7, 0.3), (0, 1)), (nested_loops, (np.ones((2, 2)), np.ones(2)), (0,)),
                         (break_continue, (np.ones(3),), (0,))]:
        res = run(f, "forward", pos, [ast_ad.avals.of_value(a) for a in args], stop_after="emit")
        ir.verify(res.transformed)


# ---------------------------------------------------------------- rules

def test_every_builtin_vjp_rule_has_a_jvp_rule():
    builtin = [k for k, r in rules.VJPS.items()
               if getattr(r, "__module__", "").startswith("ast_ad.")]
    assert len(builtin) > 100
    missing = [getattr(k, "__name__", repr(k)) for k in builtin if k not in rules.JVPS]
    assert not missing, missing


def test_helpers_that_vjp_rules_call_have_jvp_rules():
    """Forward mode over reverse-mode code meets every helper the VJP rules
    call (``_ad.unbroadcast``, ``_ad.matmul_grad_a``, ...)."""
    import inspect
    import re
    from ast_ad.rules import core
    names = set(re.findall(r"_ad\.(\w+)\(", inspect.getsource(core)))
    structural = {runtime.make_tuple, runtime.make_list, runtime.make_dict}
    assert {"unbroadcast", "matmul_grad_a", "index_adjoint"} <= names
    missing = [n for n in sorted(names) if getattr(runtime, n) not in rules.JVPS
               and not rules.is_nondiff(getattr(runtime, n))
               and getattr(runtime, n) not in structural]
    assert not missing, missing


def _table_params():
    # known limitations of the built-in rules (the same as in reverse mode)
    fwd_fails = set()
    for e in rule_table.TABLE:
        marks = [pytest.mark.xfail(strict=True, reason=e.xfail or "known limitation")] \
            if e.id in fwd_fails else []
        yield pytest.param(e, id=e.id, marks=marks)


@pytest.mark.parametrize("entry", list(_table_params()))
def test_rule_table_forward(entry):
    args = rule_table.make_args(entry)
    pos, _ = fdcheck.resolve_wrt(entry.fn, rule_table.entry_wrt(entry), len(args))
    check_jvp(entry.fn, args, pos, rtol=1e-5, atol=1e-6, seed=7)


def _hvp_params():
    for e in rule_table.TABLE:
        if e.xfail is None:
            yield pytest.param(e, id=e.id)


@pytest.mark.parametrize("entry", list(_hvp_params()))
def test_rule_table_forward_over_reverse(entry):
    """jvp of the gradient: the Hessian-vector product, by forward mode over
    the code reverse mode generated (so every helper that VJP rules call
    needs its JVP rule)."""
    args = rule_table.make_args(entry)
    pos, _ = fdcheck.resolve_wrt(entry.fn, rule_table.entry_wrt(entry), len(args))
    g = ast_ad.grad(entry.fn, wrt=pos[0])
    tangents = tangents_for(args, pos[:1], seed=11)
    _, hv = jvp(g, args, tangents)
    assert_tree_close(hv, fd_directional(g, args, tangents, h=1e-5), rtol=1e-4, atol=1e-5,
                      what="Hessian-vector product")


def test_trace_tangent_column_uses_the_jvp_rules():
    t = ast_ad.trace(baydin, 2.0, 5.0, tangents=(1.0, 0.0))
    assert t.rows[-1].tangent == pytest.approx(5.5)
    assert "5.500" in str(t)


def test_rules_callable_on_numbers():
    from ast_ad.rules.jvp_rules import call_jvp
    x, y = 0.7, -1.3
    assert call_jvp(np.sin, [1.0], np.sin(x), [x], {}) == pytest.approx(math.cos(x))
    assert call_jvp(math.atan2, [1.0, None], math.atan2(y, x), [y, x], {}) == \
        pytest.approx(x / (x * x + y * y))
    a = np.arange(6.0).reshape(2, 3) + 1
    t = np.ones_like(a)
    np.testing.assert_allclose(call_jvp(np.sum, [t, None], np.sum(a, 0), [a, 0], {}), [2, 2, 2])


# ------------------------------------------------------- forward over reverse

def rosen(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def test_hessian_vector_product_of_rosenbrock():
    from scipy.optimize import rosen_hess_prod
    x = np.array([0.3, -0.7, 1.2, 0.9])
    v = np.array([1.0, 0.5, -2.0, 0.25])
    _, hv = jvp(ast_ad.grad(rosen), (x,), (v,))
    np.testing.assert_allclose(hv, rosen_hess_prod(x, v), rtol=1e-10)


@pytest.mark.parametrize("f, args", [
    (branchy, (0.7, 0.3)), (series_for, (0.8, 4)), (nested_loops, (_R.normal(size=(2, 3)), _R.normal(size=3))),
    (item_assignment, (_R.normal(size=4),)), (container_params, ((_R.normal(size=(3, 2)), _R.normal(size=3)),
                                                               _R.normal(size=2)))])
def test_forward_over_reverse_with_control_flow(f, args):
    g = ast_ad.grad(f)
    tangents = tangents_for(args, (0,), seed=5)
    _, hv = jvp(g, args, tangents)
    assert_tree_close(hv, fd_directional(g, args, tangents, h=1e-5), rtol=1e-4, atol=1e-5)


# ------------------------------------------------------------- jacobian

def softmax(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def layer(x, W):
    return np.tanh(W @ x) * x[0]


def scalar_to_vector(t):
    return np.array([np.sin(t), t ** 2, 1.0])


def matrix_fn(A):
    return A.T @ A


@pytest.mark.parametrize("f, args, wrt", [
    (softmax, (np.array([0.1, -0.4, 1.3, 0.2]),), 0),
    (layer, (_R.normal(size=3), _R.normal(size=(4, 3))), 0),
    (layer, (_R.normal(size=3), _R.normal(size=(4, 3))), 1),
    (scalar_to_vector, (0.8,), 0),
    (matrix_fn, (_R.normal(size=(3, 2)),), 0),
    (vector_output, (_R.normal(size=3), 0.3), 1),
])
def test_jacobian_fwd_and_rev_match_fd(f, args, wrt):
    expected = fdcheck.fd_jacobian(f, args, wrt)
    Jf = jacobian(f, wrt=wrt, mode="fwd")(*args)
    Jr = jacobian(f, wrt=wrt, mode="rev")(*args)
    assert np.shape(Jf) == expected.shape == np.shape(Jr)
    np.testing.assert_allclose(Jf, expected, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(Jr, expected, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(Jf, Jr, rtol=1e-10, atol=1e-12)


def test_jacobian_shapes_and_scalars():
    # float -> float: a scalar entry
    J = jacobian(baydin, wrt=0, mode="fwd")(2.0, 5.0)
    assert isinstance(J, float) and J == pytest.approx(5.5)
    assert jacobian(baydin, wrt=0, mode="rev")(2.0, 5.0) == pytest.approx(5.5)
    # scalar output of an array: the gradient's shape
    x = np.array([0.3, -0.7, 1.2, 0.9])
    Jf = jacobian(rosen, mode="fwd")(x)
    assert Jf.shape == (4,)
    np.testing.assert_allclose(Jf, ast_ad.grad(rosen)(x), rtol=1e-12)
    # tuple wrt: a tuple of Jacobians
    Jx, JW = jacobian(layer, wrt=(0, 1), mode="fwd")(_R.normal(size=3), _R.normal(size=(4, 3)))
    assert Jx.shape == (4, 3) and JW.shape == (4, 4, 3)
    Jt = jacobian(layer, wrt=("x",), mode="rev")(_R.normal(size=3), _R.normal(size=(4, 3)))
    assert isinstance(Jt, tuple) and Jt[0].shape == (4, 3)


# Containers in and out: the Jacobian has the output's structure, each leaf
# holding the input's structure of blocks of shape out_leaf + in_leaf (as
# JAX gives it).  Checked against finite differences of the function on
# its flattened arguments.

def two_layer(params, X):
    W, b = params
    return np.sum(np.tanh(X @ W + b) ** 2)


def dict_model(p):
    return np.sum(p["w"] ** 3) * p["s"] + np.sin(p["s"])


def pair_out(t):
    a, b = t
    return (a * b[0], {"q": np.sum(b) * a, "r": b ** 2})


def _flatten(x):
    leaves = []

    def walk(v):
        if isinstance(v, (list, tuple)):
            for e in v:
                walk(e)
        elif isinstance(v, dict):
            for e in v.values():
                walk(e)
        else:
            leaves.append(v)
    walk(x)
    sizes = [np.size(v) for v in leaves]

    def rebuild(vec):
        it, pos = iter(range(len(leaves))), [0]

        def build(v):
            if isinstance(v, (list, tuple)):
                return type(v)(build(e) for e in v)
            if isinstance(v, dict):
                return {k: build(e) for k, e in v.items()}
            k = next(it)
            piece = vec[pos[0]:pos[0] + sizes[k]]
            pos[0] += sizes[k]
            return piece.reshape(np.shape(v)) if isinstance(v, np.ndarray) else float(piece[0])
        return build(x)
    return np.concatenate([np.ravel(v) for v in leaves]).astype(float), rebuild


def _leaf_list(v):
    if isinstance(v, (list, tuple)):
        return [leaf for e in v for leaf in _leaf_list(e)]
    if isinstance(v, dict):
        return [leaf for e in v.values() for leaf in _leaf_list(e)]
    return [v]


def _blocks_as_matrix(J, out, x):
    """Our nested Jacobian as one (out size, in size) matrix."""
    rows = []
    for block_row, out_leaf in zip(_leaves_of_outer(J, out), _leaf_list(out)):
        rows.append(np.concatenate([np.reshape(b, (np.size(out_leaf), np.size(in_leaf)))
                                    for b, in_leaf in zip(_leaf_list(block_row), _leaf_list(x))],
                                   axis=1))
    return np.concatenate(rows, axis=0)


def _leaves_of_outer(J, out):
    """The entries of J at the leaves of `out` (each an input-structured block row)."""
    if isinstance(out, (list, tuple)):
        return [r for e, o in zip(J, out) for r in _leaves_of_outer(e, o)]
    if isinstance(out, dict):
        return [r for k in out for r in _leaves_of_outer(J[k], out[k])]
    return [J]


def _fd_matrix(f, x, h=1e-6):
    x0, rebuild = _flatten(x)
    cols = []
    for k in range(len(x0)):
        e = np.zeros_like(x0)
        e[k] = h * max(1.0, abs(x0[k]))
        cols.append((_flatten(f(rebuild(x0 + e)))[0] - _flatten(f(rebuild(x0 - e)))[0])
                    / (2 * e[k]))
    return np.stack(cols, axis=1)


@pytest.mark.parametrize("mode", ["fwd", "rev"])
def test_jacobian_of_containers_matches_fd(mode):
    t = (0.7, np.array([0.5, -1.2, 2.0]))
    J = jacobian(pair_out, mode=mode)(t)
    out = pair_out(t)
    assert isinstance(J, tuple) and isinstance(J[1], dict) and isinstance(J[1]["r"], tuple)
    assert np.shape(J[1]["r"][1]) == (3, 3) and np.shape(J[1]["q"][1]) == (3,)
    np.testing.assert_allclose(_blocks_as_matrix(J, out, t), _fd_matrix(pair_out, t),
                               rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("f, x, rest", [
    (two_layer, [_R.normal(size=(3, 2)), _R.normal(size=2)], (_R.normal(size=(4, 3)),)),
    (dict_model, {"w": _R.normal(size=3), "s": 0.4}, ()),
])
def test_hessian_of_container_argument_matches_fd(f, x, rest):
    H = ast_ad.hessian(f)(x, *rest)
    g = lambda v: _fd_matrix(lambda w: f(w, *rest), v, 1e-4)[0]     # FD gradient of f
    expected = _fd_matrix(g, x, 1e-4)
    got = _blocks_as_matrix(H, x, x)
    np.testing.assert_allclose(got, (expected + expected.T) / 2, rtol=1e-4, atol=1e-5)


def test_jacobian_fwd_transforms_once():
    from ast_ad import pipeline
    J = jacobian(softmax, mode="fwd")
    J(np.array([0.1, 0.2, 0.3]))
    before = pipeline.STATS["lowered"]
    for k in range(3):
        J(np.array([0.1, 0.2, 0.3]) * k)      # one jvp call per input direction
    assert pipeline.STATS["lowered"] == before
    assert J.source.startswith("def jvp_softmax(z, dz):")


def test_jacobian_rejects_bad_mode():
    with pytest.raises(DifferentiationError, match="mode"):
        jacobian(softmax, mode="sideways")


# ------------------------------------------------------------- doctests

@pytest.mark.parametrize("module", ["ast_ad.forward", "ast_ad.inline", "ast_ad.api_forward",
                                    "ast_ad.rules.jvp_rules"])
def test_doctests(module):
    import importlib
    mod = importlib.import_module(module)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


def empty_tail(x):
    return x[5:] * 2.0


def none_selected(x):
    return x[np.nonzero(x > 10)] ** 2


@pytest.mark.parametrize("mode", ["rev", "fwd"])
@pytest.mark.parametrize("f", [empty_tail, none_selected])
def test_jacobian_of_an_empty_output(f, mode):
    x = np.arange(1.0, 6.0)
    J = ast_ad.jacobian(f, mode=mode)(x)
    assert J.shape == (0, 5) and J.dtype == np.float64
