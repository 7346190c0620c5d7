"""Read a function's source and parse it with gast.

The result remembers the file name and the first line so that every later
stage can report errors at the user's own line and column.
"""
from __future__ import annotations

import inspect
import linecache
import re
import textwrap
import types
import weakref
from dataclasses import dataclass

import gast

from .errors import SourceUnavailableError, UnsupportedSyntaxError
from .ir import Loc


@dataclass
class FunctionSource:
    func_ref: object        # the Python function, weakly where it can be (see `func`)
    tree: gast.FunctionDef  # decorators stripped, line numbers relative to `lines`
    filename: str
    first_lineno: int       # line of the `def` (or first decorator) in the file
    lines: list             # the source lines as in the file
    indent: int             # columns removed by dedent

    @property
    def func(self):
        """The function (read sources are cached per function, weakly: the
        cache must not keep a dropped function alive)."""
        ref = self.func_ref
        return ref() if isinstance(ref, weakref.ref) else ref

    def loc(self, node) -> Loc:
        """The user's file location of a gast node."""
        lineno = getattr(node, "lineno", 1) or 1
        col = (getattr(node, "col_offset", 0) or 0) + self.indent
        text = self.lines[lineno - 1] if 0 < lineno <= len(self.lines) else ""
        return Loc(self.filename, self.first_lineno + lineno - 1, col, text.rstrip("\n"))

    def signature(self):
        """inspect.signature of the function, made once (a helper is bound
        at every call site)."""
        sig = self.__dict__.get("_signature")
        if sig is None:
            sig = self._signature = inspect.signature(self.func)
        return sig

    def error(self, node, message, cls=UnsupportedSyntaxError):
        loc = self.loc(node)
        return cls(message, loc.filename, loc.lineno, loc.col_offset, loc.line)


_PARSED = weakref.WeakKeyDictionary()


def read_source(func) -> FunctionSource:
    """Parse `func`'s definition (once per function object: a helper called
    from many places, or a rule inlined many times, is read once).  Raises
    SourceUnavailableError when Python has no source for it (builtins, C
    extensions, functions typed in a REPL)."""
    func = inspect.unwrap(func)
    try:
        cached = _PARSED.get(func)
    except TypeError:
        cached = None
    if cached is not None:
        return cached
    parsed = _read_source(func)
    try:
        _PARSED[func] = parsed
    except TypeError:
        pass
    return parsed


def _read_source(func) -> FunctionSource:
    name = getattr(func, "__name__", repr(func))
    try:
        filename = inspect.getsourcefile(func) or inspect.getfile(func)
        quick = _lines_of(func, filename)
        if quick is not None:
            try:
                node, indent = _parse(quick[0])
            except SyntaxError:
                node = None
            if isinstance(node, gast.FunctionDef) and node.name == name:
                node.decorator_list = []
                return FunctionSource(_weak(func), node, filename, quick[1], list(quick[0]),
                                      indent)
        lines, first = inspect.getsourcelines(func)
    except (OSError, TypeError) as e:
        raise SourceUnavailableError(
            f"cannot read the source of {name!r} ({e}); ast_ad transforms Python "
            "source, so define the function in a file, or declare it a primitive "
            "with ast_ad.primitive and give its rule with defvjp") from None
    if filename and not linecache.getlines(filename):
        linecache.updatecache(filename)
    if name == "<lambda>":
        node, file_lines = _lambda_as_def(func, lines, first, filename)
        return FunctionSource(_weak(func), node, filename, 1, list(file_lines), 0)
    try:
        node, indent = _parse(lines)
    except SyntaxError as e:
        raise UnsupportedSyntaxError(f"cannot parse the source of {name!r}: {e.msg}",
                                     filename, first + (e.lineno or 1) - 1,
                                     (e.offset or 1) - 1, lines[(e.lineno or 1) - 1]) from None
    if not isinstance(node, gast.FunctionDef):
        loc_line = lines[0].rstrip("\n")
        found = re.search(r"\blambda\b", loc_line)
        kind = "lambda" if found else type(node).__name__
        col = found.start() if found else indent
        raise UnsupportedSyntaxError(
            f"{kind} functions are not supported; write a `def` function instead",
            filename, first, col, loc_line)
    node.decorator_list = []
    return FunctionSource(_weak(func), node, filename, first, [l for l in lines], indent)


