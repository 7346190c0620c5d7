"""Control-flow corpus for ast_ad: the rest of the language.

if/elif/else, early returns, boolean operators, for/while loops with break and
continue, helper functions (keyword and default arguments), closures, lambdas,
comprehensions, containers of parameters, list building, indexing reads,
item/slice assignment into local arrays, augmented assignment and aliasing of
fresh local arrays, and a few real programs (RK4, Horner, Lennard-Jones,
Newton's sqrt, Rosenbrock, unrolled gradient descent, an RNN).

Same registration scheme as ``corpus_straight``: ``Case(id, fn, make_args,
wrt)``; inputs are built from fixed seeds and kept where the function is
smooth (in particular, where a small perturbation does not change which
branch is taken or how many times a loop runs).

No function here mutates its own arguments; all in-place updates are on
fresh local arrays.  This module imports only the standard library and NumPy.
"""
import math
from typing import Any, Callable, NamedTuple

import numpy as np


class Case(NamedTuple):
    id: str
    fn: Callable
    make_args: Callable[[], tuple]
    wrt: Any = 0


CASES = []


def _add(case_id, fn, make_args, wrt=0):
    CASES.append(Case(case_id, fn, make_args, wrt))


def _rng(seed):
    return np.random.default_rng(seed)


def _uniform(seed, shape, lo, hi):
    return _rng(seed).uniform(lo, hi, size=shape)


def _signed(seed, shape, lo, hi):
    rng = _rng(seed)
    mag = rng.uniform(lo, hi, size=shape)
    sign = np.where(rng.uniform(size=shape) < 0.5, -1.0, 1.0)
    return mag * sign


def _normal(seed, shape, scale=1.0):
    return _rng(seed).normal(0.0, scale, size=shape)


# ---------------------------------------------------------------------------
# if / elif / else, early and multiple returns, and/or/not
# ---------------------------------------------------------------------------

def if_else_scalar(x):
    if x > 0.0:
        y = x ** 2
    else:
        y = -x ** 3
    return y * 2.0


_add("if_else_scalar_pos", if_else_scalar, lambda: (0.9,))
_add("if_else_scalar_neg", if_else_scalar, lambda: (-0.6,))


def if_elif_nested(x, y):
    if x > 1.0:
        if y > 0.0:
            z = x * y
        else:
            z = x - y
    elif x > 0.0:
        z = x ** 2 + y
    else:
        z = math.exp(x) * y
    return z + x


_add("if_elif_nested_a", if_elif_nested, lambda: (1.5, 0.5), (0, 1))
_add("if_elif_nested_b", if_elif_nested, lambda: (1.5, -0.5), (0, 1))
_add("if_elif_nested_c", if_elif_nested, lambda: (0.5, 0.3), (0, 1))
_add("if_elif_nested_d", if_elif_nested, lambda: (-0.5, 0.3), (0, 1))


def early_return(x):
    if x < 0.0:
        return -x * 3.0
    y = x ** 2
    if y > 4.0:
        return math.sqrt(y) * x
    return y + 1.0


_add("early_return_a", early_return, lambda: (-1.2,))
_add("early_return_b", early_return, lambda: (1.1,))
_add("early_return_c", early_return, lambda: (3.0,))


def bool_ops_condition(x, y, flag):
    if (x > 0 and y > 0) or not flag:
        return x * y
    elif not (x > 0) or y < -1.0:
        return x + y
    return x - y


_add("bool_ops_and", bool_ops_condition, lambda: (0.5, 0.7, True), (0, 1))
_add("bool_ops_not_flag", bool_ops_condition, lambda: (-0.5, 0.7, False), (0, 1))
_add("bool_ops_elif", bool_ops_condition, lambda: (-0.5, 0.7, True), (0, 1))
_add("bool_ops_fallthrough", bool_ops_condition, lambda: (0.5, -0.5, True), (0, 1))


def array_condition(x):
    if np.sum(x) > 0 and np.max(x) < 10.0:
        return np.sum(x ** 2)
    return np.sum(np.abs(x))


