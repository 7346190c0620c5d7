"""The derivative rules: one registry keyed by the callable object.

A VJP rule is a plain Python function ``rule(g, ans, *params)`` returning the
adjoint contribution for each differentiable positional parameter (a tuple,
or a single expression for one-argument functions; ``None`` for "no
gradient").  `g` is the incoming adjoint, `ans` the primal result.  Rules are
*inlined*: the reverse pass lowers the rule's own source with the call's
operands substituted, so the gradient reads ``g * np.cos(x)``, not a call to a
rule object, and rules written in the supported subset are themselves
differentiable (higher order for free).

A JVP rule ``rule(ans, *params, *tangents)`` is the forward-mode twin.
Functions in `NONDIFF` have zero derivative (shapes, comparisons,
constructors, ...).
"""
from __future__ import annotations

VJPS: dict = {}      # callable -> rule function
JVPS: dict = {}      # callable -> rule function
NONDIFF: set = set() # callables with no derivative
OPAQUE: set = set()  # user primitives (ast_ad.primitive): never looked inside


def _key(fn):
    return fn


def vjp(*fns):
    """Register the decorated function as the VJP rule of every `fns`."""
    def register(rule):
        for fn in fns:
            VJPS[_key(fn)] = rule
        return rule
    return register


def jvp(*fns):
    """Register the decorated function as the JVP rule of every `fns`."""
    def register(rule):
        for fn in fns:
            JVPS[_key(fn)] = rule
        return rule
    return register


def nondiff(*fns):
    for fn in fns:
        try:
            NONDIFF.add(_key(fn))
        except TypeError:  # unhashable callables cannot be registered
            pass


def vjp_rule(fn):
    return VJPS.get(_key(fn)) if _hashable(fn) else None


def jvp_rule(fn):
    return JVPS.get(_key(fn)) if _hashable(fn) else None


def is_nondiff(fn):
    return _hashable(fn) and _key(fn) in NONDIFF


def is_primitive(fn):
    """Has a rule of some kind, so the pipeline must not look inside it."""
    return _hashable(fn) and (fn in VJPS or fn in NONDIFF or fn in OPAQUE or fn in JVPS)


def _hashable(fn):
    try:
        hash(fn)
        return True
    except TypeError:
        return False


from . import core  # noqa: E402,F401  (registers the built-in rules)
