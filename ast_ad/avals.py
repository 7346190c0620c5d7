"""Abstract values: what the code is specialised to know about a value.

One lattice (JAX calls its elements *avals*) serves every stage, so that
what a version's first line checks, what its cache key says and what the
passes reason about can never disagree:

* `Num(type, kind)` -- a number: its exact type (``float``, ``int``,
  ``np.float64``, ...) and NumPy kind letter (``"f"``, ``"i"``, ``"b"``,
  ``"c"``); the type may be unknown (None) when only the kind is.
* `Array(shape, dtype)` -- an ndarray; its shape (a tuple whose entries
  may be None) or dtype may be unknown.
* `Numeric()` -- a number or an array (which one is not known).
* `Seq(type, elts)` -- a list or tuple with an aval per element;
  `Seq(type, None, elt, length)` when only the elements' join is kept (long
  homogeneous lists, or lists whose length is not known).
* `Map(keys, values)` -- a dict with these keys.
* `Known(value)` -- a value known when the code is made (a shape, a dtype).
* `Other(type)` -- another object of this type (None, a string, ...).
* `UNKNOWN`.

`of_value` describes a run-time value, `join` merges two (phis, loop
carries), `generic` drops shapes.  Avals are frozen and hashable: a
version of generated code is cached under the avals of its arguments.

>>> of_value(2.0), of_value(np.zeros((2, 3)))
(Num(float), Array((2, 3), float64))
>>> join(of_value(np.zeros(3)), of_value(np.zeros(4)))
Array((None,), float64)
>>> join(of_value(1.0), of_value(np.float64(2.0)))
Num(f)
>>> join(of_value(1.0), of_value(np.zeros(2)))
Numeric()
"""
from __future__ import annotations

import functools
import types
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

# lists longer than this are described by the join of their elements
MAX_ELEMENTS = 64


class Aval:
    """Base of the lattice (see the module docstring)."""
    __slots__ = ()


@dataclass(frozen=True)
class _Unknown(Aval):
    def __repr__(self):
        return "UNKNOWN"


UNKNOWN = _Unknown()


@dataclass(frozen=True)
class Num(Aval):
    type: Optional[type]
    kind: str = "f"

    def __repr__(self):
        return f"Num({self.type.__name__ if self.type is not None else self.kind})"


@dataclass(frozen=True)
class Array(Aval):
    shape: Optional[tuple] = None     # entries may be None (an unknown extent)
    dtype: Optional[np.dtype] = None

    def __repr__(self):
        return f"Array({self.shape}, {self.dtype})"


@dataclass(frozen=True)
class _Numeric(Aval):
    def __repr__(self):
        return "Numeric()"


NUMERIC = _Numeric()


@dataclass(frozen=True)
class Seq(Aval):
    type: type                       # list or tuple
    elts: Optional[tuple] = None     # an aval per element, or None
    elt: Aval = UNKNOWN              # the join of the elements (when elts is None)
    length: Optional[int] = None

    def element(self, i):
        """The aval of element `i` (an int, or None for a run-time index)."""
        if self.elts is not None:
            if isinstance(i, int) and -len(self.elts) <= i < len(self.elts):
                return self.elts[i]
            if i is None and self.elts:
                out = self.elts[0]
                for e in self.elts[1:]:
                    out = join(out, e)
                return out
            return UNKNOWN
        return self.elt

    def count(self):
        return len(self.elts) if self.elts is not None else self.length

    def __repr__(self):
        if self.elts is not None:
            return f"Seq({self.type.__name__}, {list(self.elts)})"
        return f"Seq({self.type.__name__}, {self.length} x {self.elt})"


@dataclass(frozen=True)
class Map(Aval):
    keys: tuple
    values: tuple

    def element(self, key):
        try:
            return self.values[self.keys.index(key)]
        except ValueError:
            return UNKNOWN

    def __repr__(self):
        return f"Map({dict(zip(self.keys, self.values))})"


