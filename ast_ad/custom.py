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

from . import rules
from .errors import DifferentiationError


def primitive(fn):
    """Declare `fn` opaque: calls to it are not transformed (give it rules)."""
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


def defvjp(fn, rule=None):
    """Register `rule(g, ans, *args)` as the VJP of `fn` (also a decorator)."""
    return _register(rules.VJPS, fn, rule, "defvjp")


def defjvp(fn, rule=None):
    """Register `rule(*tangents, ans, *args)` as the JVP of `fn` (also a decorator)."""
    return _register(rules.JVPS, fn, rule, "defjvp")
