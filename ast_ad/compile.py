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

import itertools
import linecache
import textwrap
import types

_counter = itertools.count(1)


def compile_source(source: str, func_name: str, aliases: dict, globals_dict: dict, label: str):
    filename = f"<ast_ad {label} #{next(_counter)}>"
    params = ", ".join(aliases)
    wrapped = (f"def __ast_ad_factory__({params}):\n"
               + textwrap.indent(source, "    ")
               + f"    return {func_name}\n")
    code = compile(wrapped, filename, "exec")
    factory_code = next(c for c in code.co_consts if isinstance(c, types.CodeType))
    factory = types.FunctionType(factory_code, globals_dict, "__ast_ad_factory__")
    fn = factory(*aliases.values())
    linecache.cache[filename] = (len(wrapped), None, wrapped.splitlines(True), filename)
    return fn