@dataclass(frozen=True, eq=False)
class Known(Aval):
    """A value known when the code is made (equal avals: equal values)."""
    value: Any

    def __eq__(self, other):
        return isinstance(other, Known) and type(other.value) is type(self.value) and (
            _const_key(other.value) == _const_key(self.value))

    def __hash__(self):
        return hash((type(self.value).__name__, _const_key(self.value)))

    def __repr__(self):
        return f"Known({self.value!r})"


def _const_key(v):
    if isinstance(v, np.ndarray):
        return ("array", v.shape, v.dtype.str, v.tobytes()) if v.size <= 64 else id(v)
    try:
        hash(v)
        return v
    except TypeError:
        return id(v)


@dataclass(frozen=True)
class Other(Aval):
    type: type

    def __repr__(self):
        return f"Other({self.type.__name__})"


# ------------------------------------------------------------------ values

def of_value(x, depth=0) -> Aval:
    """The aval of a run-time value."""
    t = type(x)
    if t is float or t is int or t is bool:
        return _PY_NUMS[t]
    if t is np.ndarray:
        return Array(x.shape, x.dtype)
    if isinstance(x, np.generic) and x.dtype.kind in "biufc":
        return Num(t, x.dtype.kind)
    if t is list or t is tuple:
        if depth > 8:
            return Seq(t, None, UNKNOWN, len(x))
        if len(x) > MAX_ELEMENTS:
            elt = None
            for v in x:
                a = of_value(v, depth + 1)
                elt = a if elt is None else join(elt, a)
            return Seq(t, None, elt if elt is not None else UNKNOWN, len(x))
        return Seq(t, tuple(of_value(v, depth + 1) for v in x))
    if t is dict:
        return Map(tuple(x), tuple(of_value(v, depth + 1) for v in x.values()))
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return Num(t, "f" if isinstance(x, float) else "i")
    if isinstance(x, STATIC_VALUES):
        # a function passed as an argument (``act=np.tanh``), or a random
        # generator (``rng.normal(...)``): the code made for it calls that
        # very object, so the object itself is part of what the version is
        # made for
        return Known(x)
    return Other(t)


# functions that may be passed as values and called by the code, and the
# random generators whose methods it calls: compile-time objects to the
# lowering, checked by identity on the first line
FUNCTION_VALUES = (types.FunctionType, types.BuiltinFunctionType, np.ufunc, functools.partial)
GENERATORS = (np.random.RandomState, np.random.Generator)
STATIC_VALUES = FUNCTION_VALUES + GENERATORS


def is_generator_method(f) -> bool:
    """`f` is a method of a random generator class, taken from the class
    (``np.random.Generator.normal``: called with the generator first)."""
    name = getattr(f, "__name__", None)
    return isinstance(name, str) and any(
        getattr(cls, name, None) is f for cls in GENERATORS)


_PY_NUMS = {float: Num(float, "f"), int: Num(int, "i"), bool: Num(bool, "b")}
FLOAT = _PY_NUMS[float]
INT = _PY_NUMS[int]
BOOL = _PY_NUMS[bool]
NUMBER = Num(None, "f")        # a number whose exact type is not known


def of_operand(o, avals) -> Aval:
    """The aval of an IR operand: a constant's, or the Var's in `avals`."""
    from .ir import Const
    if isinstance(o, Const):
        return Known(o.value)
    return avals.get(o, UNKNOWN)


def concrete(a: Aval) -> Aval:
    """`a` with a Known value replaced by the aval of its value."""
    return of_value(a.value) if isinstance(a, Known) else a


# ------------------------------------------------------------------ lattice

