"""Derivatives shaped for ``scipy.optimize``.

``scipy.optimize.minimize(fun, x0, args, jac=..., hessp=...)`` calls
``jac(x, *args)`` and ``hessp(x, p, *args)``.  ``ast_ad.grad(fun)`` already
has the first shape (and ``ast_ad.value_and_grad(fun)`` is what ``jac=True``
expects); `hessp` gives the second: the Hessian of `fun` with respect to its
first argument times the vector `p`, without forming the Hessian.
"""
from __future__ import annotations

from typing import Any, Callable

from .api_forward import HVP
from .display import Shown


class HessP(Shown):
    """``hessp(fun)(x, p, *args)``: the Hessian-vector product H(x)·p of
    ``fun(x, *args)``; see `hessp`."""

    def __init__(self, fun: Callable[..., Any]):
        self._hvp = HVP(fun, wrt=0)
        self.fun = self._hvp.fun
        self.__wrapped__ = self._hvp.__wrapped__

    def __call__(self, x: Any, p: Any, *args: Any) -> Any:
        return self._hvp(x, *args, p)

    @property
    def source(self) -> str:
        """The generated code (forward mode over the gradient code)."""
        return self._hvp.source

    def _kind(self) -> str:
        return "hessp"

    def _wrt_positions(self):
        return (0,)


def hessp(fun: Callable[..., Any]) -> HessP:
    """The Hessian-vector product of `fun` in the argument order of
    ``scipy.optimize.minimize(..., hessp=...)``.

    Parameters
    ----------
    fun : callable
        ``fun(x, *args)`` returning a scalar; `x` is a float or a float array.

    Returns
    -------
    HessP
        ``hessp(fun)(x, p, *args)`` returns ``H·p``, where H is the Hessian
        of `fun` with respect to `x` at ``(x, *args)``, computed by forward
        mode over the generated gradient code (H is never formed); the
        result has the shape of `x`.  (`hvp` takes the vector last:
        ``hvp(fun)(x, *args, p)``.)

    Examples
    --------
    >>> import numpy as np, ast_ad
    >>> def f(x, a):
    ...     return a * np.sum(x ** 3)
    >>> ast_ad.hessp(f)(np.array([1.0, 2.0]), np.array([1.0, 1.0]), 2.0)
    array([12., 24.])

    With SciPy: ``minimize(f, x0, args=(a,), jac=ast_ad.grad(f),
    hessp=ast_ad.hessp(f), method="trust-ncg")``.
    """
    return HessP(fun)
