"""Checking derivatives against finite differences: `check_grads` (the
checker users know from autograd and JAX) and the finite differences it,
the command line's ``check`` and the benchmarks use.

    >>> import ast_ad, numpy as np
    >>> def f(x):
    ...     return np.sum(np.sin(x) * x)
    >>> ast_ad.check_grads(f)(np.array([0.1, 0.7, -1.2]))     # raises if wrong

Finite differences are central differences with step ``h = 1e-6 * max(1,
|x|)``.  An element agrees if ``|ad - fd| <= atol + noise + rtol * |fd|``,
where ``noise = 50 * eps * max|f| / h`` is the rounding error the quotient
can carry; an element that disagrees is estimated again with a fourth-order
five-point stencil (step ``1e-3 * max(1, |x|)``), and is reported only when
it disagrees with both.
"""
from __future__ import annotations

import copy

import numpy as np

EPS = float(np.finfo(np.float64).eps)
REL_STEP = 1e-6
REL_STEP_5PT = 1e-3
NOISE_FACTOR = 50.0


class GradientCheckError(AssertionError):
    """A derivative disagrees with finite differences: raised by
    `check_grads`, with the worst disagreements in its message.

    >>> import ast_ad
    >>> @ast_ad.primitive
    ... def square(x):
    ...     return x * x
    >>> _ = ast_ad.defvjp(square, lambda g, ans, x: g * x)     # (should be 2 x)
    >>> def f(x):
    ...     return square(x)
    >>> try:
    ...     ast_ad.check_grads(f, modes=("rev",), order=1)(1.5)
    ... except ast_ad.GradientCheckError:
    ...     print("the rule is wrong")
    the rule is wrong
    """


# ---------------------------------------------------------------- pytrees

def tree_flatten(x):
    """``(leaves, spec)`` of nested lists, tuples and dicts; `tree_unflatten`
    rebuilds."""
    leaves = []
    return leaves, _flatten(x, leaves)


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


def is_float_leaf(x):
    if isinstance(x, bool):
        return False
    if isinstance(x, (float, np.floating)):
        return True
    return isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.floating)


def _scalar(out):
    a = np.asarray(out)
    if a.ndim != 0:
        raise ValueError(f"the function must return a scalar here, not shape {a.shape}")
    return float(a)


def _perturbed(leaf, idx, delta):
    """A copy of `leaf` with element `idx` moved by `delta` (same type)."""
    if isinstance(leaf, np.ndarray):
        y = np.array(leaf, dtype=np.float64, copy=True)
        y[idx] += delta
        return y.astype(leaf.dtype, copy=False)
    if type(leaf) is float:
        return float(leaf) + delta
    return type(leaf)(float(leaf) + delta)


# ------------------------------------------------------ finite differences

def fd_gradient(f, args, pos, rel_step=REL_STEP, stencil=2):
    """Central-difference gradient of scalar `f` w.r.t. ``args[pos]`` (any
    nesting of lists, tuples and dicts of floats and float arrays), and the
    rounding noise of each element: ``(gradient, noise)``, both shaped like
    ``args[pos]``.  `f` is called on copies: it may update its arguments."""
    args = list(args)
    leaves, spec = tree_flatten(args[pos])

    def evaluate(li, idx, delta):
        new = list(leaves)
        new[li] = _perturbed(leaves[li], idx, delta)
        call = copy.deepcopy(args)
        call[pos] = tree_unflatten(spec, new)
        return _scalar(f(*call))

    f0 = abs(_scalar(f(*copy.deepcopy(args))))
    grads, noises = [], []
    for li, leaf in enumerate(leaves):
        if not is_float_leaf(leaf):
            raise TypeError(f"cannot take finite differences with respect to a "
                            f"{type(leaf).__name__} (argument {pos})")
        g, noise = np.zeros(np.shape(leaf)), np.zeros(np.shape(leaf))
        for idx in (np.ndindex(np.shape(leaf)) if isinstance(leaf, np.ndarray) else [()]):
            x = float(np.asarray(leaf, dtype=np.float64)[idx])
            h = rel_step * max(1.0, abs(x))
            h = (x + h) - x              # (the step the argument can represent)
            if stencil == 2:
                fp, fm = evaluate(li, idx, h), evaluate(li, idx, -h)
                g[idx] = (fp - fm) / (2.0 * h)
                fmax = max(f0, abs(fp), abs(fm))
            else:
                fp1, fm1 = evaluate(li, idx, h), evaluate(li, idx, -h)
                fp2, fm2 = evaluate(li, idx, 2.0 * h), evaluate(li, idx, -2.0 * h)
                g[idx] = (-fp2 + 8.0 * fp1 - 8.0 * fm1 + fm2) / (12.0 * h)
                fmax = max(f0, abs(fp1), abs(fm1), abs(fp2), abs(fm2))
            noise[idx] = NOISE_FACTOR * EPS * fmax / h
        grads.append(g if isinstance(leaf, np.ndarray) else float(g))
        noises.append(noise if isinstance(leaf, np.ndarray) else float(noise))
    return tree_unflatten(spec, grads), tree_unflatten(spec, noises)