def join(a: Aval, b: Aval) -> Aval:
    """The least aval describing both (what a phi or a loop carry holds)."""
    if a == b:
        return a
    a, b = concrete(a), concrete(b)
    if a == b:
        return a
    if isinstance(a, Num) and isinstance(b, Num):
        if a.kind == b.kind:
            return Num(None, a.kind)
        # a number of either kind (``total = 0`` then ``total += 0.5``): still
        # a number, never an array (kind "n": neither an int nor a float)
        return Num(None, "n")
    if isinstance(a, Array) and isinstance(b, Array):
        shape = None
        if a.shape is not None and b.shape is not None and len(a.shape) == len(b.shape):
            shape = tuple(x if x == y else None for x, y in zip(a.shape, b.shape))
        return Array(shape, a.dtype if a.dtype == b.dtype else None)
    if is_numeric(a) and is_numeric(b):
        return NUMERIC
    if isinstance(a, Seq) and isinstance(b, Seq) and a.type is b.type:
        if a.elts is not None and b.elts is not None and len(a.elts) == len(b.elts):
            return Seq(a.type, tuple(join(x, y) for x, y in zip(a.elts, b.elts)))
        n = a.count() if a.count() == b.count() else None
        if a.count() == 0:          # (an empty list says nothing about elements)
            return Seq(a.type, None, b.element(None), n)
        if b.count() == 0:
            return Seq(a.type, None, a.element(None), n)
        return Seq(a.type, None, join(a.element(None), b.element(None)), n)
    if isinstance(a, Map) and isinstance(b, Map) and a.keys == b.keys:
        return Map(a.keys, tuple(join(x, y) for x, y in zip(a.values, b.values)))
    if isinstance(a, Other) and isinstance(b, Other) and a.type is b.type:
        return a
    return UNKNOWN


def generic(a: Aval) -> Aval:
    """`a` without shapes (what code made for any shape may assume)."""
    a = concrete(a)
    if isinstance(a, Array):
        return Array(None, a.dtype)
    if isinstance(a, Seq):
        if a.elts is not None:
            return Seq(a.type, tuple(generic(e) for e in a.elts))
        return Seq(a.type, None, generic(a.elt), a.length)
    if isinstance(a, Map):
        return Map(a.keys, tuple(generic(v) for v in a.values))
    return a


# ------------------------------------------------------------------ queries

def shape_of(a: Aval):
    """The shape as a tuple (a number's is ()), or None when not known."""
    a = concrete(a)
    if isinstance(a, Num):
        return ()
    if isinstance(a, Array) and a.shape is not None and None not in a.shape:
        return a.shape
    return None


def is_mutable(a: Aval):
    """True for what ``+=`` and item assignment update in place (arrays,
    lists, dicts), False for what they rebind (numbers, tuples, ...), None
    when not known."""
    a = concrete(a)
    if isinstance(a, (Array, Map)):
        return True
    if isinstance(a, Seq):
        return a.type is list
    if isinstance(a, (Num, Other)):
        return False
    return None


def index_is_basic(a: Aval):
    """Whether an index of aval `a` is basic (ints, slices, None, `...`:
    the result is a view), False for one with index arrays or lists (a
    copy), None when the aval does not tell."""
    a = concrete(a)
    if isinstance(a, Num):
        return a.kind in "iu"
    if isinstance(a, Other):
        return a.type in (slice, type(None), type(Ellipsis))
    if isinstance(a, Known):
        parts = a.value if isinstance(a.value, tuple) else (a.value,)
        return all(p is None or p is Ellipsis or isinstance(p, (int, np.integer, slice))
                   and not isinstance(p, (bool, np.bool_)) for p in parts)
    if isinstance(a, Seq):
        if a.type is list:
            return False
        parts = [index_is_basic(e) for e in (a.elts or ())]
        return False if False in parts else (None if None in parts or a.elts is None
                                             else True)
    if isinstance(a, Array):
        return False
    return None


def is_numeric(a: Aval) -> bool:
    """A number or an array: `+` adds it (containers concatenate)."""
    return isinstance(concrete(a), (Num, Array, _Numeric))


def is_float(a: Aval) -> bool:
    """A float number or float array (what ``1.0 * a`` leaves unchanged)."""
    a = concrete(a)
    if isinstance(a, Num):
        return a.kind in "fc"
    if isinstance(a, Array):
        return a.dtype is not None and a.dtype.kind in "fc"
    return False


def is_scalar(a: Aval) -> bool:
    """A number, or a 0-d array."""
    return shape_of(a) == ()


def kind(a: Aval):
    """The coarse kind of `a`: "num", "arr", "list", "tuple", "dict" or None."""
    a = concrete(a)
    if isinstance(a, Num):
        return "num"
    if isinstance(a, Array):
        return "arr"
    if isinstance(a, Seq):
        return a.type.__name__
    if isinstance(a, Map):
        return "dict"
    return None
