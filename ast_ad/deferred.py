"""Element checks deferred to the results.

Code specialised to a list of n numbers checks, on its first line, the type
of every element (``list(map(type, xs)) != types``, ~20 ns an element: for
Horner's rule over 51 coefficients, a quarter of the call).  When the list is
not differentiated and the function is plain Python arithmetic, a wrong
element cannot go unnoticed: the elements only enter ``+ - * / **``, `abs`
and `math` functions, so an array element makes the results arrays, a complex
one complex numbers, a NumPy scalar NumPy scalars -- never Python floats
(a one-element array that a `math` function turns into a float has become
a number there, with the same value, and the code is right for it).
So the first line checks only that the argument is a list of n items, and
the last line that the results are Python floats; if they are not, the
strict version (element types checked first) computes the answer instead.
Generated code has no side effects, so running it again is safe.

`deferrable` says which parameters qualify:

* a list or tuple of Python numbers that is not differentiated, read only by
  ``len(xs)`` and ``xs[i]``;
* every value computed from its elements is computed by arithmetic (the
  ops in ARITHMETIC) and decides no branch or loop condition;
* the function is plain Python scalar code: every parameter is a number or
  such a list, and every operation is arithmetic, a comparison, `len`,
  `range` or an element read, so that valid arguments give Python floats.
"""
from __future__ import annotations

import builtins
import math
import operator

from . import primitives, runtime
from .avals import Num, Seq, UNKNOWN
from .ir import If, Loop, Op, Var, walk

ARITHMETIC = primitives.having("arithmetic") | primitives.ABS | {builtins.pow} | {
    f for name, f in vars(math).items() if callable(f) and name not in ("isclose", "prod",
                                                                          "fsum", "dist")}
_COMPARISONS = {operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne,
                operator.not_, operator.truth}
_SCALAR_CODE = ARITHMETIC | _COMPARISONS | {len, range, operator.getitem, runtime.make_tuple}


def deferrable(fn, wrt, param_avals):
    """Positions of the parameters whose element checks can be deferred."""
    if param_avals is None or len(param_avals) != len(fn.params):
        return ()
    lists = {}
    for k, (p, a) in enumerate(zip(fn.params, param_avals)):
        if isinstance(a, Num) and a.type in (int, float):
            continue
        if isinstance(a, Seq) and a.elts and k not in wrt and all(
                isinstance(e, Num) and e.type in (int, float) for e in a.elts):
            lists[p] = k
            continue
        return ()       # an array, an unknown, a differentiated list: not plain scalar code
    if not lists:
        return ()
    derived = set()
    while True:
        grown = _derive(fn.body, lists, derived)
        if grown is None:
            return ()
        if not grown:
            return tuple(sorted(lists.values()))


def _derive(body, lists, derived):
    """One pass: add to `derived` what the elements reach; None when a rule
    is broken, else whether `derived` grew."""
    grew = False
    for s in walk(body):
        if isinstance(s, Op):
            if s.fn not in _SCALAR_CODE or s.kwargs:
                return None
            ops = list(s.args)
            if any(o in lists for o in ops if isinstance(o, Var)):
                if not ((s.fn is operator.getitem and ops[0] in lists and len(ops) == 2
                         and ops[1] not in lists) or (s.fn is len and len(ops) == 1)):
                    return None
                if s.fn is operator.getitem and s.target not in derived:
                    derived.add(s.target)
                    grew = True
                continue
            if any(o in derived for o in ops if isinstance(o, Var)):
                if s.fn not in ARITHMETIC:
                    return None
                if s.target is not None and s.target not in derived:
                    derived.add(s.target)
                    grew = True
        elif isinstance(s, If):
            if s.cond in derived:
                return None
            for p in s.phis:
                if (p.then in derived or p.orelse in derived) and p.var not in derived:
                    derived.add(p.var)
                    grew = True
        elif isinstance(s, Loop):
            if s.cond in derived or s.exit_flag in derived or s.iter in lists:
                return None
            for c in s.carries:
                if (c.init in derived or c.next in derived) and c.var not in derived:
                    derived.add(c.var)
                    grew = True
    return grew


def relaxed(avals, positions):
    """The first-line checks of code whose element checks at `positions` are
    deferred: the lists' lengths instead of their element types (a list
    whose elements are not described is checked by its length only)."""
    return tuple(Seq(a.type, None, UNKNOWN, a.count()) if k in positions else a
                 for k, a in enumerate(avals))