def compare_to_fd(f, args, pos, ad, rtol=1e-5, atol=1e-7):
    """Problems (strings) where gradient `ad` of scalar `f` w.r.t.
    ``args[pos]`` disagrees with finite differences (see the module
    docstring for the tolerance); an empty list when it agrees."""
    fd2, noise2 = fd_gradient(f, args, pos)
    ad_leaves, _ = tree_flatten(ad)
    fd_leaves, _ = tree_flatten(fd2)
    nz_leaves, _ = tree_flatten(noise2)
    fd4_leaves = nz4_leaves = None
    problems = []
    for li, (a, d, nz) in enumerate(zip(ad_leaves, fd_leaves, nz_leaves)):
        ok, err = _agree(a, d, nz, rtol, atol)
        if np.all(ok):
            continue
        if fd4_leaves is None:
            fd4, noise4 = fd_gradient(f, args, pos, REL_STEP_5PT, 4)
            fd4_leaves, _ = tree_flatten(fd4)
            nz4_leaves, _ = tree_flatten(noise4)
        ok4, _ = _agree(a, fd4_leaves[li], nz4_leaves[li], rtol, atol)
        bad = ~(ok | ok4)
        if np.any(bad):
            a_arr = np.broadcast_to(np.asarray(a, dtype=np.float64), err.shape)
            d_arr = np.asarray(d, dtype=np.float64)
            idxs = [tuple(i) for i in np.argwhere(bad)][:5]
            details = ", ".join(f"{i}: ad={a_arr[i]:.10g} fd={d_arr[i]:.10g}" for i in idxs)
            problems.append(f"argument {pos}, leaf {li}: {int(np.sum(bad))} of {bad.size} "
                            f"elements differ; {details}")
    return problems


def _agree(ad, fd, noise, rtol, atol):
    ad = np.asarray(ad, dtype=np.float64)
    fd = np.asarray(fd, dtype=np.float64)
    err = np.abs(ad - fd)
    return err <= atol + np.asarray(noise) + rtol * np.abs(fd), err


# ------------------------------------------------------------ check_grads

def check_grads(f, modes=("fwd", "rev"), order=2, wrt=None, rtol=1e-5, atol=1e-7, seed=0):
    """A checker of `f`'s derivatives: ``check_grads(f)(*args)`` compares
    every mode in `modes` ("fwd": jvp, "rev": grad or vjp) up to `order`
    (2 adds Hessian-vector products, for scalar results) with finite
    differences at `args`, and raises GradientCheckError with the worst
    disagreements.  `wrt` (positions or names) defaults to every argument
    made of floats.  Directions and cotangents are random, from `seed`.

    Parameters:
        f: the function (as for `grad`).
        modes: a subset of ("fwd", "rev").
        order: 1 or 2.
        wrt: an int, a name or a tuple of them; None for every float argument.
        rtol, atol: the tolerance (plus the finite differences' rounding
            noise, see the module docstring).
    Returns: a function of `f`'s arguments that returns None, or raises.

    >>> import ast_ad, math
    >>> def f(x, y):
    ...     return math.sin(x) * y ** 2
    >>> ast_ad.check_grads(f)(0.3, 1.2)
    """
    from . import api, api_forward

    def checker(*args):
        args = tuple(args)
        if wrt is None:
            positions = tuple(i for i, a in enumerate(args) if _all_float(a))
        else:
            positions, _ = api._normalize_wrt(f, wrt)
        if not positions:
            raise GradientCheckError("check_grads: no argument of floats to check")
        out = f(*copy.deepcopy(args))
        scalar = np.ndim(out) == 0 and not isinstance(out, (list, tuple, dict))
        rng = np.random.default_rng(seed)
        problems = []
        if "rev" in modes:
            problems += _check_rev(f, args, positions, out, scalar, rng, rtol, atol)
        if "fwd" in modes:
            problems += _check_fwd(f, args, positions, rng, rtol, atol)
        if order >= 2 and scalar:
            for p in positions:
                if isinstance(args[p], (list, tuple, dict)):
                    continue
                v = _random_like(args[p], rng)
                hv = api_forward.hvp(f, wrt=p)(*copy.deepcopy(args), v)
                gfun = api.grad(f, wrt=p)

                def along(t, p=p, v=v, gfun=gfun):
                    moved = list(copy.deepcopy(args))
                    moved[p] = moved[p] + t * v
                    return gfun(*moved)
                problems += [f"hvp w.r.t. argument {p}: {m}"
                             for m in _directional(along, hv, rtol, atol)]
        if problems:
            raise GradientCheckError(f"{getattr(f, '__name__', 'f')}: derivatives disagree "
                                     "with finite differences:\n  " + "\n  ".join(problems))
    return checker


