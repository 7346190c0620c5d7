"""Forward-mode API: `jvp` and `jacobian`.

``jvp(f, primals, tangents)`` returns ``(f(*primals), J·tangents)``.  The
tangent function is generated once per argument kinds (and cached, like
`grad`): ``jvp_f(*primals, *tangents)``.  A tangent given as ``None`` marks
an argument as not differentiated (no tangent parameter is generated for it).

``jacobian(f, wrt=0, mode="rev")`` returns a function computing the Jacobian
of `f` (shape: output shape + input shape), with forward mode (``"fwd"``,
one jvp call per input direction) or reverse mode (``"rev"``, one vjp call per
output direction).  Either way `f` is transformed once, not once per call or
per direction.

>>> import math
>>> import ast_ad
>>> def f(x1, x2):
...     return math.log(x1) + x1 * x2 - math.sin(x2)
>>> out, t = jvp(f, (2.0, 5.0), (1.0, 0.0))
>>> round(t, 6)
5.5
"""
from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, Optional, Sequence, Tuple, Union, overload

import numpy as np

from .api import Jit, Wrt, _Transform, _normalize_wrt, complete_args
from .callables import python_function
from .display import Shown, source_code
from .errors import DifferentiationError
from .runtime import zeros_like


class _JVP(_Transform):
    """The generated ``jvp_f(*primals, *tangents) -> (out, tangent_out)``."""

    mode = "forward"
    _display_kind = "jvp"

    def _call_args(self, args):
        # (compiled for tangents of their primals' types, jit.py; a tangent
        # of another type gets its own compilation at its first call)
        return tuple(args) + tuple(zeros_like(args[i]) for i in self.wrt)


def _check_tangent(k, p, t):
    if isinstance(p, np.ndarray) or isinstance(t, np.ndarray):
        if np.shape(p) != np.shape(t):
            raise DifferentiationError(
                f"jvp: tangent {k} has shape {np.shape(t)}, but its primal has shape "
                f"{np.shape(p)}; a tangent has the shape of its primal")


def jvp(fun: Callable[..., Any], primals: Sequence[Any],
        tangents: Sequence[Any], *, jit: Optional[Jit] = None) -> Tuple[Any, Any]:
    """The Jacobian-vector product (directional derivative) of `fun` at
    `primals` along `tangents`, in forward mode: one pass, no tape.

    Parameters
    ----------
    fun : callable
        As for `grad` (any output: a number, an array, a tuple of them).
    primals : tuple
        The arguments.
    tangents : tuple
        One tangent per primal, of its shape; ``None`` leaves that argument
        out of the differentiation.
    jit : bool or "auto"
        As for `grad`: compile the code with Numba.

    Returns
    -------
    (out, tangent_out)
        ``fun(*primals)`` and J·tangents, of the structure of `out`.

    Examples
    --------
    >>> import math, ast_ad
    >>> def f(x1, x2):
    ...     return math.log(x1) + x1 * x2 - math.sin(x2)
    >>> out, t = ast_ad.jvp(f, (2.0, 5.0), (1.0, 0.0))
    >>> round(out, 3), t
    (11.652, 5.5)
    """
    fun = python_function(fun)
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise DifferentiationError(f"jvp: {len(primals)} primals but {len(tangents)} tangents; "
                                   "give one tangent per primal (None for no tangent)")
    full = complete_args(fun, primals)
    tangents += (None,) * (len(full) - len(primals))
    primals = full
    positions = tuple(i for i, t in enumerate(tangents) if t is not None)
    for k in positions:
        _check_tangent(k, primals[k], tangents[k])
    # (the transformation itself is cached per function and argument kinds)
    gen = _JVP(fun, positions, jit)._generated(primals)
    return gen(*primals, *(tangents[i] for i in positions))


def _leaves(x):
    """The numbers and arrays in `x` (nested lists, tuples and dicts), in
    order: dict values in insertion order."""
    if isinstance(x, (list, tuple)):
        return [leaf for e in x for leaf in _leaves(e)]
    if isinstance(x, dict):
        return [leaf for v in x.values() for leaf in _leaves(v)]
    return [x]


