"""The transformation cache: one entry per (function, mode, wrt, avals).

Keyed weakly by the function object, so redefining a function gives a new
entry and a dropped function frees its entries (nothing cached refers back
to the function).  Bounded: each function keeps its `PER_FUNCTION` most
recently used entries, the whole cache its `TOTAL` most recently used.  A
failed transformation stores nothing.
"""
from __future__ import annotations

import weakref
from collections import OrderedDict

PER_FUNCTION = 64
TOTAL = 1024

_entries = weakref.WeakKeyDictionary()    # function -> OrderedDict(key -> value)
_order = OrderedDict()                     # (id of the function's record, key) -> record
_records = weakref.WeakKeyDictionary()     # function -> its record (a weak reference)


def get(func, key):
    try:
        per = _entries.get(func)
    except TypeError:
        return None
    if per is None or key not in per:
        return None
    per.move_to_end(key)
    record = _records.get(func)
    if record is not None:
        _order.move_to_end((id(record), key), last=True)
    return per[key]


def put(func, key, value):
    try:
        per = _entries.setdefault(func, OrderedDict())
        record = _records.get(func)
        if record is None:
            record = _records[func] = weakref.ref(func)
    except TypeError:  # not weak-referenceable: do not cache
        return value
    per[key] = value
    per.move_to_end(key)
    _order[(id(record), key)] = record
    _order.move_to_end((id(record), key))
    while len(per) > PER_FUNCTION:
        old, _ = per.popitem(last=False)
        _order.pop((id(record), old), None)
    while len(_order) > TOTAL:
        (_, old), rec = _order.popitem(last=False)
        f = rec()
        if f is not None:
            mine = _entries.get(f)
            if mine is not None:
                mine.pop(old, None)
    return value


def clear():
    """Drop every cached transformation (gradient objects keep the versions
    they have already made).

    >>> from ast_ad import cache
    >>> cache.clear(); cache.size()
    0
    """
    _entries.clear()
    _order.clear()


def size():
    """The number of cached transformations."""
    return sum(len(v) for v in _entries.values())
