"""Adversarial names: user identifiers spelled like the ones ast_ad generates.

The namer must reserve every identifier the generated code can see, so a
user's ``_t1``, ``bx``, ``grads``, ``np`` or ``_ad`` never collides with a
temporary, an adjoint, the result tuple or a module alias.  Every case is
checked against finite differences (tests/fdcheck.py), and its generated
source must compile and keep the user's parameter names.

This module deliberately imports NumPy only as ``xp`` (and as ``numpy``) and
does not import the ``math`` module under its own name, so the generated
code has to introduce its own aliases for the rules it inlines (``np.cos``,
``math.cos``, ``_ad.unbroadcast``), and those must not capture the user's
names.
"""
import ast
import inspect
import os
import sys
from math import exp as mexp
from math import sin as msin

import numpy
import numpy as xp
import pytest

import ast_ad

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import fdcheck  # noqa: E402

_rng = xp.random.default_rng(7)


def _arr(*shape, lo=-1.0, hi=1.0):
    return _rng.uniform(lo, hi, shape)


# ------------------------------------------------------------- module globals
# globals read by the functions below, named like generated identifiers

K = 3.0
bx = 0.5              # the adjoint of a parameter `x` is spelled `bx`
_t1 = 1.25            # temporaries are `_t1, _t2, ...`
grads = 0.75          # the generated code builds `grads = ...`
grad_t_global_named_like_output = xp.array([1.0, 2.0, 3.0])   # = "grad_" + function name


# ------------------------------------------------------------- the functions

def t_temps(_t1, _t2):
    _t3 = _t1 * _t2
    _t1 = xp.sin(_t3)
    _t4 = _t1 + _t2 * _t3
    return _t4 * _t4


def t_bars(x, bx, bx_1):
    b = x * bx
    bx_2 = xp.sin(bx_1) * x
    return b + bx_2 * bx


def t_local_bx(x):
    bx = x * x
    bx_1 = bx * 3.0
    return bx_1 + xp.sin(bx)


def t_grads_result_tape(grads, result, tape):
    tape = tape * grads
    result = xp.exp(result) * tape
    return result + grads * grads


def t_np_param(np, x):
    return xp.sum(xp.sin(x) * np)


def t_np_local(x):
    np = xp.cos(x) * 2.0
    return xp.sum(xp.sin(np) * x)


def t_math_param(math, x):
    return msin(math) * x + math * mexp(x)


def t_math_local(x):
    math = x * 2.0
    return msin(math) + mexp(math * x)


def t_ad_param(_ad, x):
    return xp.sum(xp.tanh(_ad * x))


def t_ad_local(x):
    _ad = x + 1.0
    return xp.sum(_ad * _ad * x)


def t_g_ans_params(g, ans):
    return xp.sin(g) * ans + g / ans


def t_g_ans_arrays(g, ans):
    return xp.sum(xp.sin(g) * ans + g / ans)


def t_g_ans_locals(x):
    g = xp.exp(x)
    ans = g * x
    return xp.sum(ans / g + xp.sqrt(g))


def t_global_K(x):
    return xp.sum(K * x * x)


def t_global_K_and_K_1(x, K_1):
    K_2 = K * K_1
    return xp.sum(K_2 * xp.sin(x)) + K


def t_global_bx(x):
    return xp.sum(bx * x * x)


def t_global_t1(x):
    y = x * _t1
    return xp.sum(xp.exp(y))


def t_global_grads(x):
    return xp.sum(xp.sin(x) * grads)


def t_global_named_like_output(x):
    return xp.sum(grad_t_global_named_like_output * x * x)


def t_versions(x, x_1):
    x = x * x_1
    x = xp.sin(x) + x_1
    return x * x


def t_xp_param(xp, x):
    return numpy.sum(numpy.sin(x) * xp)


def t_shadow_builtin(x, sum):
    return xp.sum(x * x) * sum


def t_result_suffixes(x, result_1, grads_1):
    result = x * result_1
    grads_2 = result * grads_1
    return grads_2 * result


def t_unicode(α, β):
    γ = α * xp.sin(β)
    return γ * γ


def _make_closure():
    bx = 1.5
    _t1 = 0.25

    def t_closure(x):
        return xp.sum(bx * x * x + _t1 * x)
    return t_closure


t_closure = _make_closure()


def t_everything(np, _ad, g, ans, bx, _t1, result):
    _t2 = np * _ad
    tape = xp.sin(_t2) * g + ans
    grads = tape * bx / (_t1 + 3.0)
    return xp.sum(grads * result)


