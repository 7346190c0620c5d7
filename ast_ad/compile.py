"""Source -> function object.

The generated function is defined inside a small factory whose parameters are
the module aliases and referenced objects (``np``, ``math``, ``_ad``, ...), so
they are closure variables, and the factory is given the user's module
globals: the generated function reads the user's globals live, like normal
Python, without writing anything into the user's module.  The source is
registered in `linecache`, so tracebacks, pdb and `inspect.getsource` show the
generated lines (and ast_ad can differentiate generated code again).
"""
from __future__ import annotations

import ast
import itertools
import linecache
import textwrap
import types

_counter = itertools.count(1)


def compile_source(source: str, func_name: str, aliases: dict, globals_dict: dict, label: str,
                   lines=None):
    """Compile `source` (one function) with `aliases` as its closure and
    `globals_dict` as its globals.  `lines` ({line: user Loc}, see
    codegen.line_locations): an exception raised by the generated code gets
    a note naming the user's line it was computing (the try/except that adds
    it is not in `source`: it costs nothing until an exception is raised)."""
    filename = f"<ast_ad {label} #{next(_counter)}>"
    aliases = dict(aliases)
    if lines:
        aliases["_ad_locate"] = _Locator(filename, lines, label)
    params = ", ".join(aliases)
    wrapped = (f"def __ast_ad_factory__({params}):\n"
               + textwrap.indent(source, "    ")
               + f"    return {func_name}\n")
    tree = ast.parse(wrapped, filename)
    if lines:
        _add_locator(tree, func_name, len(wrapped.splitlines()))
    code = compile(tree, filename, "exec")
    factory_code = next(c for c in code.co_consts if isinstance(c, types.CodeType))
    factory = types.FunctionType(factory_code, globals_dict, "__ast_ad_factory__")
    fn = factory(*aliases.values())
    linecache.cache[filename] = (len(wrapped), None, wrapped.splitlines(True), filename)
    return fn


def _add_locator(tree, func_name, last_line):
    """Wrap the body of `func_name` in ``try: ... except Exception as e:
    _ad_locate(e); raise`` (placed after the last line of the source)."""
    fdef = next(n for n in tree.body[0].body if isinstance(n, ast.FunctionDef)
                and n.name == func_name)
    line = last_line + 1
    where = dict(lineno=line, col_offset=0, end_lineno=line, end_col_offset=0)
    call = ast.Expr(ast.Call(ast.Name("_ad_locate", ast.Load(), **where),
                             [ast.Name("_ad_error", ast.Load(), **where)], [], **where), **where)
    handler = ast.ExceptHandler(ast.Name("Exception", ast.Load(), **where), "_ad_error",
                                [call, ast.Raise(**where)], **where)
    first = fdef.body[0]
    body = ast.Try(fdef.body, [handler], [], [], lineno=first.lineno,
                   col_offset=first.col_offset, end_lineno=line, end_col_offset=0)
    fdef.body = [body]


class _Locator:
    """Adds to an exception raised inside generated code the user's line
    that the failing generated line computes (a note; for ast_ad's own
    DifferentiationErrors raised at run time, their location)."""

    def __init__(self, filename, lines, label):
        self.filename = filename
        self.lines = lines
        self.label = label

    def __call__(self, error):
        tb, line = error.__traceback__, None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == self.filename:
                line = tb.tb_lineno
            tb = tb.tb_next
        loc = self.lines.get(line - 1) if line is not None else None
        if loc is None:
            return
        from .errors import DifferentiationError
        if isinstance(error, DifferentiationError) and error.filename is None:
            error.filename, error.lineno = loc.filename, loc.lineno
            error.col_offset, error.source_line = loc.col_offset, loc.line
            error.args = (error._format(),)
            return
        note = (f"(raised by the code ast_ad generated for the {self.label}, at the step "
                f"for {loc.filename}:{loc.lineno}: {loc.line.strip()})")
        if hasattr(error, "add_note") and note not in getattr(error, "__notes__", ()):
            error.add_note(note)
