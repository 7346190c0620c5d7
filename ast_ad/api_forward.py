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

import numpy as np

from .api import _Transform, _normalize_wrt
from .errors import DifferentiationError


class _JVP(_Transform):
    """The generated ``jvp_f(*primals, *tangents) -> (out, tangent_out)``."""

    mode = "forward"


def _check_tangent(k, p, t):
    if isinstance(p, np.ndarray) or isinstance(t, np.ndarray):
        if np.shape(p) != np.shape(t):
            raise DifferentiationError(
                f"jvp: tangent {k} has shape {np.shape(t)}, but its primal has shape "
                f"{np.shape(p)}; a tangent has the shape of its primal")


def jvp(fun, primals, tangents):
    """``(fun(*primals), tangent_out)``: the directional derivative of `fun`
    at `primals` along `tangents` (forward mode).  `primals` and `tangents`
    are tuples of the same length; a tangent of None leaves that argument
    out of the differentiation."""
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise DifferentiationError(f"jvp: {len(primals)} primals but {len(tangents)} tangents; "
                                   "give one tangent per primal (None for no tangent)")
    full = _with_defaults(fun, primals)
    tangents += (None,) * (len(full) - len(primals))
    primals = full
    positions = tuple(i for i, t in enumerate(tangents) if t is not None)
    for k in positions:
        _check_tangent(k, primals[k], tangents[k])
    # (the transformation itself is cached per function and argument kinds)
    gen = _JVP(fun, positions)._generated(primals)
    return gen(*primals, *(tangents[i] for i in positions))


def _with_defaults(fun, args, kwargs=None):
    """`args` completed with `fun`'s defaults for the parameters not given."""
    try:
        sig = inspect.signature(fun)
    except (TypeError, ValueError):
        return tuple(args)
    try:
        bound = sig.bind(*args, **(kwargs or {}))
    except TypeError as e:
        raise DifferentiationError(f"{getattr(fun, '__name__', 'the function')}: {e}") from None
    bound.apply_defaults()
    return tuple(bound.args) + tuple(bound.kwargs.values())


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
                                   f"{type(x).__name__}; pass floats or float arrays")


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


class Jacobian:
    """``jacobian(f, wrt, mode)(*args)``: the Jacobian of `f` at `args`."""

    def __init__(self, fun, wrt=0, mode="rev"):
        if mode not in ("fwd", "rev", "forward", "reverse"):
            raise DifferentiationError(f"jacobian: mode must be 'fwd' or 'rev', not {mode!r}")
        if not callable(fun):
            raise DifferentiationError(f"expected a function, got {fun!r}")
        self.fun = fun
        self.__wrapped__ = fun
        self.mode = "fwd" if mode in ("fwd", "forward") else "rev"
        self.wrt, self._wrt_tuple = _normalize_wrt(fun, wrt)
        functools.update_wrapper(self, fun, updated=())
        # one tangent function per wrt position, transformed on first use
        self._jvps = {p: _JVP(fun, (p,)) for p in self.wrt} if self.mode == "fwd" else None
        self._source = None

    def __call__(self, *args, **kwargs):
        args = _with_defaults(self.fun, args, kwargs)
        jacs = [self._fwd(args, p) if self.mode == "fwd" else None for p in self.wrt]
        if self.mode == "rev":
            jacs = self._rev(args)
        return tuple(jacs) if self._wrt_tuple else jacs[0]

    def _fwd(self, args, pos):
        t = self._jvps[pos]
        gen = t._generated(args)
        self._source = t.source
        x = args[pos]
        columns, out = [], None
        for e in _basis(x):
            out, col = gen(*args, e)
            columns.append(col)
        if out is None:   # an empty array input
            out = self.fun(*args)
        return _assemble(columns, np.shape(out), np.shape(x), isinstance(x, np.ndarray))

    def _rev(self, args):
        from .api import vjp
        out, vjp_fn = vjp(self.fun, *args)
        self._source = getattr(vjp_fn, "source", None)
        out_shape = np.shape(out)
        if isinstance(out, np.ndarray):
            dtype = out.dtype if out.dtype.kind in "fc" else np.float64
            rows = []
            for idx in np.ndindex(out_shape):
                cot = np.zeros(out_shape, dtype)
                cot[idx] = 1
                rows.append(vjp_fn(cot))
        else:
            rows = [vjp_fn(1.0)]
        jacs = []
        for p in self.wrt:
            x = args[p]
            if not isinstance(out, np.ndarray):
                jacs.append(rows[0][p])
                continue
            in_shape = np.shape(x)
            stacked = np.stack([np.broadcast_to(np.asarray(r[p]), in_shape) for r in rows])
            jacs.append(stacked.reshape(tuple(out_shape) + tuple(in_shape)))
        return jacs

    @property
    def source(self):
        """The generated code the Jacobian calls (after the first call)."""
        if self._source is None and self.mode == "fwd":
            return self._jvps[self.wrt[0]].source
        return self._source

    def __repr__(self):
        return f"<Jacobian ({self.mode}) of {getattr(self.fun, '__qualname__', self.fun)}>"


def jacobian(fun=None, wrt=0, mode="rev"):
    """The Jacobian of `fun` w.r.t. the argument(s) `wrt`: a function that,
    called like `fun`, returns an array of shape ``out.shape + x.shape`` (a
    tuple of them for a tuple `wrt`).  ``mode="fwd"`` builds it column by
    column with forward mode (best for few inputs), ``mode="rev"`` row by row
    with reverse mode (best for few outputs)."""
    if fun is None:
        return lambda f: Jacobian(f, wrt, mode)
    return Jacobian(fun, wrt, mode)


# ------------------------------------------------------------ second order

def hessian(fun, wrt=0):
    """The Hessian of `fun`'s scalar result w.r.t. argument `wrt`, by
    forward-over-reverse: the forward-mode Jacobian of the generated gradient
    code (shape: input shape + input shape)."""
    from .api import grad
    positions, is_tuple = _normalize_wrt(fun, wrt)
    if is_tuple and len(positions) != 1:
        raise DifferentiationError("hessian: give one argument in wrt (the Hessian with "
                                   "respect to several arguments is not supported yet)")
    g = grad(fun, wrt=positions[0])
    h = Jacobian(g, wrt=positions[0], mode="fwd")
    h.__name__ = f"hessian_{getattr(fun, '__name__', 'f')}"
    return h


class HVP:
    """``hvp(f, wrt)(*args, v)``: the Hessian-vector product H·v, by forward
    mode over the generated gradient code; H is never formed."""

    def __init__(self, fun, wrt=0):
        from .api import grad
        positions, is_tuple = _normalize_wrt(fun, wrt)
        if is_tuple and len(positions) != 1:
            raise DifferentiationError("hvp: give one argument in wrt")
        self.fun = fun
        self.__wrapped__ = fun
        self.pos = positions[0]
        self._grad = grad(fun, wrt=self.pos)
        self._jvp = _JVP(self._grad, (self.pos,))

    def __call__(self, *args):
        if not args:
            raise DifferentiationError("hvp: call as hvp(f)(*args, v)")
        *args, v = args
        args = _with_defaults(self.fun, args)
        _check_tangent(self.pos, args[self.pos], v)
        return self._jvp._generated(args)(*args, v)[1]

    @property
    def source(self):
        return self._jvp.source


def hvp(fun, wrt=0):
    return HVP(fun, wrt)