# (function, args factory, wrt)
CASES = [
    (t_temps, lambda: (0.7, -1.3), (0, 1)),
    (t_bars, lambda: (0.7, 1.1, -0.4), (0, 1, 2)),
    (t_local_bx, lambda: (0.9,), 0),
    (t_grads_result_tape, lambda: (0.6, 0.3, 1.4), (0, 1, 2)),
    (t_np_param, lambda: (_arr(3), _arr(3)), (0, 1)),
    (t_np_param, lambda: (0.8, _arr(2, 3)), (0, 1)),
    (t_np_local, lambda: (_arr(4),), 0),
    (t_math_param, lambda: (0.7, 1.2), (0, 1)),
    (t_math_local, lambda: (0.4,), 0),
    (t_ad_param, lambda: (_arr(3), _arr(2, 3)), (0, 1)),
    (t_ad_param, lambda: (0.5, _arr(3)), (0, 1)),
    (t_ad_local, lambda: (_arr(2, 3),), 0),
    (t_g_ans_params, lambda: (0.7, 1.3), (0, 1)),
    (t_g_ans_params, lambda: (0.7, 1.3), ("ans", "g")),
    (t_g_ans_arrays, lambda: (_arr(3), _arr(3, lo=0.5, hi=2.0)), ("g", "ans")),
    (t_g_ans_locals, lambda: (_arr(4),), 0),
    (t_global_K, lambda: (_arr(3),), 0),
    (t_global_K_and_K_1, lambda: (_arr(3), 0.6), (0, 1)),
    (t_global_bx, lambda: (_arr(3),), 0),
    (t_global_t1, lambda: (_arr(3),), 0),
    (t_global_grads, lambda: (_arr(3),), 0),
    pytest.param(t_global_named_like_output, lambda: (_arr(3),), 0,
                 id="t_global_named_like_output"),
    (t_versions, lambda: (0.7, 0.3), (0, 1)),
    (t_xp_param, lambda: (_arr(3), _arr(3)), (0, 1)),
    (t_shadow_builtin, lambda: (_arr(3), 1.7), (0, 1)),
    (t_result_suffixes, lambda: (0.7, 1.3, -0.5), (0, 1, 2)),
    (t_unicode, lambda: (0.7, 1.3), (0, 1)),
    (t_closure, lambda: (_arr(3),), 0),
    (t_everything, lambda: (_arr(3), _arr(3), 0.4, _arr(3), 1.2, 0.3, _arr(3)),
     (0, 1, 2, 3, 4, 5, 6)),
]


def _params():
    """pytest params with ids: the function's name, then #2, #3 for repeats."""
    out, seen = [], {}
    for c in CASES:
        p = c if hasattr(c, "marks") else pytest.param(*c, id=c[0].__name__)
        seen[p.id] = seen.get(p.id, 0) + 1
        pid = p.id if seen[p.id] == 1 else f"{p.id}#{seen[p.id]}"
        out.append(pytest.param(*p.values, id=pid, marks=p.marks))
    return out


PARAMS = _params()


@pytest.mark.parametrize("fn, make_args, wrt", PARAMS)
def test_gradient_matches_fd(fn, make_args, wrt):
    fdcheck.assert_grad_matches_fd(fn, make_args(), wrt)


@pytest.mark.parametrize("fn, make_args, wrt", PARAMS)
def test_generated_source_compiles_and_keeps_parameter_names(fn, make_args, wrt):
    # the source for the call's argument kinds, and the kind-agnostic one
    g = ast_ad.grad(fn, wrt=wrt)
    g(*make_args())
    for text in (g.source, ast_ad.source(fn, wrt=wrt)):
        compile(text, "<generated>", "exec")
        tree = ast.parse(text)
        defs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
        assert len(defs) == 1
        assert [a.arg for a in defs[0].args.args] == list(inspect.signature(fn).parameters)
        # grad_<name>, unless a global of that name is read (then a fresh one)
        assert defs[0].name.startswith("grad_" + fn.__name__)
        if "grad_" + fn.__name__ not in fn.__globals__:
            assert defs[0].name == "grad_" + fn.__name__


def test_generated_names_are_unique_per_assignment_target():
    """Inside the generated code, user names that look generated keep their
    meaning: `t_temps`'s reassigned `_t1` gets a version name, never reuses a
    temporary's."""
    text = ast_ad.source(t_temps, wrt=(0, 1))
    tree = ast.parse(text)
    fn = tree.body[0]
    assigned = [t.id for n in ast.walk(fn) if isinstance(n, ast.Assign)
                for t in n.targets if isinstance(t, ast.Name)]
    assert len(assigned) == len(set(assigned)), f"a name is assigned twice (not SSA): {text}"


def test_globals_are_read_live_not_copied():
    g = ast_ad.grad(t_global_K)
    x = xp.array([1.0, -2.0, 0.5])
    global K
    old = K
    try:
        xp.testing.assert_allclose(g(x), 2 * 3.0 * x)
        K = -1.5
        xp.testing.assert_allclose(g(x), 2 * -1.5 * x)
    finally:
        K = old


def test_module_namespace_is_not_modified():
    before = dict(globals())
    for p in PARAMS:
        fn, make_args, wrt = p.values
        try:
            ast_ad.grad(fn, wrt=wrt)(*make_args())
        except Exception:
            pass
    after = globals()
    added = sorted(set(after) - set(before))
    changed = sorted(k for k in before if k in after and after[k] is not before[k])
    assert not added, f"transforming added module globals: {added}"
    assert not changed, f"transforming rebound module globals: {changed}"