def _rebuild(like, leaves):
    """`like`'s structure, its leaves taken in order from the iterator
    `leaves`."""
    if isinstance(like, (list, tuple)):
        items = [_rebuild(e, leaves) for e in like]
        if isinstance(like, list):
            return items
        return type(like)(*items) if hasattr(like, "_fields") else type(like)(items)
    if isinstance(like, dict):
        return {k: _rebuild(v, leaves) for k, v in like.items()}
    return next(leaves)


def _basis(x):
    """The unit directions of `x` (a float or a float array), in C order."""
    if isinstance(x, np.ndarray):
        dtype = x.dtype if x.dtype.kind in "fc" else np.float64
        for idx in np.ndindex(x.shape):
            e = np.zeros(x.shape, dtype)
            e[idx] = 1
            yield e
    elif isinstance(x, (float, int, np.floating, np.integer)) and not isinstance(x, bool):
        yield type(x)(1.0) if isinstance(x, np.floating) else 1.0
    else:
        raise DifferentiationError(f"jacobian: cannot differentiate with respect to a "
                                   f"{type(x).__name__}; pass floats or float arrays, or "
                                   "lists, tuples and dicts of them")


def _directions(x):
    """(leaf index, direction of all of `x`) for every unit direction of
    every leaf of `x`: the leaf's basis, zeros in the other leaves."""
    leaves = _leaves(x)
    for j, leaf in enumerate(leaves):
        for e in _basis(leaf):
            yield j, _rebuild(x, iter([e if k == j else zeros_like(lf)
                                       for k, lf in enumerate(leaves)]))


def _assemble(columns, out_shape, in_shape, is_array_input):
    """Stack per-direction results into an array of shape out + in."""
    if not is_array_input:
        return columns[0]
    cols = [np.asarray(c) for c in columns]
    if cols:
        stacked = np.stack([np.broadcast_to(c, out_shape) for c in cols], axis=-1)
    else:
        stacked = np.zeros(out_shape + (0,))
    return stacked.reshape(tuple(out_shape) + tuple(in_shape))


def _nest(out, x, block):
    """The Jacobian of a result `out` with respect to `x`, both possibly
    containers, as JAX gives it: `out`'s structure, each of its leaves
    holding `x`'s structure of blocks ``block(i, j)`` (out leaf i, x leaf j)."""
    n_in = len(_leaves(x))
    return _rebuild(out, iter([_rebuild(x, iter([block(i, j) for j in range(n_in)]))
                               for i in range(len(_leaves(out)))]))


