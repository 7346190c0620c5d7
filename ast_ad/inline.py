"""Inline a derivative rule: lower the rule's own Python source with its
parameters bound to IR operands.

Shared by reverse mode (VJP rules) and forward mode (JVP rules): a rule is an
ordinary Python function, and ``Lowerer.lower_body`` lowers its body into the
block being built, so the generated code reads ``g * np.cos(x)``, not a call
to a rule object.

What inlining guarantees:
* parameters the call does not pass are bound to ``Const(default)``, so
  templates specialise on them at compile time (``if axis is None:`` folds);
* with `nonnull` (forward mode), ``v is None`` / ``v is not None`` fold for
  every operand known not to be None: the tangent operands passed in and the
  values the rule itself computes; the dead branch is never generated;
* every inlined statement carries the location of the primal operation.

>>> import numpy as np
>>> from ast_ad.ir import Var, Const
>>> def rule(dx, ans, x, axis=None):
...     if dx is None:
...         return None
...     if axis is None:
...         return np.sum(dx)
...     return np.sum(dx, axis=axis)
>>> dx, y, x, block = Var("dx"), Var("y"), Var("x"), []
>>> src, sig = rule_source(rule)
>>> env = bind_env(rule, sig, [dx, y, x], {}, None)
>>> r = lower_rule(rule, env, {}, block, None, nonnull={dx})
>>> [(s.fn.__name__, s.args, s.kwargs) for s in block] == [("sum", [dx], {})]
True
>>> env = bind_env(rule, sig, [Const(None), y, x], {}, None)
>>> lower_rule(rule, env, {}, [], None, nonnull=set())
Const(None)
"""
from __future__ import annotations

import inspect
import operator
import os

from . import ir
from .errors import DifferentiationError, NoRuleError, SourceUnavailableError
from .ir import Const, Var
from .lower import Lowerer
from .memory import Memory
from .resolve import Scope

from .source import read_source

# errors located in ast_ad's own files are said at the user's line instead
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep

_RULE_SOURCES = {}


def rule_source(rule):
    """(FunctionSource, inspect.Signature) of a rule, read once."""
    if getattr(rule, "__name__", None) == "<lambda>":
        # (a lambda rule is called, as documented: it may use what the
        # supported subset does not, e.g. *args)
        raise SourceUnavailableError("a lambda rule is called, not inlined")
    if rule not in _RULE_SOURCES:
        _RULE_SOURCES[rule] = (read_source(rule), inspect.signature(rule))
    return _RULE_SOURCES[rule]


def bind_env(rule, sig, args, kwargs, loc):
    """Bind the operands `args`/`kwargs` to the rule's parameters; parameters
    left out get ``Const(default)``.  Returns {parameter name: operand}."""
    try:
        bound = sig.bind(*args, **kwargs)
    except TypeError as e:
        raise NoRuleError.at(loc, f"the derivative rule {rule.__name__} does not accept "
                                  f"this call: {e}") from None
    env = {}
    for name, p in sig.parameters.items():
        if name in bound.arguments:
            env[name] = bound.arguments[name]
        else:
            env[name] = Const(p.default)
    return env


class _RuleLowerer(Lowerer):
    """A Lowerer that decides ``v is None`` at compile time for the operands
    in `nonnull` (and for every value the rule computes)."""

    def __init__(self, *a, nonnull=(), **kw):
        super().__init__(*a, **kw)
        self.nonnull = set(nonnull)

    def emit(self, fn, args, kwargs=None, node=None, hint=""):
        if fn in (operator.is_, operator.is_not) and len(args) == 2 and not kwargs:
            a, b = args
            none = Const(None)
            if (b == none and _known(a, self.nonnull)) or (a == none and _known(b, self.nonnull)):
                return Const(fn is operator.is_not)
        out = super().emit(fn, args, kwargs, node, hint)
        if isinstance(out, Var):
            self.nonnull.add(out)
        return out


def _known(o, nonnull):
    return isinstance(o, Var) and o in nonnull


