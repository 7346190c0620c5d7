"""gast -> Python source text, with astor.  With codegen.py, the only module
that knows gast's or astor's layout.

astor cannot print comments, so codegen leaves ``__comment__(k)`` marker
statements and `to_source` turns each into ``# <comments[k]>``.
"""
from __future__ import annotations

import ast
import re

import astor
import gast

_MARKER = re.compile(r"^(\s*)__comment__\((\d+)\)\s*$", re.M)


def to_source(node, comments=()) -> str:
    module = ast.Module(body=[_to_ast(node)], type_ignores=[])
    # no re-wrapping of long lines: astor splits them at odd places
    text = astor.to_source(module, indent_with="    ",
                           pretty_source=lambda parts: "".join(parts))
    return _MARKER.sub(lambda m: f"{m.group(1)}# {comments[int(m.group(2))]}", text)


# gast.gast_to_ast is a general, validating transformer and cost more than
# astor's printing itself (~2.5 ms of a 17 ms transformation).  What codegen
# builds converts field by field; only parameters (gast Names, ast `arg`s)
# differ in shape.
_AST_CLASS = {}


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
    cls = _AST_CLASS.get(t)
    if cls is None:
        cls = _AST_CLASS[t] = getattr(ast, t.__name__)
    return cls(**{f: _to_ast(getattr(node, f, None)) for f in cls._fields})


def _param(name):
    if name is None:
        return None
    return ast.arg(arg=name.id, annotation=_to_ast(getattr(name, "annotation", None)))
