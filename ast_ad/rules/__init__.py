"""The derivative rules: one registry keyed by the callable object.

A VJP rule is a plain Python function ``rule(g, ans, *params)`` returning the
adjoint contribution for each differentiable positional parameter (a tuple,
or a single expression for one-argument functions; ``None`` for "no
gradient").  `g` is the incoming adjoint, `ans` the primal result.  Rules are
*inlined*: the reverse pass lowers the rule's own source with the call's
operands substituted, so the gradient reads ``g * np.cos(x)``, not a call to a
rule object, and rules written in the supported subset are themselves
differentiable (higher order for free).

A JVP rule is the forward-mode twin: ``rule(dx, dy, ..., ans, x, y, ...)``
takes the tangents first, one per leading differentiable parameter (the
parameters before ``ans`` pair up, in order, with those after it), then the
primal result and the primal parameters; it returns the tangent of the result
(``None``: zero).  The tangent of an argument that is not active is passed
as ``None``, and ``if dx is None`` is decided when the rule is inlined, so
only the live branch is generated::

    @jvp(np.sin)
    def _sin(dx, ans, x):
        return dx * np.cos(x)

    @jvp(operator.mul, np.multiply)
    def _mul(dx, dy, ans, x, y):
        if dy is None:
            return dx * y
        if dx is None:
            return x * dy
        return dx * y + x * dy

Structural operations (tuple/list/dict literals) are handled by forward.py
itself; the built-in JVP rules are in jvp_rules.py.
Functions in `NONDIFF` have zero derivative (shapes, comparisons,
constructors, ...).
"""
from __future__ import annotations

import numpy as np

from .. import runtime as _ad
from ..avals import is_generator_method

VJPS: dict = {}      # callable -> rule function
JVPS: dict = {}      # callable -> rule function
NONDIFF: set = set() # callables with no derivative
OPAQUE: set = set()  # user primitives (ast_ad.primitive): never looked inside
STATIC_CALLS: dict = {}  # callable -> function evaluated when the code is made
FORMULAS: dict = {}  # callable -> a Python function computing it, inlined in its place


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
    return VJPS.get(_key(_same_draw(fn))) if _hashable(fn) else None


def jvp_rule(fn):
    return JVPS.get(_key(_same_draw(fn))) if _hashable(fn) else None


def _same_draw(fn):
    """A method of the user's generator (``rng.normal``) has the rules of
    NumPy's function of that name (the same parameters)."""
    if isinstance(getattr(fn, "__self__", None), _GENERATORS):
        return getattr(np.random, fn.__name__, fn)
    return fn


def is_nondiff(fn):
    return _hashable(fn) and _key(fn) in NONDIFF


def formula_of(fn):
    """The Python function that computes `fn` (rules/scipy_stats.py), or None."""
    try:
        return FORMULAS.get(fn)
    except TypeError:       # (an unhashable callable)
        return None


def is_static_call(fn):
    return _hashable(fn) and fn in STATIC_CALLS


def is_primitive(fn):
    """Has a rule of some kind, so the pipeline must not look inside it."""
    return _hashable(fn) and (fn in VJPS or fn in NONDIFF or fn in OPAQUE or fn in JVPS)


def has_effects(fn):
    """Calls that change state outside their result (the random generators,
    print): kept where the user wrote them, in order, never merged, moved or
    dropped, so that the generated code draws the numbers the primal draws."""
    if fn in (print, _ad.unsupported, _ad.raise_exception, _ad.check_scalar_output,
              _ad.first_order_only):
        return True
    if isinstance(getattr(fn, "__self__", None), _GENERATORS) or is_generator_method(fn):
        return True     # (rng.normal(...): a method of a generator)
    module = getattr(fn, "__module__", None) or ""
    return isinstance(module, str) and module.startswith("numpy.random")


_GENERATORS = (np.random.RandomState, np.random.Generator)


def _hashable(fn):
    try:
        hash(fn)
        return True
    except TypeError:
        return False


from . import core  # noqa: E402,F401  (registers the built-in rules)
from . import selections  # noqa: E402,F401  (flips, rolls, stacks, splits, cumsum, trace)
from . import einsum  # noqa: E402,F401  (np.einsum)
from . import scipy_compat  # noqa: E402,F401  (SciPy's array-API plumbing, if SciPy is there)
from . import scipy_special  # noqa: E402,F401  (scipy.special, if SciPy is there)
from . import scipy_stats  # noqa: E402,F401  (scipy.stats distributions, if SciPy is there)
from . import numpy_formulas  # noqa: E402,F401  (np.median, np.cross as formulas)
from . import jvp_rules  # noqa: E402,F401  (registers the built-in JVP rules)
