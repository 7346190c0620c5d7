"""The evaluation trace of the AD textbooks, as a table.

`trace(f, *args, wrt=...)` runs the SSA form of `f` on concrete arguments,
one row per executed operation (loops are unrolled: each iteration adds its
rows), then a reverse sweep over the rows computes each row's adjoint by
calling the very rule functions the compiler inlines.  Inputs are named
``v-1, v0`` (for two inputs), intermediates ``v1 ... vn``; for straight-line
code the rows are listed in the textbook's order (by depth in the
computation graph, which is a valid evaluation order).

With ``tangents=(...)`` a tangent column (forward mode) is added as well.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass, field

import numpy as np

from . import rules, runtime
from .primitives import OPERATORS
from .ir import Var, Const, Op, If, Loop

# infix and prefix symbols (primitives.py)
SYMBOLS = {op.fn: op.symbol for op in OPERATORS.values() if op.kind in ("binary", "compare")}
UNARY = {op.fn: op.symbol for op in OPERATORS.values() if op.kind == "unary"}


@dataclass
class Row:
    """One row of a `Trace`."""
    name: str          # v-1, v0, v1, ...
    expr: str          # "log(v-1)", "v-1 * v0", or "x1" for inputs
    value: object
    adjoint: object = None
    tangent: object = None
    var_name: str = ""  # the user's variable name, if the value has one


@dataclass
class Trace:
    """The evaluation trace: ``str()`` is the table, ``.rows`` the data (one
    `Row` per input and per executed operation), ``.output`` the row of the
    result; in a notebook it shows as an HTML table."""
    rows: list = field(default_factory=list)
    output: str = ""
    show_adjoint: bool = True
    show_tangent: bool = False
    name: str = ""          # the function's

    def __repr__(self):
        columns = ["value"] + (["tangent"] if self.show_tangent else []) \
            + (["adjoint"] if self.show_adjoint else [])
        out = next((r for r in self.rows if r.name == self.output), None)
        value = f" = {_fmt(out.value)}" if out is not None else ""
        return (f"<Trace of {self.name or 'a function'}: {len(self.rows)} rows "
                f"({', '.join(columns)}), output {self.output}{value}>")

    def _repr_html_(self):
        from .display import trace_html
        return trace_html(self)

    def __str__(self):
        head = ["", "operation", "value"]
        if self.show_tangent:
            head.append("tangent")
        if self.show_adjoint:
            head.append("adjoint")
        table = [head]
        for r in self.rows:
            line = [r.name, r.expr + (f"   ({r.var_name})" if r.var_name and r.var_name != r.expr else ""),
                    _fmt(r.value)]
            if self.show_tangent:
                line.append(_fmt(r.tangent))
            if self.show_adjoint:
                line.append(_fmt(r.adjoint))
            table.append(line)
        widths = [max(len(row[i]) for row in table) for i in range(len(head))]
        out = []
        for k, row in enumerate(table):
            out.append("  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                                 for i, (c, w) in enumerate(zip(row, widths))).rstrip())
            if k == 0:
                out.append("  ".join("-" * w for w in widths))
        out.append(f"output: y = {self.output}")
        return "\n".join(out)


def _fmt(v):
    if v is None:
        return ""
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return str(v)
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.4g}" if abs(float(v)) >= 1e4 or (0 < abs(float(v)) < 1e-3) \
            else f"{float(v):.3f}"
    a = np.asarray(v)
    if a.dtype.kind in "fc" and a.size <= 4:
        # one line per row of the table, whatever the array's rank
        return " ".join(np.array2string(a, precision=3, separator=", ").split())
    if a.dtype.kind in "fc":
        return f"array{a.shape}"
    return repr(v) if len(repr(v)) < 24 else type(v).__name__


def trace(func, *args, wrt=None, tangents=None) -> Trace:
    """The evaluation trace of `func` at `args`: each input and each
    executed operation with its value, and its adjoint (reverse mode) and,
    with `tangents`, its tangent (forward mode).

    Parameters
    ----------
    func : callable
        As for `grad`.
    *args
        The inputs (numbers, or small arrays).
    wrt : int, str or tuple of them, optional
        The inputs whose adjoints are shown (default: all).
    tangents : tuple, optional
        One tangent per `wrt` input: adds the forward-mode tangent column.

    Returns
    -------
    Trace
        ``str()`` is the table (inputs ``v-1, v0`` for two inputs,
        intermediates ``v1, v2, ...``; loops unrolled); ``.rows`` the same
        as `Row` data; in Jupyter an HTML table.

    Examples
    --------
    >>> import math, ast_ad
    >>> def f(x1, x2):
    ...     return math.log(x1) + x1 * x2 - math.sin(x2)
    >>> print(ast_ad.trace(f, 2.0, 5.0, tangents=(1.0, 0.0)))
         operation   value  tangent  adjoint
    ---  ---------  ------  -------  -------
    v-1  x1          2.000    1.000    5.500
    v0   x2          5.000    0.000    1.716
    v1   log(v-1)    0.693    0.500    1.000
    v2   v-1 * v0   10.000    5.000    1.000
    v3   sin(v0)    -0.959    0.000   -1.000
    v4   v1 + v2    10.693    5.500    1.000
    v5   v4 - v3    11.652    5.500    1.000
    output: y = v5
    """
    from .pipeline import lower
    from .api import _normalize_wrt
    from .callables import python_function
    func = python_function(func)
    fn = lower(func)
    n = len(fn.params)
    if len(args) != n:
        raise TypeError(f"{fn.name}() takes {n} arguments, {len(args)} given")
    positions = tuple(range(n)) if wrt is None else _normalize_wrt(func, wrt)[0]
    rows = []
    key_row = {}
    values, producer = {}, {}
    for i, (p, a) in enumerate(zip(fn.params, args)):
        r = Row(f"v{i - n + 1}", fn.param_names[i], a)
        rows.append(r)
        key_row[("p", i)] = r
        values[p] = a
        producer[p] = ("p", i)
    records = []
    _run(fn.body, values, producer, records, getattr(func, "__globals__", {}))
    straight = not any(isinstance(s, (If, Loop)) for s in fn.body)
    depth = {("p", i): 0 for i in range(n)}
    order = []
    for k, rec in enumerate(records):
        d = 1 + max([depth.get(src, 0) for src in rec["arg_src"] if src is not None] + [0])
        depth[("r", k)] = d
        order.append((d if straight else 0, k))
    order.sort()
    for j, (_, k) in enumerate(order, start=1):
        rec = records[k]
        hint = rec["op"].target.hint
        r = Row(f"v{j}", "", rec["out"], var_name="" if hint.startswith("_") else hint)
        rows.append(r)
        key_row[("r", k)] = r
        rec["row"] = r
    for rec in records:
        rec["row"].expr = _describe(rec, key_row)
    ret_key = producer.get(fn.ret) if isinstance(fn.ret, Var) else None
    out_name = key_row[ret_key].name if ret_key in key_row else repr(getattr(fn.ret, "value", "?"))
    t = Trace(rows, out_name, name=fn.name)
    # the reverse sweep of the textbooks, over the executed rows
    if ret_key in key_row:
        adj = {ret_key: 1.0}
        for k in range(len(records) - 1, -1, -1):
            rec = records[k]
            g = adj.get(("r", k))
            rec["row"].adjoint = g
            if g is None or rules.is_nondiff(rec["op"].fn):
                continue
            rule = rules.vjp_rule(rec["op"].fn)
            if rule is None:
                continue
            contribs = rule(g, rec["out"], *rec["args"], **rec["kwargs"])
            if not isinstance(contribs, tuple):
                contribs = (contribs,)
            for c, src in zip(contribs, rec["arg_src"]):
                if c is None or src is None:
                    continue
                adj[src] = c if src not in adj else adj[src] + c
        for i in range(n):
            if i in positions:
                key_row[("p", i)].adjoint = adj.get(("p", i), 0.0)
    if tangents is not None:
        _tangents(records, key_row, tangents, positions, n)
        t.show_tangent = True
    return t


def _run(block, values, producer, records, globals_):
    def val(o):
        return o.value if isinstance(o, Const) else values[o]

    def rename(var, src):
        values[var] = val(src)
        producer[var] = producer.get(src) if isinstance(src, Var) else None

    for s in block:
        if isinstance(s, Op):
            args = [val(a) for a in s.args]
            kwargs = {k: val(v) for k, v in s.kwargs.items()}
            if s.fn is runtime.global_value:
                out = globals_[args[0]]
            else:
                out = s.fn(*args, **kwargs)
            if s.target is not None:
                values[s.target] = out
                if s.fn is runtime.global_value:
                    producer[s.target] = None
                    continue
                records.append({"op": s, "out": out, "args": args, "kwargs": kwargs,
                                "arg_src": [producer.get(a) if isinstance(a, Var) else None
                                            for a in s.args]})
                producer[s.target] = ("r", len(records) - 1)
        elif isinstance(s, If):
            cond = val(s.cond)
            _run(s.body if cond else s.orelse, values, producer, records, globals_)
            for p in s.phis:
                rename(p.var, p.then if cond else p.orelse)
        elif isinstance(s, Loop):
            for c in s.carries:
                rename(c.var, c.init)
            iterator = iter(val(s.iter)) if s.iter is not None else None
            while True:
                if iterator is not None:
                    try:
                        values[s.target] = next(iterator)
                    except StopIteration:
                        break
                    producer[s.target] = None
                else:
                    _run(s.cond_body, values, producer, records, globals_)
                    if not val(s.cond):
                        break
                _run(s.body, values, producer, records, globals_)
                new = [(val(c.next), producer.get(c.next) if isinstance(c.next, Var) else None)
                       for c in s.carries]
                for c, (v, src) in zip(s.carries, new):
                    values[c.var], producer[c.var] = v, src
                if s.exit_flag is not None and val(s.exit_flag):
                    break


def _describe(rec, key_row):
    s = rec["op"]

    def n(o, src):
        if src is not None:
            return key_row[src].name
        if isinstance(o, Const):
            return repr(o.value)
        return _fmt(rec["args"][s.args.index(o)]) if o in s.args else "?"
    a = [n(o, src) for o, src in zip(s.args, rec["arg_src"])]
    if s.fn in SYMBOLS and len(a) == 2:
        return f"{a[0]} {SYMBOLS[s.fn]} {a[1]}"
    if s.fn in UNARY:
        return f"{UNARY[s.fn]}{a[0]}"
    if s.fn is operator.getitem:
        return f"{a[0]}[{a[1]}]"
    fname = getattr(s.fn, "__name__", "f")
    kw = [f"{k}={v.value!r}" if isinstance(v, Const) else f"{k}=..." for k, v in s.kwargs.items()]
    return f"{fname}({', '.join(a + kw)})"


def _tangents(records, key_row, tangents, positions, n):
    """Forward mode over the executed rows, with the JVP rules."""
    from .rules import jvp_rule
    from .rules.jvp_rules import call_jvp
    tan = {}
    for i in range(n):
        t = tangents[positions.index(i)] if i in positions else 0.0
        key_row[("p", i)].tangent = t
        if i in positions:
            tan[("p", i)] = t
    for k, rec in enumerate(records):
        row = rec["row"]
        arg_t = [tan.get(src) if src is not None else None for src in rec["arg_src"]]
        if all(t is None for t in arg_t) or rules.is_nondiff(rec["op"].fn):
            row.tangent = 0.0
            continue
        rule = jvp_rule(rec["op"].fn)
        if rule is None:
            row.tangent = None
            continue
        row.tangent = call_jvp(rec["op"].fn, arg_t, rec["out"], rec["args"], rec["kwargs"])
        tan[("r", k)] = row.tangent
