"""The SSA three-address IR: the evaluation trace of the AD textbooks, as code.

A `Function` is a list of statements over `Var`s (SSA values, each defined
exactly once) and `Const`s.  Control flow stays *structured*, which is what
makes the reverse sweep simple and the generated Python readable:

* `Op`    -- ``target = fn(*args, **kwargs)``; `fn` is the callable object
  itself (``numpy.sin``, ``operator.mul``), so rules are looked up by
  object, never by spelling.
* `If`    -- two blocks and `Phi`s that join the values they define.
* `Loop`  -- a ``for`` over an integer range object or a ``while``; values the
  loop overwrites are `Carry`s (``var`` holds the value at the start of an
  iteration and after the loop; ``next`` is the value at the end of the body).
  ``exit_flag`` is a boolean computed by the body; when true the loop stops
  after the iteration (``break`` is lowered to it).

A function returns exactly one operand (`Function.ret`): early ``return``
statements are lowered to phis.  `Var`s carry only a naming *hint*; identifiers
are chosen once, at codegen, by `naming.py`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Union


class Var:
    """An SSA value.  Identity is the object itself; `hint` is a naming wish."""
    __slots__ = ("hint",)

    def __init__(self, hint: str = ""):
        self.hint = hint

    def __repr__(self):
        return f"Var({self.hint or '_'}@{id(self) % 10000})"


class Const:
    """A compile-time constant operand (number, string, None, slice, tuple,
    or any object the generated code must reference, e.g. a closure value)."""
    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value

    def __repr__(self):
        return f"Const({self.value!r})"

    def __eq__(self, other):
        return (isinstance(other, Const) and type(other.value) is type(self.value)
                and _const_key(other.value) == _const_key(self.value))

    def __hash__(self):
        return hash((type(self.value).__name__, _const_key(self.value)))


def _const_key(v):
    try:
        hash(v)
        return v
    except TypeError:
        return id(v)


Operand = Union[Var, Const]


@dataclass(frozen=True)
class Loc:
    """Where a statement came from in the user's file (1-based line)."""
    filename: str
    lineno: int
    col_offset: int
    line: str  # the source line, stripped


@dataclass(eq=False)
class Op:
    target: Optional[Var]
    fn: Any
    args: list
    kwargs: dict = field(default_factory=dict)
    loc: Optional[Loc] = None
    # set on the ops that unpack a container parameter into its elements
    # (lower._explode): the element's kind; reverse mode rebuilds the
    # container's gradient from the elements' adjoints
    explode: Any = None
    # set on reads of module globals in specialised code: the value seen when
    # the code was made (its kind and shape specialise the code, and the
    # generated code's first line checks them again at each call)
    observed: Any = None
    # set on the statements of the backward sweep (codegen starts its
    # `# grad of:` comments there)
    backward: bool = False


@dataclass(eq=False)
class Phi:
    var: Var
    then: Operand
    orelse: Operand


@dataclass(eq=False)
class If:
    cond: Operand
    body: list
    orelse: list
    phis: list = field(default_factory=list)
    loc: Optional[Loc] = None
    backward: bool = False      # (see Op.backward)


@dataclass(eq=False)
class Carry:
    var: Var
    init: Operand
    next: Operand


@dataclass(eq=False)
class Loop:
    """``for target in iter`` (iter is not None) or ``while cond`` (the
    statements in `cond_body` compute `cond` at the start of each iteration).
    `target` is a Var, or a list of Vars to unpack each element into."""
    body: list
    carries: list = field(default_factory=list)
    target: Any = None
    iter: Optional[Operand] = None
    cond_body: list = field(default_factory=list)
    cond: Optional[Operand] = None
    exit_flag: Optional[Operand] = None
    loc: Optional[Loc] = None
    backward: bool = False      # (see Op.backward)


