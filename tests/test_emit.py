"""The printer (emit.py): what it prints parses back to the tree it was
given, on every supported Python, without a warning.

Random expression trees (a fixed seed, so a failure reproduces) of the
node kinds codegen builds are printed inside statements and parsed back
with `ast.parse`; the two trees must be the same, up to the one thing
Python's grammar cannot tell apart (a negative constant and a unary minus
of a positive one).  The layout choices emit.py documents are checked on
small hand-built functions.
"""
import ast
import random
import warnings

import gast
import pytest

from ast_ad.emit import to_source


def name(n):
    return gast.Name(id=n, ctx=gast.Load(), annotation=None, type_comment=None)


def store(n):
    return gast.Name(id=n, ctx=gast.Store(), annotation=None, type_comment=None)


def const(v):
    return gast.Constant(value=v, kind=None)


BINOPS = [gast.Add, gast.Sub, gast.Mult, gast.Div, gast.FloorDiv, gast.Mod, gast.Pow,
          gast.MatMult]
CMPOPS = [gast.Lt, gast.LtE, gast.Gt, gast.GtE, gast.Eq, gast.NotEq, gast.Is, gast.IsNot]
UNARY = [gast.USub, gast.UAdd, gast.Not, gast.Invert]


def random_expr(rng, depth):
    if depth == 0 or rng.random() < 0.2:
        choice = rng.random()
        if choice < 0.4:
            return name(rng.choice("xyzw"))
        if choice < 0.7:
            return const(rng.choice([0.5, 2.0, -1.0, -0.5, 3, -2, 0, 1e-8, -0.0]))
        if choice < 0.8:
            return const(rng.choice([None, True, "f", "it's"]))
        return gast.Attribute(value=name("np"), attr="pi", ctx=gast.Load())
    d = depth - 1
    kind = rng.randrange(12)
    if kind == 0:
        return gast.BinOp(left=random_expr(rng, d), op=rng.choice(BINOPS)(),
                          right=random_expr(rng, d))
    if kind == 1:
        return gast.UnaryOp(op=rng.choice(UNARY)(), operand=random_expr(rng, d))
    if kind == 2:
        n = rng.randrange(2, 6)
        return gast.BoolOp(op=rng.choice([gast.Or, gast.And])(),
                           values=[random_expr(rng, d) for _ in range(n)])
    if kind == 3:
        n = rng.randrange(1, 3)
        return gast.Compare(left=random_expr(rng, d), ops=[rng.choice(CMPOPS)() for _ in range(n)],
                            comparators=[random_expr(rng, d) for _ in range(n)])
    if kind == 4:
        return gast.IfExp(test=random_expr(rng, d), body=random_expr(rng, d),
                          orelse=random_expr(rng, d))
    if kind == 5:
        return gast.Tuple(elts=[random_expr(rng, d) for _ in range(rng.randrange(0, 4))],
                          ctx=gast.Load())
    if kind == 6:
        return gast.List(elts=[random_expr(rng, d) for _ in range(rng.randrange(0, 3))],
                         ctx=gast.Load())
    if kind == 7:
        keywords = [gast.keyword(arg="axis", value=random_expr(rng, d))] if rng.random() < 0.3 \
            else []
        return gast.Call(func=gast.Attribute(value=name("np"), attr="sum", ctx=gast.Load()),
                         args=[random_expr(rng, d)], keywords=keywords)
    if kind == 8:
        return gast.Attribute(value=random_expr(rng, d), attr="T", ctx=gast.Load())
    if kind == 9:
        index = rng.choice([
            lambda: random_expr(rng, d),
            lambda: gast.Slice(lower=random_expr(rng, d), upper=None, step=None),
            lambda: gast.Tuple(elts=[gast.Slice(lower=None, upper=None, step=None), const(None)],
                               ctx=gast.Load()),
        ])()
        return gast.Subscript(value=random_expr(rng, d), slice=index, ctx=gast.Load())
    if kind == 10:
        return gast.Dict(keys=[const("a")], values=[random_expr(rng, d)])
    return gast.Call(func=name("f"), args=[gast.Starred(value=name("xs"), ctx=gast.Load())],
                     keywords=[])


def function(body):
    args = gast.arguments(args=[gast.Name(id="x", ctx=gast.Param(), annotation=None,
                                          type_comment=None)],
                          posonlyargs=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                          kwarg=None, defaults=[])
    return gast.FunctionDef(name="g", args=args, body=body, decorator_list=[], returns=None,
                            type_comment=None, type_params=[])


