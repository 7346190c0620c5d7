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
        x = args[i]
        if not isinstance(x, np.ndarray):          # Python float
            fd = partial_entry(f, args, i)
            errors[i] = abs(fd - float(g)) / max(abs(float(g)), 1e-300)
            continue
        g = np.asarray(g, dtype=np.float64)
        if g.shape != x.shape:
            errors[i] = float("inf")
            continue
        scale = max(float(np.max(np.abs(g))), 1e-300)
        if x.size <= max_full:
            fd = numerical_gradient(f, args, i)
            errors[i] = float(np.max(np.abs(fd - g))) / scale
            continue
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
        errors[i] = err
    return max(errors.values()), errors
