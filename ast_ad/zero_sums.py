"""Reductions that are zero by algebra, not by arithmetic.

The adjoint of a shift-invariant computation sums to zero along the axis of
the shift.  The everyday case is the stable softmax, ``s = x - max(x, axis)``
followed by ``s - log(sum(exp(s), axis))``: the adjoint reaching ``s`` is
``g - sum(g)/sum(e) * e``, whose sum along the axis is
``sum(g) - sum(g)/sum(e) * sum(e) = 0``, so the gradient through the max
(a mask, two sums, a division) is zero and need not be computed.  Centring,
``x - mean(x, axis)``, is the same story.  A person writing the gradient by
hand knows this; `is_zero_sum` proves it.

Method: expand the reduced value into a sum of monomials over "atoms"
(values we do not look into) with exact rational coefficients, following
``+ - * /`` and keepdims sums/means; then sum each monomial along the axis:
factors constant along it (numbers, arrays of extent 1 there, other sums
along it) come out, the rest becomes a symbolic sum atom.  A keepdims sum in
the code expands to the same symbolic atom, so ``sum(e)/sum(e)`` cancels.
If every coefficient cancels, the reduction is zero.  Anything unknown (a
shape, a non-linear operation) becomes an atom, so the answer errs towards
"not proved", never towards a wrong zero.

It is algebra over the reals: ``a / d * d`` is ``a``.  Where the code would
have produced inf or nan (a zero denominator, an overflow), the zero it
replaces was nan, not zero; the simplified gradient is the mathematical one.
"""
from __future__ import annotations

import math
import operator
from fractions import Fraction

import numpy as np

from . import primitives
from .avals import Array, Num, concrete, shape_of
from .ir import Const, Var

_MAX_TERMS = 32


class Algebra:
    """Polynomials over atoms.  A polynomial is {monomial: Fraction}; a
    monomial is a sorted tuple of (atom, exponent); an atom is a Var or a
    symbolic sum ("sum", axis, ndim, monomial)."""

    def __init__(self, definition, aval):
        self.definition = definition    # Var -> the Op that defines it, or None
        self.aval = aval                # operand -> its aval (avals.py)
        self.memo = {}
        self.atom_shape = {}            # symbolic sum atom -> its (keepdims) shape

    # -- polynomials
    @staticmethod
    def atom(a):
        return {((a, 1),): Fraction(1)}

    @staticmethod
    def add(p, q, sign=1):
        out = dict(p)
        for m, c in q.items():
            out[m] = out.get(m, 0) + sign * c
            if out[m] == 0:
                del out[m]
        return out

    @staticmethod
    def scale(p, k):
        return {m: c * k for m, c in p.items()} if k else {}

    @staticmethod
    def mono_mul(m, n):
        exps = dict(m)
        for a, e in n:
            exps[a] = exps.get(a, 0) + e
            if exps[a] == 0:
                del exps[a]
        return tuple(sorted(exps.items(), key=lambda ae: _order(ae[0])))

    def mul(self, p, q):
        if len(p) * len(q) > _MAX_TERMS:
            return None
        out = {}
        for m, c in p.items():
            for n, d in q.items():
                out = self.add(out, {self.mono_mul(m, n): c * d})
        return out

    def inverse(self, p):
        """1/p for a single term (else None: division by a sum is an atom)."""
        if len(p) != 1:
            return None
        (m, c), = p.items()
        return {tuple((a, -e) for a, e in m): 1 / c}

    # -- expansion of values
    def poly(self, o):
        if isinstance(o, Const):
            v = o.value
            if type(v) in (int, float) and math.isfinite(v):
                return {(): Fraction(v)} if v else {}
            return None
        if o in self.memo:
            return self.memo[o]
        self.memo[o] = self.atom(o)     # (a cycle through a loop stays an atom)
        p = self._expand(o)
        if p is None or len(p) > _MAX_TERMS:
            p = self.atom(o)
        self.memo[o] = p
        return p

    def _expand(self, v):
        s = self.definition(v)
        if s is None:
            return None
        f, a = s.fn, s.args
        if s.kwargs and f not in (np.sum, np.mean):
            return None
        if f in (operator.add, operator.sub) and len(a) == 2:
            p, q = self.poly(a[0]), self.poly(a[1])
            return None if p is None or q is None else \
                self.add(p, q, 1 if f is operator.add else -1)
        if f is operator.neg and len(a) == 1:
            p = self.poly(a[0])
            return None if p is None else self.scale(p, -1)
        if f is operator.mul and len(a) == 2:
            p, q = self.poly(a[0]), self.poly(a[1])
            return None if p is None or q is None else self.mul(p, q)
        if f is operator.truediv and len(a) == 2:
            p, q = self.poly(a[0]), self.poly(a[1])
            if p is None or q is None:
                return None
            inv = self.inverse(q)
            if inv is None:
                inv = {((a[1], -1),): Fraction(1)}
            return self.mul(p, inv)
        if f in (np.sum, np.mean):
            axis, keepdims, x = _reduction(s)
            if axis is None or not keepdims:
                return None
            return self.reduce(x, axis, mean=f is np.mean)
        return None

    # -- reduction along an axis
    def reduce(self, x, axis, mean=False):
        """The polynomial of ``sum(x, axis, keepdims=True)`` (or mean)."""
        shape = _shape(self.aval(x))
        p = self.poly(x)
        if shape is None or p is None or not shape:
            return None
        n = len(shape)
        axis = axis % n if -n <= axis < n else None
        if axis is None:
            return None
        out = {}
        for m, c in p.items():
            const = tuple((a, e) for a, e in m if self._constant_along(a, axis, n))
            rest = tuple((a, e) for a, e in m if not self._constant_along(a, axis, n))
            if not rest:
                term = {const: c * shape[axis]}
            else:
                total = ("sum", axis, n, rest[0][0] if rest == ((rest[0][0], 1),) else rest)
                self.atom_shape[total] = shape[:axis] + (1,) + shape[axis + 1:]
                term = {self.mono_mul(const, ((total, 1),)): c}
            out = self.add(out, term)
        return self.scale(out, Fraction(1, shape[axis])) if mean else out

    def _constant_along(self, a, axis, n):
        if isinstance(a, tuple):                    # a symbolic sum
            shape = self.atom_shape.get(a)
        else:
            a = concrete(self.aval(a))
            if isinstance(a, Num):
                return True
            shape = _shape(a)
        if shape is None:
            return False
        j = axis - (n - len(shape))
        return j < 0 or shape[j] == 1