class _Fold(ast.NodeTransformer):
    """``-<number>`` as one constant, as codegen may build either; no
    ``type_params`` (old gast on Python 3.12+ leaves them out)."""

    def visit_FunctionDef(self, node):
        self.generic_visit(node)
        node.type_params = []
        return node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
                and type(node.operand.value) in (int, float):
            return ast.Constant(value=-node.operand.value)
        return node


def normal(tree):
    tree = _Fold().visit(tree)
    return ast.dump(tree, annotate_fields=True, include_attributes=False)


def expected_tree(node):
    """What the gast tree means, as a plain ast module."""
    with warnings.catch_warnings():     # (old gast on new Pythons)
        warnings.simplefilter("ignore", DeprecationWarning)
        mod = gast.gast_to_ast(gast.Module(body=[node], type_ignores=[]))
    return normal(mod)


def statements(rng):
    e = lambda: random_expr(rng, 4)     # noqa: E731
    return [
        gast.Assign(targets=[store("a")], value=e(), type_comment=None),
        gast.Assign(targets=[gast.Tuple(elts=[store("a"), store("b")], ctx=gast.Store())],
                    value=e(), type_comment=None),
        gast.AugAssign(target=store("a"), op=rng.choice(BINOPS)(), value=e()),
        gast.If(test=e(), body=[gast.Return(value=e())],
                orelse=[gast.If(test=e(), body=[gast.Pass()], orelse=[gast.Break()])]),
        gast.For(target=gast.Tuple(elts=[store("i"), store("v")], ctx=gast.Store()),
                 iter=e(), body=[gast.Expr(value=e()), gast.Continue()], orelse=[],
                 type_comment=None),
        gast.While(test=e(), body=[gast.Return(value=gast.Tuple(elts=[e()], ctx=gast.Load()))],
                   orelse=[]),
        gast.Return(value=gast.Tuple(elts=[e(), e()], ctx=gast.Load())),
    ]


@pytest.mark.parametrize("seed", range(60))
def test_printed_code_parses_back_to_the_same_tree(seed):
    rng = random.Random(seed)
    fn = function(statements(rng))
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # (printing warns about nothing)
        text = to_source(fn)
    printed = ast.parse(text)
    assert normal(printed) == expected_tree(fn), text


def test_negative_constants_keep_their_meaning():
    fn = function([gast.Return(value=gast.Tuple(elts=[
        gast.BinOp(left=const(-1.0), op=gast.Pow(), right=name("x")),
        gast.BinOp(left=name("x"), op=gast.Pow(), right=const(-0.5)),
        gast.BinOp(left=name("x"), op=gast.Pow(),
                   right=gast.UnaryOp(op=gast.USub(), operand=const(2))),
        gast.Attribute(value=const(-3), attr="real", ctx=gast.Load())], ctx=gast.Load()))])
    text = to_source(fn)
    assert text.splitlines()[1] == "    return (-1.0) ** x, x ** -0.5, x ** -2, (-3).real"
    ns = {}
    exec(text, ns)
    assert ns["g"](2.0) == (1.0, 2.0 ** -0.5, 0.25, -3)


def test_layout_of_statements():
    comments = ["grad of: y = x * x"]
    marker = gast.Expr(value=gast.Call(func=name("__comment__"), args=[const(0)], keywords=[]))
    fn = function([
        gast.Assign(targets=[gast.Tuple(elts=[store("a"), store("b")], ctx=gast.Store())],
                    value=gast.Tuple(elts=[name("x"), const(1.0)], ctx=gast.Load()),
                    type_comment=None),
        marker,
        gast.If(test=gast.BoolOp(op=gast.Or(), values=[
            gast.Compare(left=name(v), ops=[gast.IsNot()], comparators=[name("float")])
            for v in "abcd"]), body=[gast.Return(value=gast.Tuple(elts=[name("a")],
                                                                   ctx=gast.Load()))],
            orelse=[gast.If(test=name("b"), body=[gast.Pass()], orelse=[
                gast.Return(value=gast.Tuple(elts=[name("a"), gast.Tuple(
                    elts=[name("b"), name("x")], ctx=gast.Load())], ctx=gast.Load()))])]),
    ])
    assert to_source(fn, comments) == (
        "def g(x):\n"
        "    a, b = x, 1.0\n"
        "    # grad of: y = x * x\n"
        "    if a is not float or b is not float or c is not float or d is not float:\n"
        "        return a,\n"
        "    elif b:\n"
        "        pass\n"
        "    else:\n"
        "        return a, (b, x)\n")
