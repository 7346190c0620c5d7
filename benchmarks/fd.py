"""Central finite differences, to check hand-written gradients.

``check_gradient(f, args, wrt, grads)`` compares a claimed gradient of the
scalar function ``f`` at ``args`` with central differences
(f(x + h e) - f(x - h e)) / 2h, h = eps**(1/3) * max(1, |x|):

* Python floats and arrays with at most ``max_full`` entries: every entry;
* larger arrays: ``n_entries`` randomly chosen entries plus ``n_dirs``
  random unit directions v (compares the directional derivative with v . g).

The error of one argument is max |fd - analytic| over the checked quantities,
divided by the size of that argument's gradient (max |g| for entries,
||g||_2 for directions), so it is a normwise relative error.

Containers: a list (or tuple) of numbers is checked like a 1-D array (the
function is called with a list again); a list of arrays (``params = [W1, b1,
...]``) element by element, each element like an argument of its own, and
its gradient must be a list (or tuple) of the same length.  The error of the
argument is then the worst of its elements'.
"""

import numpy as np

_EPS = np.finfo(np.float64).eps
_H = _EPS ** (1.0 / 3.0)   # ~6e-6: balances truncation (h^2) and rounding (eps/h)


def _with(args, i, value):
    out = list(args)
    out[i] = value
    return out


def _f(f, args):
    return float(f(*args))


def partial_entry(f, args, i, index=None):
    """d f / d args[i] (a float), or d f / d args[i][index] (an array)."""
    x = args[i]
    if index is None:
        h = _H * max(1.0, abs(x))
        hi = _f(f, _with(args, i, x + h))
        lo = _f(f, _with(args, i, x - h))
        return (hi - lo) / (2 * h)
    x = np.array(x, dtype=np.float64)
    h = _H * max(1.0, abs(x[index]))
    orig = x[index]
    x[index] = orig + h
    hi = _f(f, _with(args, i, x.copy()))
    x[index] = orig - h
    lo = _f(f, _with(args, i, x.copy()))
    return (hi - lo) / (2 * h)


def directional(f, args, i, v):
    """Derivative of f along direction v in args[i] (an array)."""
    x = np.asarray(args[i], dtype=np.float64)
    h = _H * max(1.0, float(np.max(np.abs(x))))
    hi = _f(f, _with(args, i, x + h * v))
    lo = _f(f, _with(args, i, x - h * v))
    return (hi - lo) / (2 * h)


def numerical_gradient(f, args, i):
    """Full central-difference gradient with respect to args[i]."""
    x = args[i]
    if np.ndim(x) == 0 and not isinstance(x, np.ndarray):
        return partial_entry(f, args, i)
    x = np.asarray(x, dtype=np.float64)
    g = np.empty_like(x)
    for index in np.ndindex(x.shape):
        g[index] = partial_entry(f, args, i, index)
    return g


def check_gradient(f, args, wrt, grads, *, max_full=256, n_entries=24,
                   n_dirs=3, seed=0):
    """Compare ``grads`` (one gradient, or a tuple for a tuple ``wrt``) with
    central differences.  Returns (max_rel_err, {position: rel_err})."""
    rng = np.random.default_rng(seed)
    if isinstance(wrt, int):
        wrt, grads = (wrt,), (grads,)
    errors = {}
    for i, g in zip(wrt, grads):
        errors[i] = max(_check_leaf(f2, args2, i, g2, rng, max_full, n_entries, n_dirs)
                        for f2, args2, g2 in _leaves(f, args, i, g))
    return max(errors.values()), errors


def is_number(x):
    return isinstance(x, (float, int)) and not isinstance(x, bool)


def _leaves(f, args, i, g):
    """(function, args, gradient) triples, one per float or array inside
    args[i]; each function takes that float or array at position i."""
    x = args[i]
    if not isinstance(x, (list, tuple)):
        yield f, args, g
        return
    kind = type(x)
    if x and all(is_number(e) for e in x):
        def f_list(*a):
            a = list(a)
            a[i] = kind(np.asarray(a[i], dtype=np.float64).tolist())
            return f(*a)
        g = (np.full(len(x), np.inf) if not isinstance(g, (list, tuple))
             or len(g) != len(x) else np.asarray(g, dtype=np.float64))
        yield f_list, _with(args, i, np.array(x, dtype=np.float64)), g
        return
    if not isinstance(g, (list, tuple)) or len(g) != len(x):
        yield (lambda *a: 0.0), _with(args, i, 0.0), float("inf")
        return
    for j, e in enumerate(x):
        def f_elem(*a, j=j):
            a = list(a)
            items = list(x)
            items[j] = a[i]
            a[i] = kind(items)
            return f(*a)
        yield from _leaves(f_elem, _with(args, i, e), i, g[j])


def _check_leaf(f, args, i, g, rng, max_full, n_entries, n_dirs):
    """Relative error of the gradient g of f with respect to args[i] (a
    float or an array)."""
    x = args[i]
    if not isinstance(x, np.ndarray):          # Python float
        if np.ndim(g) != 0 or not np.isfinite(float(g)):
            return float("inf")
        fd = partial_entry(f, args, i)
        return abs(fd - float(g)) / max(abs(float(g)), 1e-300)
    g = np.asarray(g, dtype=np.float64)
    if g.shape != x.shape or not np.all(np.isfinite(g)):
        return float("inf")
    scale = max(float(np.max(np.abs(g))), 1e-300)
    if x.size <= max_full:
        fd = numerical_gradient(f, args, i)
        return float(np.max(np.abs(fd - g))) / scale
    err = 0.0
    flat = rng.choice(x.size, size=min(n_entries, x.size), replace=False)
    for k in flat:
        index = np.unravel_index(k, x.shape)
        err = max(err, abs(partial_entry(f, args, i, index) - g[index]) / scale)
    norm = max(float(np.linalg.norm(g)), 1e-300)
    for _ in range(n_dirs):
        v = rng.standard_normal(x.shape)
        v /= np.linalg.norm(v)
        err = max(err, abs(directional(f, args, i, v) - float(np.sum(v * g))) / norm)
    return err
