"""gast -> Python source text, with astor.  With codegen.py, the only module
that knows gast's or astor's layout.

astor cannot print comments, so codegen leaves ``__comment__(k)`` marker
statements and `to_source` turns each into ``# <comments[k]>``.
"""
from __future__ import annotations

import re

import astor
import gast

_MARKER = re.compile(r"^(\s*)__comment__\((\d+)\)\s*$", re.M)


def to_source(node, comments=()) -> str:
    module = gast.Module(body=[node], type_ignores=[])
    # no re-wrapping of long lines: astor splits them at odd places
    text = astor.to_source(gast.gast_to_ast(module), indent_with="    ",
                           pretty_source=lambda parts: "".join(parts))
    return _MARKER.sub(lambda m: f"{m.group(1)}# {comments[int(m.group(2))]}", text)