_add("array_condition_pos", array_condition, lambda: (_uniform(1, (4,), 0.1, 2.0),))
_add("array_condition_neg", array_condition, lambda: (_uniform(2, (4,), -2.0, -0.1),))


# ---------------------------------------------------------------------------
# for loops
# ---------------------------------------------------------------------------

def for_range_accumulate(x):
    s = 0.0
    for i in range(len(x)):
        s = s + x[i] * (i + 1)
    return s * s


_add("for_range_accumulate", for_range_accumulate, lambda: (_normal(3, (5,)),))


def for_range_runtime_bounds(x, start, stop, step):
    s = 0.0
    for i in range(start, stop, step):
        s = s + np.sin(x[i]) * x[i - 1]
    return s


_add("for_range_runtime_bounds", for_range_runtime_bounds,
     lambda: (_normal(4, (10,)), 2, 9, 3))


def for_range_reverse(x):
    acc = 0.0
    for i in range(len(x) - 1, -1, -1):
        acc = acc * 0.5 + x[i]
    return acc ** 2


_add("for_range_reverse", for_range_reverse, lambda: (_normal(5, (6,)),))


def for_over_rows(A, w):
    total = 0.0
    for row in A:
        total = total + np.tanh(np.dot(row, w))
    return total


_add("for_over_rows", for_over_rows, lambda: (_normal(6, (4, 3)), _normal(7, (3,))), (0, 1))


def for_over_list(xs):
    total = 0.0
    for x in xs:
        total = total + np.sum(np.sin(x) * x)
    return total


_add("for_over_list", for_over_list,
     lambda: ([_normal(8, (3,)), _normal(9, (2, 2)), _normal(10, (1,))],))


def for_zip(xs, ys):
    total = 0.0
    for a, b in zip(xs, ys):
        total = total + np.sum((a - b) ** 2 * a)
    return total


_add("for_zip", for_zip,
     lambda: ([_normal(11, (3,)), _normal(12, (2,))],
              (_normal(13, (3,)), _normal(14, (2,)))), (0, 1))


def for_enumerate(xs):
    total = 0.0
    for i, x in enumerate(xs):
        total = total + (i + 1) * x ** 2
    return total


_add("for_enumerate", for_enumerate, lambda: ([0.5, -1.2, 2.0, 0.3],))


def nested_loops_quadratic(A, x):
    n = x.shape[0]
    s = 0.0
    for i in range(n):
        for j in range(n):
            s = s + A[i, j] * x[i] * x[j]
    return s


_add("nested_loops_quadratic", nested_loops_quadratic,
     lambda: (_normal(15, (3, 3)), _normal(16, (3,))), (0, 1))


def index_loop_2d(A):
    s = 0.0
    rows, cols = A.shape
    for i in range(rows):
        for j in range(cols):
            if (i + j) % 2 == 0:
                s = s + A[i, j] ** 2
            else:
                s = s - A[i, j]
    return s


_add("index_loop_2d", index_loop_2d, lambda: (_normal(17, (3, 4)),))


def ternary_in_loop(x):
    s = 0.0
    for v in x:
        s = s + (v ** 2 if v > 0 else -v)
    return s


_add("ternary_in_loop", ternary_in_loop, lambda: (_signed(18, (6,), 0.1, 1.5),))


def if_in_loop_running_max(x):
    m = x[0]
    for v in x[1:]:
        if v > m:
            m = v
    return m * np.sum(x)


_add("if_in_loop_running_max", if_in_loop_running_max, lambda: (_normal(19, (6,)),))


# ---------------------------------------------------------------------------
# while, break, continue
# ---------------------------------------------------------------------------

def while_data_dependent(x):
    y = x
    k = 0
    while y < 10.0:
        y = y * 1.5 + x
        k += 1
    return y / k


_add("while_data_dependent", while_data_dependent, lambda: (0.7,))


def exp_series_while(x):
    term = 1.0
    total = 1.0
    n = 1
    while True:
        term = term * x / n
        total = total + term
        n += 1
        if abs(term) < 1e-17 * abs(total):
            break
    return total