def _all_float(a):
    leaves, _ = tree_flatten(a)
    return bool(leaves) and all(is_float_leaf(x) for x in leaves)


def _random_like(x, rng):
    leaves, spec = tree_flatten(x)
    out = []
    for leaf in leaves:
        r = rng.normal(size=np.shape(leaf))
        out.append(r.astype(leaf.dtype) if isinstance(leaf, np.ndarray) else float(r))
    return tree_unflatten(spec, out)


def _dot(a, b):
    la, _ = tree_flatten(a)
    lb, _ = tree_flatten(b)
    return sum(float(np.sum(np.asarray(x, float) * np.asarray(y, float))) for x, y in zip(la, lb))


def _check_rev(f, args, positions, out, scalar, rng, rtol, atol):
    from . import api
    problems = []
    if scalar:
        grads = api.grad(f, wrt=tuple(positions))(*copy.deepcopy(args))
        scalar_f = f
    else:
        u = _random_like(out, rng)
        _, vjp_fn = api.vjp(f, *copy.deepcopy(args))
        all_grads = vjp_fn(u)
        grads = tuple(all_grads[p] for p in positions)

        def scalar_f(*a):
            return _dot(u, f(*a))
    for p, g in zip(positions, grads):
        problems += [f"reverse mode: {m}" for m in compare_to_fd(scalar_f, args, p, g, rtol,
                                                                  atol)]
    return problems


def _check_fwd(f, args, positions, rng, rtol, atol):
    from . import api_forward
    problems = []
    for p in positions:
        v = _random_like(args[p], rng)
        tangents = tuple(v if k == p else None for k in range(len(args)))
        _, t = api_forward.jvp(f, copy.deepcopy(args), tangents)

        def along(s, p=p, v=v):
            moved = list(copy.deepcopy(args))
            leaves, spec = tree_flatten(moved[p])
            vl, _ = tree_flatten(v)
            moved[p] = tree_unflatten(spec, [x + s * d for x, d in zip(leaves, vl)])
            return f(*moved)
        problems += [f"forward mode w.r.t. argument {p}: {m}"
                     for m in _directional(along, t, rtol, atol)]
    return problems


def _directional(along, ad, rtol, atol):
    """Compare `ad` with the central difference of ``along(t)`` at t = 0
    (second-order stencil, then the fourth-order one where they differ)."""
    h = REL_STEP
    fp, fm = along(h), along(-h)
    fd = _tree_map2(lambda a, b: (np.asarray(a, float) - np.asarray(b, float)) / (2 * h), fp, fm)
    scale = max([float(np.max(np.abs(np.asarray(x, float)))) if np.size(x) else 0.0
                 for x in tree_flatten(fp)[0] + tree_flatten(fm)[0]] + [0.0])
    noise = NOISE_FACTOR * EPS * scale / h
    if _tree_agrees(ad, fd, noise, rtol, atol):
        return []
    H = REL_STEP_5PT
    f1, f2, f3, f4 = along(2 * H), along(H), along(-H), along(-2 * H)
    fd4 = _tree_map4(lambda a, b, c, d: (-np.asarray(a, float) + 8 * np.asarray(b, float)
                                         - 8 * np.asarray(c, float) + np.asarray(d, float))
                     / (12 * H), f1, f2, f3, f4)
    if _tree_agrees(ad, fd4, NOISE_FACTOR * EPS * scale / H, rtol, atol):
        return []
    la, _ = tree_flatten(ad)
    lf, _ = tree_flatten(fd)
    worst = max(float(np.max(np.abs(np.asarray(a, float) - np.asarray(b, float))))
                for a, b in zip(la, lf))
    return [f"largest difference {worst:.3g} (ad {np.asarray(la[0]).ravel()[:4]}, "
            f"fd {np.asarray(lf[0]).ravel()[:4]})"]


def _tree_map2(fn, a, b):
    la, spec = tree_flatten(a)
    lb, _ = tree_flatten(b)
    return tree_unflatten(spec, [fn(x, y) for x, y in zip(la, lb)])


def _tree_map4(fn, a, b, c, d):
    la, spec = tree_flatten(a)
    lb, lc, ld = tree_flatten(b)[0], tree_flatten(c)[0], tree_flatten(d)[0]
    return tree_unflatten(spec, [fn(*z) for z in zip(la, lb, lc, ld)])


def _tree_agrees(ad, fd, noise, rtol, atol):
    la, _ = tree_flatten(ad)
    lf, _ = tree_flatten(fd)
    if len(la) != len(lf):
        return False
    return all(np.all(_agree(a, b, noise, rtol, atol)[0]) for a, b in zip(la, lf))
