"""Bind names to the objects they denote, by object, not by spelling.

``np.sin``, ``numpy.sin``, ``from math import sin`` and ``import numpy as xp``
all resolve to the very function object they name, so the rule registry
(keyed by object) finds one rule whatever the spelling.
"""
from __future__ import annotations

import builtins
import types

import numpy as np

_MISSING = object()


class Scope:
    """The non-local names a function can see: its closure, its module's
    globals (looked up now, for resolution; generated code reads data
    globals live) and the builtins."""

    def __init__(self, func):
        self.func = func
        self.globals = getattr(func, "__globals__", {})
        code = getattr(func, "__code__", None)
        self.closure = {}
        if code is not None and func.__closure__:
            for name, cell in zip(code.co_freevars, func.__closure__):
                try:
                    self.closure[name] = cell.cell_contents
                except ValueError:  # empty cell
                    pass

    def lookup(self, name):
        """(kind, object): kind is 'closure', 'global', 'builtin' or None."""
        if name in self.closure:
            return "closure", self.closure[name]
        if name in self.globals:
            return "global", self.globals[name]
        b = getattr(builtins, name, _MISSING)
        if b is not _MISSING:
            return "builtin", b
        return None, None


def is_static(obj) -> bool:
    """Objects the lowering treats as compile-time entities (they are called or
    their attributes are read, never differentiated): modules, functions,
    classes, ufuncs and other callables, and random generators (whose
    methods are called)."""
    return isinstance(obj, (types.ModuleType, type, np.random.RandomState,
                            np.random.Generator)) or callable(obj)