_add("exp_series_while", exp_series_while, lambda: (1.3,))


def while_counter_step(x):
    i = 1
    s = 0.0
    while i < len(x):
        s = s + x[i] * x[i - 1]
        i += 2
    return s


_add("while_counter_step", while_counter_step, lambda: (_normal(20, (7,)),))


def break_loop(x, thresh):
    s = 0.0
    for i in range(len(x)):
        if x[i] > thresh:
            break
        s = s + x[i] ** 2
    return s


_add("break_loop", break_loop,
     lambda: (np.array([0.3, -0.8, 0.5, 1.1, 2.4, 0.2, 3.0]), 2.0))


def continue_loop(x):
    s = 0.0
    for v in x:
        if v < 0.0:
            continue
        s = s + v ** 3
    return s


_add("continue_loop", continue_loop, lambda: (_signed(21, (7,), 0.1, 1.5),))


def nested_break_continue(A):
    total = 0.0
    for i in range(A.shape[0]):
        if i == 1:
            continue
        for j in range(A.shape[1]):
            if j == 3:
                break
            total = total + np.exp(A[i, j]) * (j + 1)
    return total


_add("nested_break_continue", nested_break_continue, lambda: (_normal(22, (4, 5)),))


def early_return_in_loop(x, thresh):
    for i in range(len(x)):
        if x[i] > thresh:
            return x[i] * i + np.sum(x[:i] ** 2)
    return np.sum(x)


_add("early_return_in_loop", early_return_in_loop,
     lambda: (np.array([0.1, -0.4, 0.6, 1.7, 0.2]), 1.0))
_add("early_return_in_loop_none", early_return_in_loop,
     lambda: (np.array([0.1, -0.4, 0.6, 0.7, 0.2]), 1.0))


# ---------------------------------------------------------------------------
# Helper functions, keyword/default arguments, closures, lambdas
# ---------------------------------------------------------------------------

def _poly(x, a=1.0, b=0.0, c=0.0):
    return a * x ** 2 + b * x + c


def helper_kwargs_defaults(x, y):
    return np.sum(_poly(x, b=2.0) + _poly(y, 0.5, c=x))


_add("helper_kwargs_defaults", helper_kwargs_defaults,
     lambda: (_normal(30, (4,)), _normal(31, (4,))), (0, 1))


def _affine(x, W, b=None):
    y = x @ W
    if b is not None:
        y = y + b
    return y


def helper_affine(x, W, b):
    return np.sum(np.tanh(_affine(x, W, b=b))) + np.sum(_affine(x, W) ** 2)


_add("helper_affine", helper_affine,
     lambda: (_normal(32, (4, 3)), _normal(33, (3, 2)), _normal(34, (2,))), (0, 1, 2))


def _softplus(z):
    return np.log1p(np.exp(z))


def _loss(pred, target, weight=1.0):
    return weight * np.mean(_softplus(pred) - target * pred)


def helper_nested_calls(w, X, t):
    return _loss(X @ w, t, weight=0.5)


_add("helper_nested_calls", helper_nested_calls,
     lambda: (_normal(35, (3,)), _normal(36, (6, 3)),
              (_normal(37, (6,)) > 0).astype(np.float64)))


def _safe_log(x, eps=1e-3):
    if x > eps:
        return math.log(x)
    return math.log(eps) + (x - eps) / eps


def helper_multiple_returns(x, y):
    return _safe_log(x) * _safe_log(y, eps=0.5)


_add("helper_multiple_returns", helper_multiple_returns, lambda: (1.7, 0.2), (0, 1))


def closure_captures_input(x):
    scale = np.sum(x ** 2)

    def g(y):
        return scale * np.sin(y)

    return np.sum(g(x)) + np.sum(g(2.0 * x))


_add("closure_captures_input", closure_captures_input, lambda: (_normal(38, (4,)),))


def _make_scaler(s):
    def scaler(v):
        return s * v
    return scaler


def closure_from_factory(x, a):
    f = _make_scaler(a)
    return np.sum(f(x) ** 2) + f(a)