class Jacobian(Shown):
    """``jacobian(f, wrt, mode)(*args)``: the Jacobian of `f` at `args`."""

    _is_hessian = False

    def __init__(self, fun, wrt=0, mode="rev", jit=None):
        if mode not in ("fwd", "rev", "forward", "reverse"):
            raise DifferentiationError(f"jacobian: mode must be 'fwd' or 'rev', not {mode!r}")
        if not callable(fun):
            raise DifferentiationError(f"expected a function, got {fun!r}")
        given = fun
        fun = python_function(fun)
        self.fun = fun
        self.mode = "fwd" if mode in ("fwd", "forward") else "rev"
        self.wrt, self._wrt_tuple = _normalize_wrt(fun, wrt)
        functools.update_wrapper(self, given, updated=())
        self.__wrapped__ = given
        # one tangent function per wrt position, transformed on first use
        if jit and self.mode == "rev":
            raise DifferentiationError("jacobian: jit= is supported with mode='fwd' (and "
                                       "hessian, hvp); the reverse mode has no jit= yet")
        self._jvps = {p: _JVP(fun, (p,), jit) for p in self.wrt} if self.mode == "fwd" else None
        self._source = None

    def __call__(self, *args, **kwargs):
        args = complete_args(self.fun, args, kwargs)
        jacs = [self._fwd(args, p) if self.mode == "fwd" else None for p in self.wrt]
        if self.mode == "rev":
            jacs = self._rev(args)
        return tuple(jacs) if self._wrt_tuple else jacs[0]

    def _fwd(self, args, pos):
        t = self._jvps[pos]
        gen = t._generated(args)
        self._source = t.source
        x = args[pos]
        in_leaves = _leaves(x)
        columns = [[] for _ in in_leaves]       # per leaf of x: the tangents' leaves
        out = None
        for j, e in _directions(x):
            out, col = gen(*args, e)
            columns[j].append(_leaves(col))
        if out is None:   # an empty array input
            out = self.fun(*args)
        out_leaves = _leaves(out)
        return _nest(out, x, lambda i, j: _assemble(
            [c[i] for c in columns[j]], np.shape(out_leaves[i]), np.shape(in_leaves[j]),
            isinstance(in_leaves[j], np.ndarray)))

    def _rev(self, args):
        from .api import vjp
        out, vjp_fn = vjp(self.fun, *args)
        self._source = getattr(vjp_fn, "source", None)
        out_leaves = _leaves(out)
        rows = [[] for _ in out_leaves]     # per leaf of out: one vjp per direction
        if isinstance(out, (list, tuple, dict)):
            for i, cot in _directions(out):
                rows[i].append(vjp_fn(cot))
        elif isinstance(out, np.ndarray):
            for cot in _basis(out):
                rows[0].append(vjp_fn(cot))
        else:
            rows[0].append(vjp_fn(1.0))
        jacs = []
        for p in self.wrt:
            x = args[p]
            in_leaves = _leaves(x)

            def block(i, j):
                got = [_leaves(r[p])[j] for r in rows[i]]
                if not isinstance(out_leaves[i], np.ndarray):
                    return got[0]
                in_shape = np.shape(in_leaves[j])
                if not got:         # (an empty output: no rows)
                    dtype = np.asarray(in_leaves[j]).dtype
                    return np.zeros(np.shape(out_leaves[i]) + in_shape,
                                    dtype=dtype if dtype.kind == "f" else np.float64)
                stacked = np.stack([np.broadcast_to(np.asarray(g), in_shape) for g in got])
                return stacked.reshape(np.shape(out_leaves[i]) + in_shape)
            jacs.append(_nest(out, x, block))
        return jacs

    @property
    def source(self):
        """The generated code the Jacobian calls (after the first call)."""
        if self._source is None and self.mode == "fwd":
            return self._jvps[self.wrt[0]].source
        return source_code(self._source)

    def _kind(self):
        return "hessian" if self._is_hessian else f"jacobian ({self.mode})"

    def _wrt_positions(self):
        return self.wrt


@overload
def jacobian(fun: Callable[..., Any], wrt: Wrt = 0, mode: str = "rev", *,
             jit: Optional[Jit] = None) -> Jacobian: ...
@overload  # noqa: E302
def jacobian(fun: None = None, wrt: Wrt = 0, mode: str = "rev", *,
             jit: Optional[Jit] = None) -> Callable[[Callable[..., Any]], Jacobian]: ...


def jacobian(fun: Optional[Callable[..., Any]] = None, wrt: Wrt = 0, mode: str = "rev", *,
             jit: Optional[Jit] = None
             ) -> Union[Jacobian, Callable[[Callable[..., Any]], Jacobian]]:
    """The Jacobian of `fun` with respect to the argument(s) `wrt`.

    Parameters
    ----------
    fun : callable
        As for `grad`, with any array output (leave it out for a decorator).
    wrt : int, str or tuple of them
        As for `grad`.
    mode : {"rev", "fwd"}
        ``"fwd"`` builds it column by column in forward mode (best for few
        inputs), ``"rev"`` row by row in reverse mode (best for few
        outputs).  `fun` is transformed once either way.
    jit : bool or "auto"
        With ``mode="fwd"``: compile the code with Numba, as for `grad`.

    Returns
    -------
    Jacobian
        A function called like `fun`, returning an array of shape
        ``out.shape + x.shape`` (a tuple of them for a tuple `wrt`).  For
        an output or argument that is a list, tuple or dict, the result is
        nested as in JAX: the output's structure, each leaf holding the
        argument's structure of blocks ``out_leaf.shape + x_leaf.shape``.

    Examples
    --------
    >>> import numpy as np, ast_ad
    >>> def f(x):
    ...     return np.array([x[0] * x[1], np.sin(x[0])])
    >>> ast_ad.jacobian(f, mode="fwd")(np.array([0.0, 2.0]))
    array([[2., 0.],
           [1., 0.]])
    """
    if fun is None:
        return lambda f: Jacobian(f, wrt, mode, jit)
    return Jacobian(fun, wrt, mode, jit)


# ------------------------------------------------------------ second order

