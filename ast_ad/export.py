"""The runtime helpers generated code calls, as source to write into an
exported module, so that the module imports only `math` and `numpy`.

Generated code reaches the helpers as ``_ad.<name>`` (ast_ad.runtime).
`helpers_source` collects the helpers a piece of code uses, and the runtime
functions and constants they use in turn, copies their source in the order
of runtime.py, and ends with a class ``_ad`` whose attributes are those
functions: the generated code runs unchanged.  A helper that raises one of
ast_ad's errors gets a stand-in class of the same name (derived from
``ValueError`` or ``TypeError`` like the original where it is one).
"""
from __future__ import annotations

import ast
import builtins
import inspect
import re
import symtable
import textwrap

from . import errors, runtime

_ERROR_IMPORT = re.compile(r"^[ \t]*from \.errors import ([\w, ]+)\n", re.M)


def used_helpers(code: str) -> list:
    """The names of the ``_ad.<name>`` helpers `code` uses."""
    found = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id == "_ad":
            found.add(node.attr)
    return sorted(found)


def _globals_read(source: str) -> set:
    """The global names a function's source reads."""
    table = symtable.symtable(source, "<helper>", "exec")
    found = set()

    def visit(t):
        for s in t.get_symbols():
            if s.is_referenced() and s.is_global():
                found.add(s.get_name())
        for child in t.get_children():
            visit(child)
    for child in table.get_children():
        visit(child)
    return found


def helpers_source(code: str) -> str:
    """Source defining every runtime helper `code` uses (empty if none),
    ending with ``class _ad`` that holds them."""
    wanted = used_helpers(code)
    if not wanted:
        return ""
    module_names = vars(runtime)
    todo, seen, error_names = list(wanted), {}, set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        obj = module_names.get(name)
        if obj is None:
            raise ValueError(f"the generated code uses _ad.{name}, which ast_ad.runtime "
                             "does not define")
        if not inspect.isfunction(obj) or obj.__module__ != runtime.__name__:
            raise ValueError(f"cannot copy ast_ad.runtime.{name} into an exported module")
        src = textwrap.dedent(inspect.getsource(obj))
        error_names.update(n.strip() for m in _ERROR_IMPORT.finditer(src)
                           for n in m.group(1).split(","))
        src = _ERROR_IMPORT.sub("", src)
        seen[name] = (inspect.getsourcelines(obj)[1], src)
        for g in _globals_read(src):
            if g in ("np", "math") or hasattr(builtins, g) or g in error_names:
                continue
            if g in module_names and inspect.isfunction(module_names[g]):
                todo.append(g)
            elif not hasattr(errors, g):
                raise ValueError(f"ast_ad.runtime.{name} reads {g}, which an exported "
                                 "module cannot define")
            else:
                error_names.add(g)
    parts = [_error_classes(sorted(error_names))] if error_names else []
    parts += [src for _, src in sorted(seen.values())]
    holder = "\n".join(f"    {n} = staticmethod({n})" for n in wanted)
    parts.append('class _ad:\n    """The ast_ad.runtime helpers the code below calls."""\n'
                 + holder + "\n")
    return "\n\n".join(p.rstrip("\n") + "\n" for p in parts)


def _error_classes(names) -> str:
    """Stand-ins for ast_ad's error classes `names`, each derived from the
    nearest of them it derives from (else from its built-in base)."""
    classes = sorted((getattr(errors, n) for n in names), key=lambda c: len(c.__mro__))
    lines = []
    for cls in classes:
        base = next((b.__name__ for b in cls.__mro__[1:]
                     if b in classes or b.__module__ == "builtins"), "Exception")
        lines.append(f"class {cls.__name__}({base}):\n"
                     f'    """Stands in for ast_ad.{cls.__name__}."""\n')
    return "\n\n".join(lines)
