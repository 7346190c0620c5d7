"""Activity analysis over the IR.

*Active* values depend on a `wrt` input (varied) and influence the result
(useful): only they get adjoints or tangents.  (What sort of value each Var
holds is the avals' job: avals.py, infer.py.)
"""
from __future__ import annotations

import builtins
import math
import operator

import numpy as np

from . import ir, rules, runtime
from .ir import Var, Const, Op, If, Loop

NUMERIC = ("num", "arr")


def varied(fn: ir.Function, seeds) -> set:
    """Vars that depend on any of `seeds` through differentiable operations."""
    out = set(seeds)

    def block(stmts):
        changed = False
        for s in stmts:
            if isinstance(s, Op):
                if s.target is not None and s.target not in out and not rules.is_nondiff(s.fn) \
                        and any(isinstance(a, Var) and a in out
                                for a in list(s.args) + list(s.kwargs.values())):
                    out.add(s.target)
                    changed = True
            elif isinstance(s, If):
                changed |= block(s.body)
                changed |= block(s.orelse)
                for p in s.phis:
                    if p.var not in out and (p.then in out or p.orelse in out):
                        out.add(p.var)
                        changed = True
            elif isinstance(s, Loop):
                while True:
                    step = False
                    for c in s.carries:
                        if c.var not in out and (c.init in out or c.next in out):
                            out.add(c.var)
                            step = True
                    step |= block(s.body)
                    changed |= step
                    if not step:
                        break
        return changed

    block(fn.body)
    return out


def useful(fn: ir.Function, roots) -> set:
    """Vars whose value can influence any of `roots` (data dependence)."""
    out = {r for r in roots if isinstance(r, Var)}

    def mark(o):
        if isinstance(o, Var) and o not in out:
            out.add(o)
            return True
        return False

    def block(stmts):
        changed = False
        for s in reversed(stmts):
            if isinstance(s, Op):
                if s.target in out:
                    for a in list(s.args) + list(s.kwargs.values()):
                        changed |= mark(a)
            elif isinstance(s, If):
                for p in s.phis:
                    if p.var in out:
                        changed |= mark(p.then)
                        changed |= mark(p.orelse)
                changed |= block(s.body)
                changed |= block(s.orelse)
            elif isinstance(s, Loop):
                while True:
                    step = False
                    for c in s.carries:
                        if c.var in out:
                            step |= mark(c.next)
                            step |= mark(c.init)
                    step |= block(s.body)
                    changed |= step
                    if not step:
                        break
        return changed

    block(fn.body)
    return out


def active(fn: ir.Function, wrt_params) -> set:
    return varied(fn, wrt_params) & useful(fn, [fn.ret])