_add("closure_from_factory", closure_from_factory, lambda: (_normal(39, (3,)), 1.4), (0, 1))


def lambda_local(x):
    sq = lambda t: t * t  # noqa: E731
    return np.sum(sq(x) + sq(np.cos(x)))


_add("lambda_local", lambda_local, lambda: (_normal(40, (5,)),))


# ---------------------------------------------------------------------------
# Parameters in containers (gradients come back in the same structure)
# ---------------------------------------------------------------------------

def mlp_params_list(params, x, y):
    W1, b1, W2, b2 = params
    h = np.tanh(x @ W1 + b1)
    out = h @ W2 + b2
    return np.mean((out - y) ** 2)


_add("mlp_params_list", mlp_params_list,
     lambda: ([_normal(41, (3, 5), 0.5), _normal(42, (5,), 0.1),
               _normal(43, (5, 2), 0.5), _normal(44, (2,), 0.1)],
              _normal(45, (4, 3)), _normal(46, (4, 2))))


def mlp_params_tuple_loop(params, x):
    h = x
    for W, b in params:
        h = np.tanh(h @ W + b)
    return np.sum(h ** 2)


_add("mlp_params_tuple_loop", mlp_params_tuple_loop,
     lambda: (((_normal(47, (3, 4), 0.5), _normal(48, (4,), 0.1)),
               (_normal(49, (4, 4), 0.5), _normal(50, (4,), 0.1)),
               (_normal(51, (4, 2), 0.5), _normal(52, (2,), 0.1))),
              _normal(53, (5, 3))))


def params_dict(params, x):
    z = x @ params["W"] + params["b"]
    return np.sum(np.log1p(np.exp(z))) + params["scale"] * np.sum(params["W"] ** 2)


_add("params_dict", params_dict,
     lambda: ({"W": _normal(54, (3, 2)), "b": _normal(55, (2,)), "scale": 0.3},
              _normal(56, (4, 3))))


def nested_container(params, x):
    h = x
    for layer in params["layers"]:
        h = np.sin(h @ layer[0] + layer[1])
    return np.dot(h, params["out"])


_add("nested_container", nested_container,
     lambda: ({"layers": [(_normal(57, (3, 3)), _normal(58, (3,))),
                          (_normal(59, (3, 2)), _normal(60, (2,)))],
               "out": _normal(61, (2,))},
              _normal(62, (3,))))


def dict_items_loop(params):
    total = 0.0
    for name, value in params.items():
        if name.startswith("w"):
            total = total + np.sum(value ** 2)
        else:
            total = total + np.sum(np.sin(value))
    return total


_add("dict_items_loop", dict_items_loop,
     lambda: ({"w1": _normal(63, (2, 2)), "bias": _normal(64, (3,)), "w2": _normal(65, (2,))},))


def params_with_nondiff_args(params, x, n_steps, activation):
    W, b = params
    h = x
    for _ in range(n_steps):
        if activation == "tanh":
            h = np.tanh(h @ W + b)
        else:
            h = np.maximum(h @ W + b, 0.0)
    return np.sum(h)


_add("params_with_nondiff_args", params_with_nondiff_args,
     lambda: ((_normal(66, (3, 3), 0.6), _normal(67, (3,), 0.1)), _normal(68, (3,)),
              3, "tanh"))


# ---------------------------------------------------------------------------
# Lists, builtin sum, comprehensions, local dicts
# ---------------------------------------------------------------------------

def list_append_read(x):
    ys = []
    y = x
    for i in range(4):
        y = np.sin(y) + 0.5 * y
        ys.append(y)
    return np.sum(ys[-1] * ys[0]) + np.sum(ys[2])


_add("list_append_read", list_append_read, lambda: (_normal(70, (3,)),))


def builtin_sum_list(x):
    terms = []
    for i in range(len(x)):
        terms.append(x[i] ** (i + 1))
    return sum(terms)


_add("builtin_sum_list", builtin_sum_list, lambda: (_uniform(71, (5,), 0.3, 1.2),))