@dataclass(eq=False)
class Function:
    name: str
    params: list            # list[Var]
    body: list
    ret: Operand
    param_names: list = field(default_factory=list)
    defaults: dict = field(default_factory=dict)   # param name -> Const
    origin: Any = None       # the FunctionSource it was lowered from
    # container parameters and literals whose elements are known: Var ->
    # list of element operands, or dict key -> operand (lower.py)
    structure: dict = field(default_factory=dict)
    # what the transformation made (reverse.py, forward.py): the primal
    # result, the gradients and tangents in the result
    value: Any = None
    grad_vars: list = field(default_factory=list)
    tangent_vars: list = field(default_factory=list)
    # the aval of every Var (infer.py), kept by the passes that infer it
    avals: dict = field(default_factory=dict)
    header: Optional[str] = None     # a comment for the generated code's first lines
    # positions of the parameters whose objects the function changes in place
    # (lower.py): a caller passing one array in two places would see the
    # change through the other, which the code does not follow, so the
    # generated code refuses such calls (codegen.py)
    mutated_params: tuple = ()


# ---------------------------------------------------------------- traversal

def operands_of(stmt) -> list:
    """The operands a statement reads directly (not those of nested blocks)."""
    if isinstance(stmt, Op):
        return list(stmt.args) + list(stmt.kwargs.values())
    if isinstance(stmt, If):
        return [stmt.cond]
    if isinstance(stmt, Loop):
        out = [c.init for c in stmt.carries]
        if stmt.iter is not None:
            out.append(stmt.iter)
        return out
    raise TypeError(stmt)


def all_operands(stmt) -> list:
    """Every operand a statement reads at its own level: an `If`'s phi
    sources and a `Loop`'s carried next values, condition and exit flag
    included (the statements of nested blocks excluded)."""
    out = operands_of(stmt)
    if isinstance(stmt, If):
        for p in stmt.phis:
            out += [p.then, p.orelse]
    elif isinstance(stmt, Loop):
        out += [c.next for c in stmt.carries]
        out += [o for o in (stmt.cond, stmt.exit_flag) if o is not None]
    return out


def walk(block):
    """Every statement in a block, nested blocks included, in program order."""
    for s in block:
        yield s
        if isinstance(s, If):
            yield from walk(s.body)
            yield from walk(s.orelse)
        elif isinstance(s, Loop):
            yield from walk(s.cond_body)
            yield from walk(s.body)


def defs_of(stmt) -> list:
    """Vars a statement defines at its own level (nested blocks excluded)."""
    if isinstance(stmt, Op):
        return [stmt.target] if stmt.target is not None else []
    if isinstance(stmt, If):
        return [p.var for p in stmt.phis]
    if isinstance(stmt, Loop):
        return [c.var for c in stmt.carries]
    return []


def all_defs(block) -> set:
    """Every Var defined anywhere in `block`, loop targets included."""
    out = set()
    for s in walk(block):
        out.update(defs_of(s))
        if isinstance(s, Loop):
            out.update(loop_targets(s))
    return out


def loop_targets(loop) -> list:
    if loop.target is None:
        return []
    return list(loop.target) if isinstance(loop.target, (list, tuple)) else [loop.target]


def uses(block) -> set:
    """Every Var read anywhere in `block` (nested blocks included)."""
    return {o for s in walk(block) for o in all_operands(s) if isinstance(o, Var)}


def substitute(block, mapping: dict):
    """Replace operands in place, following `mapping` (Var -> Operand)."""
    def sub(o):
        while isinstance(o, Var) and o in mapping:
            o = mapping[o]
        return o
    for s in walk(block):
        if isinstance(s, Op):
            s.args = [sub(a) for a in s.args]
            s.kwargs = {k: sub(v) for k, v in s.kwargs.items()}
        elif isinstance(s, If):
            s.cond = sub(s.cond)
            for p in s.phis:
                p.then, p.orelse = sub(p.then), sub(p.orelse)
        elif isinstance(s, Loop):
            for c in s.carries:
                c.init, c.next = sub(c.init), sub(c.next)
            if s.iter is not None:
                s.iter = sub(s.iter)
            s.cond = sub(s.cond) if s.cond is not None else None
            s.exit_flag = sub(s.exit_flag) if s.exit_flag is not None else None
    return sub


# ---------------------------------------------------------------- verifier

class IRError(AssertionError):
    pass