# rule, binding pattern -> _Template.  A rule inlined again with operands of
# the same pattern (which are Vars, which are the same Var, which constants)
# lowers to the same statements: copy them with fresh Vars instead.
_TEMPLATES = {}


class _Template:
    __slots__ = ("params", "stmts", "result", "structure")

    def __init__(self, params, stmts, result, structure):
        self.params = params          # the Vars bound in the first lowering
        self.stmts = stmts            # a pristine copy of what it made
        self.result = result
        self.structure = structure    # static elements of the Vars it made


def lower_rule(rule, env, structure, block, loc, nonnull=None):
    """Lower the body of `rule` with its parameters bound by `env` into
    `block`; return the operand of its ``return`` value."""
    key, params = _binding(rule, env, structure, nonnull)
    template = _TEMPLATES.get(key) if key is not None else None
    if template is not None:
        sub, result = _instantiate(template, params, structure)
    else:
        src, _ = rule_source(rule)
        sub = []
        if nonnull is None:
            lowerer = Lowerer(src, Scope(rule), (rule,), Memory(), structure)
        else:
            lowerer = _RuleLowerer(src, Scope(rule), (rule,), Memory(), structure,
                                   nonnull=nonnull)
        try:
            result = lowerer.operand(lowerer.lower_body(env, sub))
        except DifferentiationError as e:
            if e.filename is not None and not e.filename.startswith(_PACKAGE_DIR):
                raise       # (inside a rule of the user's: said there)
            # a built-in rule that refuses this call (runtime.refuse, a
            # subscript it does not cover): at the user's line
            raise type(e).at(loc, e.message) from None
        if key is not None:
            made = ir.all_defs(sub)
            _TEMPLATES[key] = _Template(params, ir.copy_block(sub), result,
                                        {v: structure[v] for v in made if v in structure})
    for st in ir.walk(sub):
        if hasattr(st, "loc"):
            st.loc = loc
    block.extend(sub)
    return result


def _binding(rule, env, structure, nonnull):
    """(cache key, the distinct Vars bound, in order), or (None, None) when
    the binding has something a template cannot stand for (a Var with static
    elements, a constant that is not a plain value)."""
    params, pattern = [], [rule, nonnull is None]
    for name, o in env.items():
        if isinstance(o, Var):
            if o in structure:
                return None, None
            if o not in params:
                params.append(o)
            pattern.append((name, "v", params.index(o), nonnull is not None and o in nonnull))
        else:
            value = _plain(o.value)
            if value is _NOT_PLAIN:
                return None, None
            pattern.append((name, "c", value))
    return tuple(pattern), params


_NOT_PLAIN = object()


def _plain(v):
    """A hashable key that tells constants apart exactly (0 from 0.0 from
    False, -0.0 from 0.0), or _NOT_PLAIN."""
    if v is None or type(v) in (bool, int, str):
        return (type(v).__name__, v)
    if type(v) is float:
        return ("float", repr(v))
    if type(v) is tuple:
        parts = tuple(_plain(x) for x in v)
        return _NOT_PLAIN if _NOT_PLAIN in parts else ("tuple", parts)
    return _NOT_PLAIN


def _instantiate(template, params, structure):
    mapping = dict(zip(template.params, params))
    for v in ir.all_defs(template.stmts):
        mapping[v] = Var(v.hint)
    stmts = ir.renamed_copy(template.stmts, mapping)
    rename = lambda o: mapping.get(o, o) if isinstance(o, Var) else o
    for v, elts in template.structure.items():
        structure[mapping[v]] = ({k: rename(e) for k, e in elts.items()} if isinstance(elts, dict)
                                 else [rename(e) for e in elts])
    return stmts, rename(template.result)


def elements(result, structure):
    """The operands of a rule's tuple result (one per element), or [result]."""
    if isinstance(result, Const) and isinstance(result.value, tuple):
        return [Const(v) for v in result.value]
    elts = structure.get(result) if isinstance(result, Var) else None
    return list(elts) if isinstance(elts, list) else [result]