def comprehensions(x):
    squares = [v ** 2 for v in x]
    return sum(squares) + sum(np.exp(-v) * i for i, v in enumerate(x))


_add("comprehensions", comprehensions, lambda: (_normal(72, (5,)),))


def stack_built_list(x):
    rows = []
    for i in range(3):
        rows.append(x * (i + 1.0))
    M = np.stack(rows)
    vals = np.array([x[0] * x[1], x[2] ** 2])
    return np.sum(np.tanh(M)) + np.sum(vals ** 2)


_add("stack_built_list", stack_built_list, lambda: (_normal(73, (4,)),))


def local_dict(x):
    d = {}
    d["sq"] = x ** 2
    d["cube"] = x ** 3
    return np.sum(d["sq"] + d["cube"] * 0.5)


_add("local_dict", local_dict, lambda: (_normal(74, (4,)),))


# ---------------------------------------------------------------------------
# Indexing reads
# ---------------------------------------------------------------------------

def negative_stepped_slices(x):
    return (np.sum(x[::-1] * x) + np.sum(x[::2] ** 2) - np.sum(x[-3:] ** 3)
            + np.sum(x[-1:0:-2] * x[1::2]))


_add("negative_stepped_slices", negative_stepped_slices, lambda: (_normal(75, (8,)),))


def fancy_index_repeated(x):
    idx = np.array([0, 2, 2, 1, 0, 2])
    return np.sum(x[idx] ** 2 * np.arange(6.0)) + np.sum(x[[3, 3]])


_add("fancy_index_repeated", fancy_index_repeated, lambda: (_normal(76, (4,)),))


def fancy_index_2d(A):
    rows = np.array([0, 2, 2])
    cols = np.array([1, 1, 3])
    return np.sum(A[rows] ** 2) + np.sum(A[rows, cols] * 3.0)


_add("fancy_index_2d", fancy_index_2d, lambda: (_normal(77, (3, 4)),))


# ---------------------------------------------------------------------------
# Item / slice assignment into local arrays
# ---------------------------------------------------------------------------

def item_assign_loop(x):
    n = x.shape[0]
    y = np.zeros(n)
    for i in range(n):
        y[i] = x[i] ** 2 * (i + 1)
    return np.sum(np.sin(y))


_add("item_assign_loop", item_assign_loop, lambda: (_normal(80, (5,)),))


def cumsum_loop(x):
    c = np.empty_like(x)
    c[0] = x[0]
    for i in range(1, x.shape[0]):
        c[i] = c[i - 1] + x[i]
    return np.sum(c ** 2)


_add("cumsum_loop", cumsum_loop, lambda: (_normal(81, (6,)),))


def slice_assign(x):
    y = np.zeros_like(x)
    y[1:] = x[:-1] * 2.0
    y[0] = x[-1]
    y[2:4] = y[2:4] + x[2:4] ** 2
    return np.sum(y * x)


_add("slice_assign", slice_assign, lambda: (_normal(82, (6,)),))


def overwrite_twice(x):
    y = x.copy()
    y[0] = y[0] * 2.0
    y[0] = y[0] + x[1] ** 2
    y[1] = 3.0
    return np.sum(y ** 2)


_add("overwrite_twice", overwrite_twice, lambda: (_normal(83, (4,)),))


def item_assign_2d(A):
    n = A.shape[0]
    B = np.zeros((n, n))
    for i in range(n):
        B[i, :] = A[i] * (i + 1.0)
    B[:, 0] = np.exp(A[:, 1])
    B[1, 2] = A[0, 0] * A[2, 2]
    return np.sum(B ** 2)


_add("item_assign_2d", item_assign_2d, lambda: (_normal(84, (3, 3)),))


# ---------------------------------------------------------------------------
# Augmented assignment and aliasing of fresh local values
# ---------------------------------------------------------------------------

def augassign_scalars(x, y):
    s = x
    s += y
    s -= 0.5 * x
    s *= y
    s /= x + 2.0
    s **= 2
    return s


_add("augassign_scalars", augassign_scalars, lambda: (0.8, 1.3), (0, 1))