def hessian(fun: Callable[..., Any], wrt: Wrt = 0, *, jit: Optional[Jit] = None) -> Jacobian:
    """The Hessian of `fun`'s scalar result with respect to one argument, by
    forward over reverse: the forward-mode Jacobian of the generated
    gradient code.

    Parameters
    ----------
    fun : callable
        As for `grad`.
    wrt : int or str
        The argument (one only).
    jit : bool or "auto"
        As for `grad`: compile the code with Numba.

    Returns
    -------
    Jacobian
        A function called like `fun`, returning the Hessian: shape
        ``x.shape + x.shape`` (a float for a float argument); for a list,
        tuple or dict argument, its structure of its structure of blocks
        (``H[i][j]``: leaves i and j).

    Examples
    --------
    >>> import numpy as np, ast_ad
    >>> def f(x):
    ...     return np.sum(x ** 3)
    >>> ast_ad.hessian(f)(np.array([1.0, 2.0]))
    array([[ 6.,  0.],
           [ 0., 12.]])
    """
    from .api import grad
    fun = python_function(fun)
    positions, is_tuple = _normalize_wrt(fun, wrt)
    if is_tuple and len(positions) != 1:
        raise DifferentiationError("hessian: give one argument in wrt (the Hessian with "
                                   "respect to several arguments is not supported yet)")
    g = grad(fun, wrt=positions[0])
    h = Jacobian(g, wrt=positions[0], mode="fwd", jit=jit)
    h.__name__ = f"hessian_{getattr(fun, '__name__', 'f')}"
    h._is_hessian = True
    return h


class HVP(Shown):
    """``hvp(f, wrt)(*args, v)``: the Hessian-vector product H·v, by forward
    mode over the generated gradient code; H is never formed."""

    def __init__(self, fun, wrt=0, jit=None):
        from .api import grad
        given = fun
        fun = python_function(fun)
        positions, is_tuple = _normalize_wrt(fun, wrt)
        if is_tuple and len(positions) != 1:
            raise DifferentiationError("hvp: give one argument in wrt")
        self.fun = fun
        self.__wrapped__ = given
        self.pos = positions[0]
        self._grad = grad(fun, wrt=self.pos)
        self._jvp = _JVP(self._grad, (self.pos,), jit)

    def __call__(self, *args):
        if not args:
            raise DifferentiationError("hvp: call as hvp(f)(*args, v)")
        *args, v = args
        args = complete_args(self.fun, args)
        if np.shape(args[self.pos]) != np.shape(v):
            raise DifferentiationError(
                f"hvp(f)(*args, v): the vector v (the last argument) has shape "
                f"{np.shape(v)}, but argument {self.pos} has shape {np.shape(args[self.pos])}; "
                "scipy.optimize.minimize(hessp=...) passes (x, p, *args): give it "
                "ast_ad.hessp(f)")
        return self._jvp._generated(args)(*args, v)[1]

    @property
    def source(self):
        """The generated code (forward mode over the gradient code)."""
        return self._jvp.source

    def _kind(self):
        return "hvp"

    def _wrt_positions(self):
        return (self.pos,)


def hvp(fun: Callable[..., Any], wrt: Wrt = 0, *, jit: Optional[Jit] = None) -> HVP:
    """The Hessian-vector product H·v of `fun`'s scalar result, without
    forming H (forward mode over the gradient code: about the cost of two
    gradients).  For ``scipy.optimize.minimize(hessp=...)``, whose argument
    order is ``(x, p, *args)``, use `hessp`.

    Parameters
    ----------
    fun : callable
        As for `grad`.
    wrt : int or str
        The argument the Hessian is taken with respect to (one only).
    jit : bool or "auto"
        As for `grad`: compile the code with Numba.

    Returns
    -------
    HVP
        ``hvp(fun)(*args, v)``: `fun`'s arguments, then the vector `v` of the
        shape of argument `wrt`; returns H·v of that shape.

    Examples
    --------
    >>> import numpy as np, ast_ad
    >>> def f(x):
    ...     return np.sum(x ** 3)
    >>> ast_ad.hvp(f)(np.array([1.0, 2.0]), np.array([1.0, 1.0]))
    array([ 6., 12.])
    """
    return HVP(fun, wrt, jit)