def _lambda_as_def(func, lines, first, filename):
    """(``def lambda_(args): return body``, FunctionSource fields) for the
    lambda `func`.  The whole file is parsed (the lines Python gives for a
    lambda need not be a whole statement) and the lambda found by its line;
    several on one line are told apart by the position of the code's first
    instruction (Python >= 3.11)."""
    where = lines[0].rstrip("\n")
    col0 = len(where) - len(where.lstrip())

    def refuse(why):
        return UnsupportedSyntaxError(f"cannot read this lambda's source: {why}; write a `def` "
                                      "function instead", filename, first, col0, where)
    file_lines = linecache.getlines(filename)
    try:
        tree = gast.parse("".join(file_lines))
    except SyntaxError:
        raise refuse("its file does not parse") from None
    line = func.__code__.co_firstlineno
    lambdas = [n for n in gast.walk(tree) if isinstance(n, gast.Lambda) and n.lineno == line]
    if len(lambdas) > 1:
        positions = getattr(func.__code__, "co_positions", None)
        # (the first instruction with a span: RESUME has an empty one)
        start = next(((ln, col) for ln, _, col, end in positions() if ln is not None
                      and col is not None and end is not None and end > col),
                     None) if positions else None
        if start is not None:
            holding = [n for n in lambdas
                       if (n.body.lineno, n.body.col_offset) <= start
                       <= (n.body.end_lineno, n.body.end_col_offset)]
            lambdas = holding[-1:]      # (the innermost one that holds it)
    if len(lambdas) != 1:
        raise refuse("several lambdas are on its line" if lambdas else "no lambda found")
    lam = lambdas[0]
    ret = gast.Return(value=lam.body)
    gast.copy_location(ret, lam.body)
    node = gast.FunctionDef(name="lambda_", args=lam.args, body=[ret], decorator_list=[],
                            returns=None, type_comment=None, type_params=[])
    gast.copy_location(node, lam)
    return node, file_lines


def _weak(func):
    try:
        return weakref.ref(func)
    except TypeError:
        return func


def _parse(lines):
    """(first statement, columns removed by dedent) of `lines`; raises
    SyntaxError."""
    text = "".join(lines)
    dedented = textwrap.dedent(text)
    module = gast.parse(dedented)
    if not module.body:
        raise SyntaxError("no statement")
    return module.body[0], _indent_removed(text, dedented)


def _lines_of(func, filename):
    """The lines of `func`'s definition, from the line numbers its code
    objects record (a definition ends where its last instruction does), or
    None.  inspect.getsourcelines finds the end by tokenizing the file from
    the `def` on, which cost more than parsing.  Lines after the last
    instruction hold no code (``pass``, a comment), so leaving them out
    changes nothing; _read_source checks that they parse to `func`'s `def`."""
    code = getattr(func, "__code__", None)
    if code is None or not filename:
        return None
    linecache.checkcache(filename)      # (a module reloaded from an edited file)
    lines = linecache.getlines(filename, getattr(func, "__globals__", None))
    last, stack = code.co_firstlineno, [code]
    while stack:
        c = stack.pop()
        if not hasattr(c, "co_positions"):
            return None     # (Python 3.10)
        last = max([last] + [end for _, end, _, _ in c.co_positions() if end is not None])
        stack.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
    first = code.co_firstlineno
    if not 0 < first <= last <= len(lines):
        return None
    return lines[first - 1:last], first


def _indent_removed(text, dedented):
    for a, b in zip(text.splitlines(), dedented.splitlines()):
        if a.strip():
            return len(a) - len(b)
    return 0