def augassign_arrays(x):
    y = x * 1.0
    y += 1.0
    y *= x
    y -= x ** 2 / 2
    y /= 2.0 + x
    y **= 2
    return np.sum(y)


_add("augassign_arrays", augassign_arrays, lambda: (_uniform(85, (5,), 0.1, 1.5),))


def augassign_subscript(x):
    y = np.ones_like(x)
    y[1:3] += x[:2]
    y[0] *= x[3]
    y[-1] -= x[0] ** 2
    y[2] /= x[1]
    y[3] **= 2
    return np.sum(y ** 2)


_add("augassign_subscript", augassign_subscript, lambda: (_uniform(86, (5,), 0.5, 1.5),))


def aliasing_inplace(x):
    y = x * 2.0
    z = y            # z and y are the same (fresh) array
    z += x           # ... so this also changes y
    return np.sum(y * x)


_add("aliasing_inplace", aliasing_inplace, lambda: (_normal(87, (4,)),))


def aliasing_scalar(x):
    s = x * 2.0
    t = s
    t += 1.0         # floats are immutable: s is unchanged
    return s * t


_add("aliasing_scalar", aliasing_scalar, lambda: (0.6,))


def aliasing_item(x):
    y = x.copy()
    z = y
    z[0] = x[1] ** 2
    return np.sum(y * x)


_add("aliasing_item", aliasing_item, lambda: (_normal(88, (4,)),))


def aliasing_accumulator_loop(x):
    acc = np.zeros_like(x)
    view = acc
    for i in range(3):
        view += x ** (i + 1)
    return np.sum(acc * x)


_add("aliasing_accumulator_loop", aliasing_accumulator_loop, lambda: (_normal(89, (4,)),))


def augassign_loop_array(x, W):
    h = np.zeros(W.shape[0])
    for k in range(3):
        h += np.tanh(W @ x + k)
        h *= 0.9
    return np.sum(h ** 2)


_add("augassign_loop_array", augassign_loop_array,
     lambda: (_normal(90, (3,)), _normal(91, (4, 3))), (0, 1))


# ---------------------------------------------------------------------------
# Real programs
# ---------------------------------------------------------------------------

def _oscillator(y, v, omega, damping):
    return v, -omega ** 2 * y - damping * v


def rk4_oscillator(y0, v0, omega, damping):
    dt = 0.05
    y = y0
    v = v0
    for _ in range(50):
        k1y, k1v = _oscillator(y, v, omega, damping)
        k2y, k2v = _oscillator(y + 0.5 * dt * k1y, v + 0.5 * dt * k1v, omega, damping)
        k3y, k3v = _oscillator(y + 0.5 * dt * k2y, v + 0.5 * dt * k2v, omega, damping)
        k4y, k4v = _oscillator(y + dt * k3y, v + dt * k3v, omega, damping)
        y = y + dt / 6.0 * (k1y + 2.0 * k2y + 2.0 * k3y + k4y)
        v = v + dt / 6.0 * (k1v + 2.0 * k2v + 2.0 * k3v + k4v)
    return y ** 2 + 0.5 * v ** 2


_add("rk4_oscillator", rk4_oscillator, lambda: (1.0, 0.2, 1.7, 0.3), (0, 1, 2, 3))


def _lotka_volterra(state, params):
    x, y = state[0], state[1]
    a, b, c, d = params[0], params[1], params[2], params[3]
    return np.array([a * x - b * x * y, c * x * y - d * y])


def rk4_lotka_volterra(state0, params):
    dt = 0.02
    state = state0
    for _ in range(50):
        k1 = _lotka_volterra(state, params)
        k2 = _lotka_volterra(state + 0.5 * dt * k1, params)
        k3 = _lotka_volterra(state + 0.5 * dt * k2, params)
        k4 = _lotka_volterra(state + dt * k3, params)
        state = state + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
    return np.sum(state ** 2)


_add("rk4_lotka_volterra", rk4_lotka_volterra,
     lambda: (np.array([1.0, 0.5]), np.array([1.1, 0.4, 0.1, 0.4])), (0, 1))


