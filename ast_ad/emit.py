"""gast -> Python source text.  With codegen.py, the only module that knows
gast's or ast's node layout.

Statements are laid out here (one per line, four spaces per block, comments
from codegen's ``__comment__(k)`` marker statements printed as
``# comments[k]``); every expression is printed by the standard library's
`ast.unparse`, which follows the grammar of the running Python (3.9 on, also
3.14) and reads no deprecated node class.  (The printer used to be astor,
whose 0.8 release reads ``ast.Num`` & co.: a DeprecationWarning on import
from Python 3.12 on, and broken on 3.14.)

Three places where `ast.unparse` alone would print differently from what
ast_ad always printed, and from one Python version to the next, are laid
out here, so that the text is the same on every supported Python:

* a tuple that is a whole statement's value or target prints without
  parentheses: ``return value, (bx1, bx2)``, ``a, b = t``, ``for i, v in``
  (`ast.unparse` writes ``return (value, (bx1, bx2))``, and on 3.10 also
  ``(a, b) = t``);
* an ``or``/``and`` chain that is a statement's test or value prints its
  operands without parentheses (`ast.unparse` wraps the fourth and later
  comparisons in parentheses);
* a negative number constant prints as a unary minus of the positive
  number (parenthesised where needed: ``(-1) ** n``), except as the
  exponent of ``**``, where ``x ** -0.5`` means what it says.
"""
from __future__ import annotations

import ast

import gast

from .primitives import OPERATORS

_INDENT = "    "


def to_source(node, comments=()) -> str:
    """The source text of the gast statement `node` (a function definition,
    usually), ending with a newline."""
    lines: list[str] = []
    _stmt(_to_ast(node), 0, lines, comments)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- statements

def _comment_index(s):
    """k for a ``__comment__(k)`` marker statement, else None."""
    if type(s) is ast.Expr and type(s.value) is ast.Call:
        f = s.value.func
        if type(f) is ast.Name and f.id == "__comment__" and len(s.value.args) == 1:
            return s.value.args[0].value
    return None


def _block(body, level, lines, comments):
    for s in body:
        _stmt(s, level, lines, comments)
    if all(_comment_index(s) is not None for s in body):
        # (a block of comments alone is not a block to Python)
        lines.append(_INDENT * level + "pass")


def _stmt(s, level, lines, comments):
    pad = _INDENT * level
    t = type(s)
    if t is ast.Expr:
        k = _comment_index(s)
        if k is not None:
            lines.append(f"{pad}# {comments[k]}")
        else:
            lines.append(pad + _top(s.value))
    elif t is ast.Assign:
        targets = "".join(_top(x) + " = " for x in s.targets)
        lines.append(pad + targets + _top(s.value))
    elif t is ast.AugAssign:
        lines.append(f"{pad}{_expr(s.target)} {_BINOPS[type(s.op)]}= {_top(s.value)}")
    elif t is ast.Return:
        lines.append(pad + ("return" if s.value is None else "return " + _top(s.value)))
    elif t is ast.If:
        keyword = "if"
        while True:
            lines.append(f"{pad}{keyword} {_test(s.test)}:")
            _block(s.body, level + 1, lines, comments)
            if len(s.orelse) == 1 and type(s.orelse[0]) is ast.If:
                s, keyword = s.orelse[0], "elif"
                continue
            if s.orelse:
                lines.append(pad + "else:")
                _block(s.orelse, level + 1, lines, comments)
            break
    elif t is ast.For:
        lines.append(f"{pad}for {_top(s.target)} in {_expr(s.iter)}:")
        _block(s.body, level + 1, lines, comments)
        if s.orelse:
            lines.append(pad + "else:")
            _block(s.orelse, level + 1, lines, comments)
    elif t is ast.While:
        lines.append(f"{pad}while {_test(s.test)}:")
        _block(s.body, level + 1, lines, comments)
        if s.orelse:
            lines.append(pad + "else:")
            _block(s.orelse, level + 1, lines, comments)
    elif t is ast.FunctionDef:
        for d in s.decorator_list:
            lines.append(f"{pad}@{_expr(d)}")
        returns = f" -> {_expr(s.returns)}" if s.returns is not None else ""
        lines.append(f"{pad}def {s.name}({_expr(s.args)}){returns}:")
        _block(s.body, level + 1, lines, comments)
    elif t in _SIMPLE:
        lines.append(pad + _SIMPLE[t])
    else:       # anything else codegen may build one day: the standard printer
        lines.extend(pad + line for line in _expr(s).splitlines())


