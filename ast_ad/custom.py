"""User-defined primitives and derivative rules.

    @ast_ad.primitive
    def softplus(x):
        return np.log1p(np.exp(x))

    @ast_ad.defvjp(softplus)
    def softplus_vjp(g, ans, x):
        return g / (1.0 + np.exp(-x))

A primitive is opaque: ast_ad calls it and never looks inside.  Its VJP rule
has the signature of the built-in rules, ``rule(g, ans, *args)``: `g` is the
adjoint of the result, `ans` the result, and it returns the contribution for
each positional argument (a tuple, or one value for a one-argument function;
None for "no gradient").  A rule written as a `def` in the supported subset is
inlined into the generated code and is itself differentiable (so `hessian`
works through it); a lambda or C function is called instead.  The same
registration makes a NumPy or SciPy function without a built-in rule usable:
``ast_ad.defvjp(scipy.special.expit, rule)``.

`defjvp(f, rule)` registers the forward-mode rule, ``rule(dx, ..., ans, x,
...)``: one tangent per positional argument (None where an argument has none),
then the result and the arguments; it returns the tangent of the result.
"""
from __future__ import annotations

from typing import Any, Callable, Optional, TypeVar

from . import rules
from .errors import DifferentiationError

F = TypeVar("F", bound=Callable[..., Any])


def primitive(fn: F) -> F:
    """Declare `fn` opaque: calls to it are not transformed; give it its
    derivative rules with `defvjp` (reverse mode) and `defjvp` (forward).

    Parameters
    ----------
    fn : callable
        Any function (Python, C, a method of your class).

    Returns
    -------
    callable
        `fn` itself (so it works as a decorator).

    Examples
    --------
    >>> import numpy as np, ast_ad
    >>> @ast_ad.primitive
    ... def softplus(x):
    ...     return np.log1p(np.exp(x))
    >>> @ast_ad.defvjp(softplus)
    ... def softplus_vjp(g, ans, x):
    ...     return g / (1.0 + np.exp(-x))
    >>> @ast_ad.defjvp(softplus)
    ... def softplus_jvp(dx, ans, x):
    ...     return dx / (1.0 + np.exp(-x))
    >>> def f(x):
    ...     return 2.0 * softplus(x)
    >>> float(ast_ad.grad(f)(0.0)), float(ast_ad.jvp(f, (0.0,), (1.0,))[1])
    (1.0, 1.0)
    """
    if not callable(fn):
        raise DifferentiationError(f"primitive expects a function, got {fn!r}")
    rules.OPAQUE.add(fn)
    return fn


def _register(table, fn, rule, what):
    if rule is None:                       # used as a decorator: @defvjp(fn)
        return lambda r: _register(table, fn, r, what)
    if not callable(rule):
        raise DifferentiationError(f"{what} rule for {getattr(fn, '__name__', fn)!r} must be "
                                   "callable")
    rules.OPAQUE.add(fn)
    table[fn] = rule
    from . import cache
    cache.clear()   # gradients made before the rule existed are stale
    return rule


def defvjp(fn: Callable[..., Any], rule: Optional[Callable[..., Any]] = None) -> Any:
    """Register `rule` as the reverse-mode rule (VJP) of `fn`, which becomes
    a primitive.  Also a decorator: ``@defvjp(fn)``.

    Parameters
    ----------
    fn : callable
        The function (yours, or a NumPy/SciPy function without a rule).
    rule : callable
        ``rule(g, ans, *args)``: `g` the adjoint of the result, `ans` the
        result, `args` the arguments; returns the contribution to each
        positional argument (a tuple, or one value for a one-argument
        function; None for none).  A ``def`` in the supported subset is
        inlined into the generated code and is itself differentiable.

    Returns
    -------
    callable
        `rule` (a decorator when `rule` is not given).

    Examples
    --------
    >>> import numpy as np, ast_ad
    >>> def clipped(x):
    ...     return np.minimum(x, 1.0)
    >>> _ = ast_ad.defvjp(clipped, lambda g, ans, x: g * (x < 1.0))
    >>> def f(x):
    ...     return np.sum(clipped(x) ** 2)
    >>> ast_ad.grad(f)(np.array([0.5, 2.0]))
    array([1., 0.])
    """
    return _register(rules.VJPS, fn, rule, "defvjp")


def defjvp(fn: Callable[..., Any], rule: Optional[Callable[..., Any]] = None) -> Any:
    """Register `rule` as the forward-mode rule (JVP) of `fn`, which becomes
    a primitive.  Also a decorator: ``@defjvp(fn)``.

    Parameters
    ----------
    fn : callable
        The function.
    rule : callable
        ``rule(*tangents, ans, *args)``: one tangent per positional argument
        (None where an argument has none), then the result and the
        arguments; returns the tangent of the result.

    Returns
    -------
    callable
        `rule` (a decorator when `rule` is not given).

    Examples
    --------
    >>> import math, ast_ad
    >>> def cube(x):
    ...     return x ** 3
    >>> _ = ast_ad.defjvp(cube, lambda dx, ans, x: 3.0 * x * x * dx)
    >>> ast_ad.jvp(cube, (2.0,), (1.0,))
    (8.0, 12.0)
    """
    return _register(rules.JVPS, fn, rule, "defjvp")