def horner(coeffs, x):
    result = 0.0
    for c in coeffs:
        result = result * x + c
    return result


_add("horner", horner, lambda: ([2.0, -1.0, 0.5, 3.0, -0.25], 1.3), (0, 1))


def horner_array(coeffs, x):
    result = np.zeros_like(x)
    for c in coeffs:
        result = result * x + c
    return np.sum(result)


_add("horner_array", horner_array,
     lambda: (np.array([0.5, -1.0, 2.0, 0.1]), _normal(92, (5,))), (0, 1))


def lennard_jones(pos, epsilon=1.0, sigma=1.0):
    n = pos.shape[0]
    energy = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            d = pos[i] - pos[j]
            r2 = np.sum(d * d)
            sr6 = (sigma ** 2 / r2) ** 3
            energy = energy + 4.0 * epsilon * (sr6 * sr6 - sr6)
    return energy


def _lj_args():
    lattice = np.array([[0.0, 0.0, 0.0], [1.12, 0.0, 0.0], [0.0, 1.12, 0.0],
                        [1.12, 1.12, 0.0], [0.56, 0.56, 0.9]])
    return (lattice + _uniform(93, (5, 3), -0.05, 0.05),)


_add("lennard_jones", lennard_jones, _lj_args)


def newton_sqrt(a):
    x = a if a > 1.0 else 1.0
    for _ in range(30):
        x = 0.5 * (x + a / x)
    return x


_add("newton_sqrt", newton_sqrt, lambda: (2.7,))


def newton_sqrt_while(a, tol=1e-14):
    x = a
    while abs(x * x - a) > tol * a:
        x = 0.5 * (x + a / x)
    return x


_add("newton_sqrt_while", newton_sqrt_while, lambda: (7.3,))


def rosenbrock_scipy(x):
    return sum(100.0*(x[1:]-x[:-1]**2.0)**2.0 + (1-x[:-1])**2.0)


_add("rosenbrock_scipy", rosenbrock_scipy, lambda: (_uniform(94, (6,), -1.0, 1.5),))


def rosenbrock_loop(x):
    total = 0.0
    for i in range(len(x) - 1):
        total += 100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2
    return total


_add("rosenbrock_loop", rosenbrock_loop, lambda: (_uniform(95, (6,), -1.0, 1.5),))


def gd_unrolled(lr, w0, X, y):
    w = w0
    n = X.shape[0]
    for _ in range(10):
        g = 2.0 / n * (X.T @ (X @ w - y))
        w = w - lr * g
    return np.mean((X @ w - y) ** 2)


def _gd_args():
    X = _normal(96, (8, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + _normal(97, (8,), 0.1)
    return (0.05, _normal(98, (3,)), X, y)


_add("gd_unrolled", gd_unrolled, _gd_args, (0, 1))


def rnn_forward(Wh, Wx, xs, h0):
    h = h0
    for x_t in xs:
        h = np.tanh(Wh @ h + Wx @ x_t)
    return np.sum(h ** 2)


_add("rnn_forward", rnn_forward,
     lambda: (_normal(99, (4, 4), 0.4), _normal(100, (4, 2), 0.6), _normal(101, (6, 2)),
              _normal(102, (4,), 0.1)), ("Wh", "Wx", "h0"))


def power_iteration(A):
    v = np.ones(A.shape[0]) / np.sqrt(A.shape[0])
    for _ in range(20):
        w = A @ v
        v = w / np.linalg.norm(w)
    return v @ A @ v


def _power_args():
    Q = np.linalg.qr(_normal(103, (4, 4)))[0]
    return (Q @ np.diag([5.0, 1.5, 1.0, 0.5]) @ Q.T + 0.01 * _normal(104, (4, 4)),)


_add("power_iteration", power_iteration, _power_args)


def fibonacci_swap(a, b, n):
    for _ in range(n):
        a, b = b, a + b * 0.5
    return a * b


_add("fibonacci_swap", fibonacci_swap, lambda: (0.3, 0.7, 6), (0, 1))
