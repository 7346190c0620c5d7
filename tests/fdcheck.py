"""Finite-difference gradient checks for ast_ad, independent of its internals.

Arguments may be Python floats, NumPy floating arrays (including 0-d) and
NumPy floating scalars, or (nested) lists / tuples / dicts of those.  Other
leaves (ints, bools, strings, None, integer arrays) may appear in arguments
that are not differentiated.

Main entry points:

* ``fd_grad(f, args, wrt)``: central differences of a scalar-valued ``f``,
  returned in the same form ``ast_ad.grad(f, wrt=wrt)(*args)`` uses (one
  gradient for an int/str ``wrt``, a tuple for a tuple ``wrt``).
* ``fd_jacobian(f, args, argnum)``: Jacobian of an array-valued ``f`` with
  respect to one array/float argument, shape ``out.shape + arg.shape``.
* ``assert_grad_matches_fd(f, args, wrt)``: calls
  ``ast_ad.grad(f, wrt=wrt)(*args)`` on read-only copies of ``args`` and
  checks the structure, shape and dtype of the result, that no argument was
  mutated, and that the values agree with finite differences.

Tolerances.  The primary estimate is a central difference with step
``h = 1e-6 * max(1, |x|)`` (truncation ~1e-12 * f''', rounding
~eps*|f|/h).  An element passes if
``|ad - fd| <= atol + noise + rtol * |fd|`` with ``rtol=1e-5``,
``atol=1e-7`` and ``noise = 50 * eps * max|f| / h`` (the rounding error the
difference quotient can carry for a function of that magnitude).  Elements
that fail are re-estimated with a fourth-order five-point stencil with step
``1e-3 * max(1, |x|)`` and pass if that estimate agrees to the same
tolerances; a gradient is only reported wrong when it disagrees with both.

Importing this module does not import ast_ad (pytest imports every file
under tests/ for doctests).
"""
import copy
import inspect

import numpy as np

__all__ = [
    "tree_flatten", "tree_unflatten", "readonly_copy", "deep_copy",
    "assert_trees_equal", "resolve_wrt", "fd_grad", "fd_jacobian",
    "check_grad_structure", "assert_close_to_fd", "assert_grad_matches_fd",
]

EPS = float(np.finfo(np.float64).eps)
REL_STEP = 1e-6
REL_STEP_5PT = 1e-3
RTOL = 1e-5
ATOL = 1e-7
NOISE_FACTOR = 50.0


# ---------------------------------------------------------------------------
# Pytrees: nested list / tuple / dict containers with leaves
# ---------------------------------------------------------------------------

def tree_flatten(x):
    """Return ``(leaves, spec)``; ``tree_unflatten(spec, leaves)`` rebuilds."""
    leaves = []
    spec = _flatten(x, leaves)
    return leaves, spec


def _flatten(x, leaves):
    if isinstance(x, dict):
        return ("dict", type(x), [(k, _flatten(v, leaves)) for k, v in x.items()])
    if isinstance(x, (list, tuple)):
        return ("seq", type(x), [_flatten(v, leaves) for v in x])
    leaves.append(x)
    return ("leaf", len(leaves) - 1)


def tree_unflatten(spec, leaves):
    kind = spec[0]
    if kind == "dict":
        return spec[1]((k, tree_unflatten(s, leaves)) for k, s in spec[2])
    if kind == "seq":
        items = [tree_unflatten(s, leaves) for s in spec[2]]
        t = spec[1]
        if t is list or t is tuple:
            return t(items)
        if hasattr(t, "_fields"):          # namedtuple
            return t(*items)
        return t(items)
    return leaves[spec[1]]


def _copy_leaf(x, readonly=False):
    if isinstance(x, np.ndarray):
        y = np.array(x, copy=True)
        if readonly:
            y.setflags(write=False)
        return y
    return copy.deepcopy(x)


def deep_copy(tree):
    leaves, spec = tree_flatten(tree)
    return tree_unflatten(spec, [_copy_leaf(v) for v in leaves])


def readonly_copy(tree):
    """Deep copy in which every ndarray is read-only."""
    leaves, spec = tree_flatten(tree)
    return tree_unflatten(spec, [_copy_leaf(v, readonly=True) for v in leaves])


