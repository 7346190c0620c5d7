"""The one authority that turns IR Vars into identifiers.

Every identifier the generated code can see is reserved first (parameters,
globals it reads, builtins it calls, the module aliases), then Vars are named
in program order: the user's names are kept (``x``, then ``x_1`` for a second
version), adjoints are ``bx`` (the "bar" of the textbooks) and temporaries
``_t1, _t2, ...``.  The same IR always gives the same names.

>>> from ast_ad.ir import Var
>>> n = Namer(reserved=["x"])
>>> n.name(Var("x")), n.name(Var("x")), n.name(Var("")), n.name(Var("bx"))
('x_1', 'x_2', '_t1', 'bx')
"""
from __future__ import annotations

import builtins
import keyword


class Namer:
    def __init__(self, reserved=()):
        self.used = set(reserved)
        self.names = {}
        self.temps = 0
        self.temp_names = set()   # identifiers given to temporaries

    def reserve(self, name):
        self.used.add(name)

    def fixed(self, var, name):
        """Give `var` exactly `name` (parameters, globals)."""
        self.names[var] = name
        self.used.add(name)
        return name

    def name(self, var) -> str:
        if var in self.names:
            return self.names[var]
        base = _sanitize(var.hint)
        if not base:
            while True:
                self.temps += 1
                cand = f"_t{self.temps}"
                if cand not in self.used:
                    break
            self.temp_names.add(cand)
        else:
            cand, k = base, 0
            while cand in self.used:
                k += 1
                cand = f"{base}_{k}"
        self.used.add(cand)
        self.names[var] = cand
        return cand

    def renumber(self, name_nodes):
        """Number the temporaries that survive (folding removes some) 1, 2,
        3, ... in order of appearance, so the code reads _t1, _t2, _t3.
        `name_nodes`: the function's Name nodes."""
        order = []
        seen = set()
        for node in name_nodes:
            if node.id in self.temp_names and node.id not in seen:
                seen.add(node.id)
                order.append(node.id)
        taken = self.used - self.temp_names
        mapping, k = {}, 0
        for old in order:
            while True:
                k += 1
                new = f"_t{k}"
                if new not in taken:
                    break
            mapping[old] = new
        for node in name_nodes:
            if node.id in mapping:
                node.id = mapping[node.id]

    def fresh(self, base) -> str:
        """A new identifier that is not a Var's (module aliases, ...)."""
        cand, k = base, 0
        while cand in self.used:
            k += 1
            cand = f"{base}_{k}"
        self.used.add(cand)
        return cand


def _sanitize(hint):
    if not hint:
        return ""
    s = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in hint)
    if s[0].isdigit():
        s = "_" + s
    if keyword.iskeyword(s) or s in ("True", "False", "None"):
        s += "_"
    return s


BUILTIN_NAMES = set(dir(builtins))