def verify(fn: Function) -> None:
    """Check the IR invariants: every Var defined once, and defined before it
    is read (in the structured sense: blocks see the definitions of their
    enclosing blocks and of earlier branches; a loop body sees its carries
    and targets, and nothing defined in a loop body is read after it)."""
    defined: set = set()

    def define(v):
        if not isinstance(v, Var):
            raise IRError(f"definition of non-Var {v!r}")
        if v in defined:
            raise IRError(f"{v!r} defined twice")
        defined.add(v)

    def need(o, scope):
        if isinstance(o, Var) and o not in scope:
            raise IRError(f"{o!r} read before definition")
        if not isinstance(o, (Var, Const)):
            raise IRError(f"operand {o!r} is neither Var nor Const")

    def block(stmts, scope):
        scope = set(scope)
        for s in stmts:
            if isinstance(s, Op):
                for o in operands_of(s):
                    need(o, scope)
                if s.target is not None:
                    define(s.target)
                    scope.add(s.target)
            elif isinstance(s, If):
                need(s.cond, scope)
                ts = block(s.body, scope)
                es = block(s.orelse, scope)
                for p in s.phis:
                    need(p.then, ts)
                    need(p.orelse, es)
                    define(p.var)
                    scope.add(p.var)
                # As in Python, a value defined in a branch stays visible after
                # the `if`: the backward sweep reads it in the replayed branch.
                scope |= ts | es
            elif isinstance(s, Loop):
                for c in s.carries:
                    need(c.init, scope)
                if s.iter is not None:
                    need(s.iter, scope)
                inner = set(scope)
                for c in s.carries:
                    define(c.var)
                    inner.add(c.var)
                inner = block(s.cond_body, inner)
                if s.cond is not None:
                    need(s.cond, inner)
                for t in loop_targets(s):
                    define(t)
                    inner.add(t)
                inner = block(s.body, inner)
                for c in s.carries:
                    need(c.next, inner)
                if s.exit_flag is not None:
                    need(s.exit_flag, inner)
                for c in s.carries:
                    scope.add(c.var)
            else:
                raise IRError(f"unknown statement {s!r}")
        return scope

    scope = set()
    for p in fn.params:
        define(p)
        scope.add(p)
    scope = block(fn.body, scope)
    need(fn.ret, scope)


# ---------------------------------------------------------------- copying

def copy_block(block):
    """A copy of the statement objects (Vars and Consts are shared), so that
    a transformation can edit statements without touching the original."""
    return renamed_copy(block, {})


def renamed_copy(block, mapping):
    """A copy of `block` with every Var in `mapping` (operands and
    definitions) replaced, e.g. a lowered template instantiated again."""
    def r(o):
        return mapping.get(o, o) if isinstance(o, Var) else o

    out = []
    for s in block:
        if isinstance(s, Op):
            out.append(Op(r(s.target), s.fn, [r(a) for a in s.args],
                          {k: r(v) for k, v in s.kwargs.items()}, s.loc, s.explode, s.observed,
                          s.backward))
        elif isinstance(s, If):
            out.append(If(r(s.cond), renamed_copy(s.body, mapping),
                          renamed_copy(s.orelse, mapping),
                          [Phi(r(p.var), r(p.then), r(p.orelse)) for p in s.phis], s.loc,
                          s.backward))
        elif isinstance(s, Loop):
            target = s.target
            if isinstance(target, (list, tuple)):
                target = type(target)(r(t) for t in target)
            else:
                target = r(target)
            out.append(Loop(renamed_copy(s.body, mapping),
                            [Carry(r(c.var), r(c.init), r(c.next)) for c in s.carries],
                            target, r(s.iter), renamed_copy(s.cond_body, mapping), r(s.cond),
                            r(s.exit_flag), s.loc, s.backward))
    return out


def copy_function(fn):
    """A copy whose statements can be edited (Vars are shared, and so are
    the facts about them)."""
    return Function(fn.name, list(fn.params), copy_block(fn.body), fn.ret,
                    list(fn.param_names), dict(fn.defaults), fn.origin, dict(fn.structure),
                    fn.value, list(fn.grad_vars), list(fn.tangent_vars), dict(fn.avals),
                    fn.header)