def assert_trees_equal(actual, expected, what="value", path="args"):
    """Exact equality of structure, leaf types and contents."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{what}: {path} is no longer a dict"
        assert list(actual.keys()) == list(expected.keys()), \
            f"{what}: keys of {path} changed: {list(actual)} != {list(expected)}"
        for k in expected:
            assert_trees_equal(actual[k], expected[k], what, f"{path}[{k!r}]")
        return
    if isinstance(expected, (list, tuple)):
        assert type(actual) is type(expected), \
            f"{what}: {path} changed type {type(expected).__name__} -> {type(actual).__name__}"
        assert len(actual) == len(expected), f"{what}: length of {path} changed"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_trees_equal(a, e, what, f"{path}[{i}]")
        return
    if isinstance(expected, np.ndarray):
        assert isinstance(actual, np.ndarray), f"{what}: {path} is no longer an ndarray"
        assert actual.shape == expected.shape and actual.dtype == expected.dtype, \
            f"{what}: {path} changed shape/dtype"
        assert np.array_equal(actual, expected, equal_nan=True), f"{what}: {path} changed contents"
        return
    assert type(actual) is type(expected), f"{what}: {path} changed type"
    if isinstance(expected, float) and np.isnan(expected):
        assert np.isnan(actual), f"{what}: {path} changed"
    else:
        assert actual == expected, f"{what}: {path} changed {expected!r} -> {actual!r}"


# ---------------------------------------------------------------------------
# wrt handling
# ---------------------------------------------------------------------------

def resolve_wrt(f, wrt, nargs=None):
    """Return ``(positions, is_tuple)`` for an int / str / tuple ``wrt``."""
    is_tuple = isinstance(wrt, tuple)
    items = wrt if is_tuple else (wrt,)
    names = None
    positions = []
    for item in items:
        if isinstance(item, str):
            if names is None:
                names = [p.name for p in inspect.signature(f).parameters.values()
                         if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
            if item not in names:
                raise ValueError(f"{item!r} is not a positional parameter of {f.__name__}")
            positions.append(names.index(item))
        elif isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            pos = int(item)
            if nargs is not None and pos < 0:
                pos += nargs
            positions.append(pos)
        else:
            raise TypeError(f"bad wrt item {item!r}")
    return positions, is_tuple


# ---------------------------------------------------------------------------
# Finite differences
# ---------------------------------------------------------------------------

def _is_float_leaf(x):
    if isinstance(x, bool):
        return False
    if isinstance(x, (float, np.floating)):
        return True
    return isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.floating)


def _scalar_output(out):
    a = np.asarray(out)
    if a.size != 1 or a.ndim != 0:
        raise ValueError(f"function must return a scalar, got shape {a.shape}")
    if not np.issubdtype(a.dtype, np.floating) and not np.issubdtype(a.dtype, np.integer):
        raise ValueError(f"function returned a non-real value of dtype {a.dtype}")
    return float(a)


def _leaf_elements(leaf):
    """Indices to perturb and the float64 value at each."""
    if isinstance(leaf, np.ndarray):
        return list(np.ndindex(leaf.shape))
    return [()]


def _perturbed(leaf, idx, delta):
    """A copy of ``leaf`` with element ``idx`` moved by ``delta``; same type."""
    if isinstance(leaf, np.ndarray):
        y = np.array(leaf, dtype=np.float64, copy=True)
        y[idx] += delta
        return y.astype(leaf.dtype, copy=False)
    if type(leaf) is float:
        return float(leaf) + delta
    return type(leaf)(float(leaf) + delta)


def _leaf_value(leaf, idx):
    return float(np.asarray(leaf, dtype=np.float64)[idx])


def _directional_evaluator(f, args, pos):
    """Return (leaves, evaluate(leaf_index, elem_index, delta)) for args[pos]."""
    leaves, spec = tree_flatten(args[pos])

    def evaluate(li, idx, delta):
        new_leaves = list(leaves)
        new_leaves[li] = _perturbed(leaves[li], idx, delta)
        new_args = list(args)
        new_args[pos] = tree_unflatten(spec, new_leaves)
        return _scalar_output(f(*new_args))

    return leaves, spec, evaluate


def _fd_arg(f, args, pos, rel_step, stencil):
    """FD gradient of f w.r.t. args[pos], plus per-element noise estimates.

    Returns (grad_tree, noise_tree) where both have the structure of args[pos]
    and float64 leaves (arrays for arrays, Python floats for scalars).
    """
    leaves, spec, evaluate = _directional_evaluator(f, args, pos)
    f0 = abs(_scalar_output(f(*args)))
    g_leaves, n_leaves = [], []
    for li, leaf in enumerate(leaves):
        if not _is_float_leaf(leaf):
            raise TypeError(f"cannot differentiate with respect to a leaf of type "
                            f"{type(leaf).__name__} in argument {pos}")
        shape = np.shape(leaf)
        g = np.zeros(shape)
        noise = np.zeros(shape)
        for idx in _leaf_elements(leaf):
            x = _leaf_value(leaf, idx)
            h = rel_step * max(1.0, abs(x))
            # use the step actually representable in the argument
            h = (x + h) - x
            if stencil == 2:
                fp = evaluate(li, idx, h)
                fm = evaluate(li, idx, -h)
                g[idx] = (fp - fm) / (2.0 * h)
                fmax = max(f0, abs(fp), abs(fm))
                noise[idx] = NOISE_FACTOR * EPS * fmax / h
            elif stencil == 4:
                fp1, fm1 = evaluate(li, idx, h), evaluate(li, idx, -h)
                fp2, fm2 = evaluate(li, idx, 2.0 * h), evaluate(li, idx, -2.0 * h)
                g[idx] = (-fp2 + 8.0 * fp1 - 8.0 * fm1 + fm2) / (12.0 * h)
                fmax = max(f0, abs(fp1), abs(fm1), abs(fp2), abs(fm2))
                noise[idx] = NOISE_FACTOR * EPS * fmax / h
            else:
                raise ValueError("stencil must be 2 or 4")
        if isinstance(leaf, np.ndarray):
            g_leaves.append(g)
            n_leaves.append(noise)
        else:
            g_leaves.append(float(g))
            n_leaves.append(float(noise))
    return tree_unflatten(spec, g_leaves), tree_unflatten(spec, n_leaves)


def fd_grad(f, args, wrt=0, rel_step=REL_STEP, stencil=2):
    """Finite-difference gradient in the same form as ``ast_ad.grad``."""
    args = tuple(args)
    positions, is_tuple = resolve_wrt(f, wrt, len(args))
    grads = tuple(_fd_arg(f, args, p, rel_step, stencil)[0] for p in positions)
    return grads if is_tuple else grads[0]


def fd_jacobian(f, args, argnum=0, rel_step=REL_STEP):
    """Central-difference Jacobian of an array-valued f w.r.t. args[argnum].

    ``args[argnum]`` must be a float or floating array; the result has shape
    ``np.shape(f(*args)) + np.shape(args[argnum])``.
    """
    args = list(args)
    x = args[argnum]
    if not _is_float_leaf(x):
        raise TypeError("fd_jacobian needs a float or floating-array argument")
    out0 = np.asarray(f(*args), dtype=np.float64)
    jac = np.zeros(out0.shape + np.shape(x))
    for idx in _leaf_elements(x):
        xv = _leaf_value(x, idx)
        h = rel_step * max(1.0, abs(xv))
        h = (xv + h) - xv
        args[argnum] = _perturbed(x, idx, h)
        fp = np.asarray(f(*args), dtype=np.float64)
        args[argnum] = _perturbed(x, idx, -h)
        fm = np.asarray(f(*args), dtype=np.float64)
        jac[(Ellipsis,) + tuple(idx)] = (fp - fm) / (2.0 * h)
    args[argnum] = x
    return jac


# ---------------------------------------------------------------------------
# Structure checks
# ---------------------------------------------------------------------------

def _is_python_float_like(g):
    """A Python float (np.float64 included), a NumPy floating scalar or a 0-d
    floating array: what a gradient w.r.t. a Python float may be."""
    if isinstance(g, bool):
        return False
    if isinstance(g, (float, np.floating)):
        return True
    return isinstance(g, np.ndarray) and g.shape == () and np.issubdtype(g.dtype, np.floating)


def check_grad_structure(g, x, path="grad"):
    """Assert ``g`` has the structure of ``x``: same containers, arrays with the
    same shape and dtype, floats as floats or 0-d values."""
    if isinstance(x, dict):
        assert isinstance(g, dict), f"{path}: expected a dict gradient, got {type(g).__name__}"
        assert set(g.keys()) == set(x.keys()), \
            f"{path}: gradient keys {sorted(map(str, g))} != argument keys {sorted(map(str, x))}"
        for k in x:
            check_grad_structure(g[k], x[k], f"{path}[{k!r}]")
        return
    if isinstance(x, (list, tuple)):
        want = list if isinstance(x, list) else tuple
        assert isinstance(g, want), \
            f"{path}: expected a {want.__name__} gradient, got {type(g).__name__}"
        assert len(g) == len(x), f"{path}: gradient has {len(g)} entries, argument {len(x)}"
        for i, (gi, xi) in enumerate(zip(g, x)):
            check_grad_structure(gi, xi, f"{path}[{i}]")
        return
    if isinstance(x, np.ndarray):
        assert isinstance(g, (np.ndarray, np.generic)), \
            f"{path}: expected an ndarray gradient, got {type(g).__name__}"
        assert np.shape(g) == x.shape, f"{path}: gradient shape {np.shape(g)} != argument shape {x.shape}"
        assert g.dtype == x.dtype, f"{path}: gradient dtype {g.dtype} != argument dtype {x.dtype}"
        assert np.all(np.isfinite(g)), f"{path}: gradient is not finite: {g}"
        return
    if isinstance(x, (float, np.floating)) and not isinstance(x, bool):
        assert _is_python_float_like(g), \
            f"{path}: gradient of a float must be a float or a 0-d value, got {type(g).__name__} {g!r}"
        assert np.isfinite(float(g)), f"{path}: gradient is not finite: {g}"
        return
    raise TypeError(f"{path}: argument leaf of type {type(x).__name__} is not differentiable")


# ---------------------------------------------------------------------------
# Comparison with FD
# ---------------------------------------------------------------------------

def _compare_leaves(ad, fd, noise, rtol, atol):
    ad = np.asarray(ad, dtype=np.float64)
    fd = np.asarray(fd, dtype=np.float64)
    err = np.abs(ad - fd)
    tol = atol + np.asarray(noise) + rtol * np.abs(fd)
    return err <= tol, err, tol


def assert_close_to_fd(f, args, wrt, g, rtol=RTOL, atol=ATOL, label=""):
    """Compare gradient ``g`` (already structure-checked, in ast_ad.grad form)
    with finite differences of ``f``; raise AssertionError on disagreement."""
    args = tuple(args)
    positions, is_tuple = resolve_wrt(f, wrt, len(args))
    gs = g if is_tuple else (g,)
    problems = []
    for k, (pos, gk) in enumerate(zip(positions, gs)):
        fd2, noise2 = _fd_arg(f, args, pos, REL_STEP, 2)
        ad_leaves, _ = tree_flatten(gk)
        fd_leaves, _ = tree_flatten(fd2)
        nz_leaves, _ = tree_flatten(noise2)
        fd4_leaves = nz4_leaves = None
        for li, (a, d, nz) in enumerate(zip(ad_leaves, fd_leaves, nz_leaves)):
            ok, err, tol = _compare_leaves(a, d, nz, rtol, atol)
            if np.all(ok):
                continue
            if fd4_leaves is None:
                fd4, noise4 = _fd_arg(f, args, pos, REL_STEP_5PT, 4)
                fd4_leaves, _ = tree_flatten(fd4)
                nz4_leaves, _ = tree_flatten(noise4)
            ok4, err4, tol4 = _compare_leaves(a, fd4_leaves[li], nz4_leaves[li], rtol, atol)
            bad = ~(ok | ok4)
            if np.any(bad):
                a_arr = np.broadcast_to(np.asarray(a, dtype=np.float64), err.shape)
                d_arr = np.asarray(d, dtype=np.float64)
                d4_arr = np.asarray(fd4_leaves[li], dtype=np.float64)
                idxs = [tuple(i) for i in np.argwhere(bad)][:5]
                details = ", ".join(
                    f"{i}: ad={a_arr[i]:.10g} fd={d_arr[i]:.10g} fd5={d4_arr[i]:.10g}"
                    for i in idxs)
                problems.append(
                    f"wrt[{k}] (argument {pos}) leaf {li}: {int(np.sum(bad))} of "
                    f"{bad.size} elements differ; {details}")
    if problems:
        raise AssertionError(f"{label}gradient disagrees with finite differences:\n  "
                             + "\n  ".join(problems))


def assert_grad_matches_fd(f, args, wrt=0, *, rtol=RTOL, atol=ATOL, grad=None):
    """Check ``grad(f, wrt=wrt)(*args)`` against finite differences.

    ``grad`` defaults to ``ast_ad.grad``; pass another callable with the same
    signature to test this helper itself (or to check ``value_and_grad``
    through an adapter).  Returns the gradient.
    """
    if grad is None:
        import ast_ad
        grad = ast_ad.grad
    args = tuple(args)
    label = f"{getattr(f, '__name__', f)}: "
    positions, is_tuple = resolve_wrt(f, wrt, len(args))
    snapshot = deep_copy(args)
    call_args = readonly_copy(args)
    call_snapshot = deep_copy(call_args)

    g = grad(f, wrt=wrt)(*call_args)

    # Inputs must not be mutated (arrays are read-only; containers are checked).
    assert_trees_equal(call_args, call_snapshot, what=label + "argument mutated by gradient call")
    assert_trees_equal(args, snapshot, what=label + "argument mutated by gradient call")

    if is_tuple:
        assert isinstance(g, tuple), \
            f"{label}wrt={wrt!r} is a tuple, so grad must return a tuple; got {type(g).__name__}"
        assert len(g) == len(positions), \
            f"{label}wrt={wrt!r} asks for {len(positions)} gradients; got {len(g)}"
        gs = g
    else:
        gs = (g,)
    for k, (pos, gk) in enumerate(zip(positions, gs)):
        check_grad_structure(gk, args[pos], path=f"{label}grad[wrt {wrt!r} item {k}]")

    assert_close_to_fd(f, args, wrt, g, rtol=rtol, atol=atol, label=label)
    return g
