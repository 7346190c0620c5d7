"""The transformation cache: one entry per (function, mode, wrt, kinds).

Keyed by the function object (weakly), so redefining a function gives a new
entry and a collected function frees its entries.  A failed transformation
stores nothing.
"""
from __future__ import annotations

import weakref

_entries = weakref.WeakKeyDictionary()


def get(func, key):
    per = _entries.get(func)
    return None if per is None else per.get(key)


def put(func, key, value):
    try:
        _entries.setdefault(func, {})[key] = value
    except TypeError:  # not weak-referenceable: do not cache
        pass
    return value


def clear():
    _entries.clear()


def size():
    return sum(len(v) for v in _entries.values())