_SIMPLE = {ast.Pass: "pass", ast.Break: "break", ast.Continue: "continue"}
# (ast and gast name their operator nodes alike)
_BINOPS = {getattr(ast, op.node.__name__): op.symbol for op in OPERATORS.values()
           if op.kind == "binary"}


# --------------------------------------------------------------- expressions

def _expr(e) -> str:
    return ast.unparse(e)


def _top(e) -> str:
    """An expression that is a whole statement's value or target."""
    if type(e) is ast.Tuple and e.elts:
        items = [_test(x) for x in e.elts]
        return items[0] + "," if len(items) == 1 else ", ".join(items)
    return _test(e)


def _test(e) -> str:
    """An expression that is a statement's test, value or a tuple's item."""
    return _boolop(e) if type(e) is ast.BoolOp else _expr(e)


_LOOSE = (ast.BoolOp, ast.IfExp, ast.Lambda, ast.NamedExpr)


def _boolop(e) -> str:
    op = " or " if type(e.op) is ast.Or else " and "
    return op.join(f"({_expr(v)})" if isinstance(v, _LOOSE) else _expr(v) for v in e.values)


# ------------------------------------------------------------ gast -> ast

# gast.gast_to_ast is a general, validating transformer and costs more than
# the printing itself.  What codegen builds converts field by field; only
# parameters (gast Names, ast `arg`s) differ in shape.
_AST_CLASS: dict = {}


def _to_ast(node):
    t = type(node)
    if t is list:
        return [_to_ast(x) for x in node]
    if not isinstance(node, gast.AST):
        return node
    if t is gast.arguments:
        return ast.arguments(
            posonlyargs=[_param(a) for a in node.posonlyargs],
            args=[_param(a) for a in node.args],
            vararg=_param(node.vararg), kwonlyargs=[_param(a) for a in node.kwonlyargs],
            kw_defaults=_to_ast(node.kw_defaults), kwarg=_param(node.kwarg),
            defaults=_to_ast(node.defaults))
    if t is gast.Constant:
        v = node.value
        if _negative_number(v):
            return ast.UnaryOp(op=ast.USub(), operand=ast.Constant(value=-v, kind=None))
        return ast.Constant(value=v, kind=None)
    if t is gast.BinOp and type(node.op) is gast.Pow:
        exponent = _negative_exponent(node.right)
        if exponent is not None:
            return ast.BinOp(left=_to_ast(node.left), op=ast.Pow(),
                             right=ast.Constant(value=exponent, kind=None))
    cls = _AST_CLASS.get(t)
    if cls is None:
        cls = _AST_CLASS[t] = getattr(ast, t.__name__)
    new = cls(**{f: _to_ast(getattr(node, f, None)) for f in cls._fields})
    if isinstance(new, ast.stmt):
        # (`ast.unparse` before 3.13 reads the line of statements that may
        # carry a type comment)
        new.lineno = new.end_lineno = 0
    return new


def _negative_number(v):
    return type(v) in (int, float) and (v < 0 or (v == 0 and str(v).startswith("-")))


def _negative_exponent(node):
    """The value of a negative number written as an exponent (a constant,
    or a unary minus of one), else None."""
    if type(node) is gast.Constant and _negative_number(node.value):
        return node.value
    if type(node) is gast.UnaryOp and type(node.op) is gast.USub \
            and type(node.operand) is gast.Constant and type(node.operand.value) in (int, float) \
            and not _negative_number(node.operand.value):
        return -node.operand.value
    return None


def _param(name):
    if name is None:
        return None
    return ast.arg(arg=name.id, annotation=_to_ast(getattr(name, "annotation", None)),
                   type_comment=None)