def _order(atom):
    """A canonical order for the atoms of a monomial (equal monomials must
    be equal tuples)."""
    if not isinstance(atom, tuple):
        return (0, id(atom))
    _, axis, n, inner = atom
    # (inner is a monomial -- a tuple of (atom, exponent) pairs -- or one atom,
    # which may itself be a symbolic sum: a tuple starting with "sum")
    monomial = isinstance(inner, tuple) and not (inner and inner[0] == "sum")
    inner_key = tuple((_order(a), e) for a, e in (inner if monomial else ((inner, 1),)))
    return (1, axis, n, inner_key)


def _shape(a):
    a = concrete(a)
    if not isinstance(a, Array):
        return None
    return shape_of(a)


def _reduction(s):
    """(axis, keepdims, operand) of an np.sum/np.mean op; axis None when it is
    not one int."""
    x = s.args[0] if s.args else None
    axis = s.kwargs.get("axis", s.args[1] if len(s.args) > 1 else None)
    keepdims = s.kwargs.get("keepdims", Const(False))
    if len(s.args) > 2 or set(s.kwargs) - {"axis", "keepdims"}:
        return None, False, x
    axis = axis.value if isinstance(axis, Const) and type(axis.value) is int else None
    keepdims = isinstance(keepdims, Const) and keepdims.value is True
    return axis, keepdims, x


_LINEAR = primitives.having("linear")


def is_zero_sum(s, algebra):
    """Is the np.sum/np.mean op `s` (along one axis) zero for all inputs?"""
    if s.fn not in (np.sum, np.mean) or not s.args or not isinstance(s.args[0], Var):
        return False
    axis, _, x = _reduction(s)
    d = algebra.definition(x)
    if axis is None or d is None or d.fn not in _LINEAR:
        return False      # (nothing to cancel)
    p = algebra.reduce(x, axis)
    return p is not None and not p
