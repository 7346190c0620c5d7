"""The ``ast-ad`` command line (also ``python -m ast_ad``).

    ast-ad show   TARGET [--mode reverse|forward|ssa] [--wrt x,y] [--args 'ARG ...']
    ast-ad trace  TARGET ARG... [--wrt x,y]
    ast-ad check  TARGET ARG... [--wrt x,y] [--rtol R] [--atol A]
    ast-ad export TARGET -o FILE.py [--wrt x,y]

TARGET is ``path/to/file.py:func`` or ``package.module:func``.  ARGs are
Python literals (``2.0``, ``5``, ``[1.0, 2.0]``): lists become float NumPy
arrays, ints become floats.

Exit codes: 0 success, 1 ``check`` found a mismatch, 2 a user error (bad
target or arguments, or an ``ast_ad.DifferentiationError``), 3 an internal
error in ast_ad.
"""
from __future__ import annotations

import argparse
import ast
import builtins
import contextlib
import copy
import importlib
import importlib.util
import inspect
import keyword
import os
import symtable
import sys
import traceback

import numpy as np

import ast_ad
from ast_ad import export as export_mod

EXIT_OK, EXIT_MISMATCH, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

RTOL = 1e-5
ATOL = 1e-7


class CLIError(Exception):
    """A user mistake: printed as one line on stderr, exit code 2."""


# ---------------------------------------------------------------------------
# Loading TARGET
# ---------------------------------------------------------------------------

class _Session:
    """Undoes the changes loading a target makes to sys.path / sys.modules."""

    def __init__(self):
        self.saved_path = list(sys.path)
        self.added_modules = []

    def restore(self):
        sys.path[:] = self.saved_path
        for name in self.added_modules:
            sys.modules.pop(name, None)


def _split_target(target):
    where, sep, attr = target.rpartition(":")
    if not sep or not where or not attr:
        raise CLIError(f"bad TARGET {target!r}: expected path/to/file.py:func or "
                       "package.module:func")
    parts = attr.split(".")
    if not all(p.isidentifier() for p in parts):
        raise CLIError(f"bad TARGET {target!r}: {attr!r} is not a function name")
    return where, parts


def _is_file_target(where):
    return where.endswith(".py") or "/" in where or os.sep in where or os.path.isfile(where)


def _located(exc, filename):
    """' (file:line)' for the innermost traceback frame in `filename`, or ''."""
    filename = os.path.abspath(filename) if filename else None
    found = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        if filename is None and not frame.filename.startswith("<") \
                and os.path.abspath(frame.filename) != os.path.abspath(__file__) \
                or filename is not None and os.path.abspath(frame.filename) == filename:
            found = f" ({frame.filename}:{frame.lineno})"
    return found


def _syntax_error_text(exc):
    head = f"{exc.filename}:{exc.lineno}:{exc.offset or 1}: SyntaxError: {exc.msg}"
    if not exc.text:
        return head
    text = exc.text.rstrip("\n")
    stripped = text.lstrip()
    col = max(0, (exc.offset or 1) - 1 - (len(text) - len(stripped)))
    return f"{head}\n    {stripped}\n    {' ' * col}^"


def _load_file(path, session):
    if not os.path.exists(path):
        raise CLIError(f"no such file: {path}")
    if not os.path.isfile(path):
        raise CLIError(f"not a file: {path}")
    path = os.path.abspath(path)
    stem = os.path.splitext(os.path.basename(path))[0]
    name = stem if stem.isidentifier() and stem not in sys.modules else f"_ast_ad_target_{stem}"
    while name in sys.modules:
        name += "_"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise CLIError(f"cannot load {path} as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, os.path.dirname(path))
    sys.modules[name] = module
    session.added_modules.append(name)
    try:
        spec.loader.exec_module(module)
    except SyntaxError as e:
        raise CLIError(_syntax_error_text(e)) from None
    except SystemExit as e:
        raise CLIError(f"importing {path} called sys.exit({e.code!r})") from None
    except Exception as e:
        raise CLIError(f"importing {path} raised {type(e).__name__}: {e}{_located(e, path)}") \
            from None
    return module


def _load_module(name):
    if not all(p.isidentifier() for p in name.split(".")):
        raise CLIError(f"bad TARGET module {name!r}: expected path/to/file.py or "
                       "package.module")
    cwd = os.getcwd()
    if cwd not in sys.path and "" not in sys.path:
        sys.path.insert(0, cwd)
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name and (name == e.name or name.startswith(e.name + ".")):
            raise CLIError(f"no module named {e.name!r} (TARGET {name!r}; for a file give "
                           "its path ending in .py)") from None
        raise CLIError(f"importing {name} raised ModuleNotFoundError: {e}") from None
    except SyntaxError as e:
        raise CLIError(_syntax_error_text(e)) from None
    except SystemExit as e:
        raise CLIError(f"importing {name} called sys.exit({e.code!r})") from None
    except Exception as e:
        raise CLIError(f"importing {name} raised {type(e).__name__}: {e}"
                       f"{_located(e, None)}") from None


def load_target(target, session):
    """TARGET -> (callable, default wrt or None).  A target that is already an
    ast_ad gradient object gives its original function and its wrt."""
    where, parts = _split_target(target)
    module = _load_file(where, session) if _is_file_target(where) else _load_module(where)
    obj = module
    for i, part in enumerate(parts):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            owner = where if i == 0 else ".".join(parts[:i])
            names = sorted(n for n, v in vars(module).items()
                           if callable(v) and not n.startswith("_")
                           and getattr(v, "__module__", None) == module.__name__)
            hint = f" (it defines: {', '.join(names)})" if names and i == 0 else ""
            raise CLIError(f"{owner} has no function {part!r}{hint}") from None
    default_wrt = None
    # a function already wrapped by ast_ad.grad & co: differentiate the original
    if type(obj).__module__.startswith("ast_ad") and callable(getattr(obj, "fun", None)):
        wrt = getattr(obj, "wrt", None)
        if isinstance(wrt, tuple) and wrt:
            default_wrt = wrt[0] if len(wrt) == 1 else wrt
        obj = obj.fun
    if not callable(obj):
        raise CLIError(f"{target} is not a function (it is a {type(obj).__name__})")
    return obj, default_wrt


# ---------------------------------------------------------------------------
# Arguments and --wrt
# ---------------------------------------------------------------------------

def _convert(value, text):
    if isinstance(value, bool) or value is None or isinstance(value, (str, bytes)):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, float):
        return value
    if isinstance(value, complex):
        raise CLIError(f"argument {text!r}: complex numbers are not supported")
    if isinstance(value, list):
        try:
            arr = np.array(value, dtype=float)
        except (ValueError, TypeError):
            raise CLIError(f"argument {text!r}: a list must be a (nested, rectangular) list "
                           "of numbers") from None
        return arr
    if isinstance(value, tuple):
        return tuple(_convert(v, text) for v in value)
    if isinstance(value, dict):
        return {k: _convert(v, text) for k, v in value.items()}
    raise CLIError(f"argument {text!r}: unsupported value {value!r}")


def parse_arg(text):
    """A command-line ARG -> Python value (floats and float arrays)."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        try:
            value = float(text)        # also 'inf', 'nan', '1_000'
        except ValueError:
            raise CLIError(f"cannot parse argument {text!r}: expected a number or a list "
                           "of numbers such as 2.0 or [1.0, 2.0]") from None
    return _convert(value, text)


def _split_items(text):
    """'2.0 [1, 2] x:(3, 4)' -> ['2.0', '[1, 2]', 'x:(3, 4)']: split at
    whitespace outside brackets and quotes."""
    items, cur, depth, quote = [], "", 0, None
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch.isspace() and depth == 0:
            if cur:
                items.append(cur)
            cur = ""
            continue
        cur += ch
    if depth or quote:
        raise CLIError(f"bad --args {text!r}: unbalanced brackets or quotes")
    if cur:
        items.append(cur)
    return items


def _example_value(text, item, keep_int):
    """One --args item (without its NAME: prefix) -> a value.  A tuple of
    ints is an array of that shape; VALUE:DTYPE casts to a NumPy dtype."""
    body, dtype = text, None
    head, sep, tail = text.rpartition(":")
    if sep and tail and tail.isidentifier():
        body, dtype = head, tail
        try:
            dtype = np.dtype(dtype)
        except TypeError:
            raise CLIError(f"--args item {item!r}: {tail!r} is not a NumPy dtype") from None
    try:
        literal = ast.literal_eval(body)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise CLIError(f"--args item {item!r}: expected a number, a list, or a shape such "
                       "as (3, 4)") from None
    if isinstance(literal, tuple) and all(isinstance(n, int) and not isinstance(n, bool)
                                          and n >= 0 for n in literal):
        # a shape: the code depends on the shape and dtype, not on the values
        return np.zeros(literal, dtype or np.float64)
    if isinstance(literal, int) and not isinstance(literal, bool) and keep_int \
            and dtype is None:
        return literal
    value = _convert(literal, item)
    if dtype is not None:
        value = np.asarray(value, dtype) if isinstance(value, (list, np.ndarray)) \
            else dtype.type(value)
    return value


def parse_example_args(text, func, wrt):
    """``show --args`` -> the argument values to specialise the code to.

    Items are separated by spaces; each is ``[NAME:]VALUE[:DTYPE]``: VALUE
    a number or a (nested) list as for ``check`` (numbers become floats,
    lists float arrays), or a shape such as ``(3, 4)`` for a float64 array
    of that shape; DTYPE a NumPy dtype (``float32``).  Items with a NAME go
    to that parameter, the others fill the parameters in order.  An int
    stays an int for a parameter left out of an explicit --wrt (a count)."""
    names = _positional_params(func) or []
    kept = set()
    if wrt is not None:
        chosen = {names.index(w) if isinstance(w, str) and w in names else w
                  for w in (wrt if isinstance(wrt, tuple) else (wrt,))}
        kept = {i for i in range(len(names)) if i not in chosen}
    values, named = [], {}
    for item in _split_items(text):
        name, sep, rest = item.partition(":")
        if sep and name.isidentifier() and not rest.isidentifier():
            if name not in names:
                raise CLIError(f"--args item {item!r}: {_func_name(func)} has no parameter "
                               f"{name!r} (its parameters are {', '.join(names) or 'none'})")
            if name in named:
                raise CLIError(f"--args: {name!r} given twice")
            named[name] = _example_value(rest, item, names.index(name) in kept)
        else:
            if named:
                raise CLIError(f"--args item {item!r}: a value without NAME: after one "
                               "with a name")
            values.append(_example_value(item, item, len(values) in kept))
    for name in named:
        if names.index(name) < len(values):
            raise CLIError(f"--args: {name!r} given twice")
    if named:
        last = max(names.index(n) for n in named)
        values += [named.get(names[i], _MISSING) for i in range(len(values), last + 1)]
    gaps = [names[i] for i, v in enumerate(values) if v is _MISSING]
    if gaps:
        raise CLIError(f"--args: no value for {', '.join(gaps)}")
    return values


_MISSING = object()


def parse_wrt(text):
    """'x,y' / '0' / '0,y' -> 'x' | 0 | ('x', 'y') ..."""
    items = [t.strip() for t in text.split(",")]
    if not items or any(not t for t in items):
        raise CLIError(f"bad --wrt {text!r}: expected comma-separated argument names or "
                       "positions, e.g. --wrt x,y or --wrt 0,1")
    out = []
    for t in items:
        try:
            out.append(int(t))
            continue
        except ValueError:
            pass
        if not t.isidentifier() or keyword.iskeyword(t):
            raise CLIError(f"bad --wrt item {t!r}: expected an argument name or position")
        out.append(t)
    return out[0] if len(out) == 1 else tuple(out)


def _positional_params(func):
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return None
    return [p.name for p in sig.parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def _func_name(func):
    return getattr(func, "__qualname__", None) or getattr(func, "__name__", repr(func))


def default_wrt_all(func):
    """Every positional parameter (used when --wrt is not given)."""
    names = _positional_params(func)
    if names is None:
        return 0
    if not names:
        raise CLIError(f"{_func_name(func)} has no positional parameters to differentiate")
    return 0 if len(names) == 1 else tuple(range(len(names)))


def wrt_positions(func, wrt, nargs):
    """wrt -> list of int positions (validated against the signature and args)."""
    names = _positional_params(func) or []
    items = wrt if isinstance(wrt, tuple) else (wrt,)
    out = []
    for w in items:
        if isinstance(w, str):
            if w not in names:
                raise CLIError(f"--wrt {w}: {_func_name(func)} has no parameter {w!r} "
                               f"(its parameters are {', '.join(names) or 'none'})")
            out.append(names.index(w))
        else:
            if not -nargs <= w < nargs:
                raise CLIError(f"--wrt {w}: out of range for {nargs} argument(s)")
            out.append(w % nargs)
    return out


def _bind_args(func, args):
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return
    try:
        sig.bind(*args)
    except TypeError as e:
        params = [p for p in sig.parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        required = [p.name for p in params if p.default is p.empty]
        expected = (f"{len(required)}" if len(required) == len(params)
                    else f"{len(required)} to {len(params)}")
        raise CLIError(f"{_func_name(func)}({', '.join(p.name for p in params)}) takes "
                       f"{expected} argument(s), got {len(args)}: {e}") from None


def _is_differentiable(x):
    if isinstance(x, bool):
        return False
    if isinstance(x, (float, np.floating)):
        return True
    if isinstance(x, np.ndarray):
        return x.dtype.kind == "f"
    if isinstance(x, (list, tuple)):
        return len(x) > 0 and all(_is_differentiable(v) for v in x)
    if isinstance(x, dict):
        return len(x) > 0 and all(_is_differentiable(v) for v in x.values())
    return False


def default_wrt_for_args(func, args):
    positions = [i for i, a in enumerate(args) if _is_differentiable(a)]
    if not positions:
        raise CLIError("none of the arguments is a float or a float array: nothing to "
                       "differentiate")
    return positions[0] if len(positions) == 1 else tuple(positions)


# ---------------------------------------------------------------------------
# Running user code and generated code
# ---------------------------------------------------------------------------

def _call_user(func, args):
    """Call the user's function; its exceptions are user errors."""
    filename = getattr(getattr(func, "__code__", None), "co_filename", None)
    try:
        return func(*copy.deepcopy(args))
    except Exception as e:
        raise CLIError(f"{_func_name(func)}{_show_args(args)} raised "
                       f"{type(e).__name__}: {e}{_located(e, filename)}") from None


def _show_args(args):
    def show(a):
        if isinstance(a, np.ndarray):
            return np.array2string(a, separator=", ", threshold=8)
        return repr(a)
    return "(" + ", ".join(show(a) for a in args) + ")"


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_RULE_FILES = (os.path.join(_PACKAGE_DIR, "rules") + os.sep, os.path.join(_PACKAGE_DIR, "runtime.py"))


def _is_derivative_code(filename):
    """Generated code, derivative rules and runtime helpers: where a derivative
    that is undefined at the user's inputs shows up as ZeroDivisionError & co."""
    return filename.startswith("<ast_ad") or os.path.abspath(filename).startswith(_RULE_FILES)


def _run_generated(what, thunk):
    """Run ast_ad on user inputs: numeric failures of the generated code at these
    inputs (division by zero, math domain errors) are user errors; anything else
    that is not a DifferentiationError is an internal error."""
    try:
        return thunk()
    except ast_ad.DifferentiationError:
        raise
    except (ArithmeticError, ValueError) as e:
        frames = traceback.extract_tb(e.__traceback__)
        numeric = isinstance(e, ArithmeticError) or str(e) == "math domain error"
        if numeric and frames and _is_derivative_code(frames[-1].filename):
            raise CLIError(f"{what} raised {type(e).__name__}: {e} (the derivative may be "
                           "undefined at these arguments)") from None
        raise


# ---------------------------------------------------------------------------
# Flattening values for the finite-difference check
# ---------------------------------------------------------------------------

def _flatten(x, label, out_labels):
    """x -> (flat float vector, unflatten(vector) -> value like x)."""
    if isinstance(x, np.ndarray):
        shape, dtype = x.shape, x.dtype
        if x.ndim == 0:
            out_labels.append(label)
        else:
            out_labels.extend(f"{label}[{', '.join(map(str, idx))}]" for idx in np.ndindex(shape))
        return (np.asarray(x, dtype=float).ravel(),
                lambda v: np.asarray(v, dtype=float).reshape(shape).astype(dtype))
    if isinstance(x, (list, tuple)):
        kind = type(x)
        parts = [_flatten(v, f"{label}[{i}]", out_labels) for i, v in enumerate(x)]
        return _join(parts, lambda vals: kind(vals))
    if isinstance(x, dict):
        keys = list(x)
        parts = [_flatten(x[k], f"{label}[{k!r}]", out_labels) for k in keys]
        return _join(parts, lambda vals: dict(zip(keys, vals)))
    if isinstance(x, np.floating):
        out_labels.append(label)
        t = type(x)
        return np.array([float(x)]), lambda v: t(v[0])
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        out_labels.append(label)
        return np.array([float(x)]), lambda v: float(v[0])
    raise TypeError(f"cannot flatten {type(x).__name__}")


def _join(parts, build):
    sizes = [p[0].size for p in parts]
    vec = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0)

    def unflatten(v):
        vals, start = [], 0
        for (_, unf), n in zip(parts, sizes):
            vals.append(unf(v[start:start + n]))
            start += n
        return build(vals)
    return vec, unflatten


def _scalar(value, func):
    if np.ndim(value) != 0:
        raise CLIError(f"check needs a scalar-valued function, but {_func_name(func)} returned "
                       f"a value of shape {np.shape(value)}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise CLIError(f"check needs a scalar-valued function, but {_func_name(func)} returned "
                       f"{type(value).__name__}") from None


def finite_differences(func, args, positions):
    """Central finite-difference gradient of scalar `func` at `args` w.r.t. the
    arguments at `positions`: a list of (flat vector, labels), one per position.

    Each element gets the second-order stencil (f(x+h) - f(x-h)) / 2h with
    h = 1e-6 * max(1, |x|) and the fourth-order stencil
    (-f(x+2h) + 8 f(x+h) - 8 f(x-h) + f(x-2h)) / 12h with h = 1e-3 * max(1, |x|);
    `compare` accepts AD if it agrees with either, so a mismatch means AD
    disagrees with both.
    """
    results = []
    for pos in positions:
        labels = []
        vec, unflatten = _flatten(args[pos], _param_label(func, pos), labels)
        est2 = np.empty(vec.size)
        est4 = np.empty(vec.size)

        def at(i, delta):
            v = vec.copy()
            v[i] += delta
            new = list(args)
            new[pos] = unflatten(v)
            return _scalar(_call_user(func, new), func)
        for i in range(vec.size):
            h = 1e-6 * max(1.0, abs(vec[i]))
            est2[i] = (at(i, h) - at(i, -h)) / (2 * h)
            h = 1e-3 * max(1.0, abs(vec[i]))
            est4[i] = (-at(i, 2 * h) + 8 * at(i, h) - 8 * at(i, -h) + at(i, -2 * h)) / (12 * h)
        results.append((est2, est4, labels))
    return results


def _param_label(func, pos):
    names = _positional_params(func) or []
    return names[pos] if pos < len(names) else f"arg{pos}"


def compare(ad_grads, fd_results, rtol=RTOL, atol=ATOL):
    """-> (rows, ok); rows are (label, ad, fd, abs error, ok)."""
    rows, all_ok = [], True
    for g, (est2, est4, labels) in zip(ad_grads, fd_results):
        try:
            gvec, _ = _flatten(g, "", [])
        except TypeError:
            gvec = None
        if gvec is None or gvec.size != len(labels):
            shape = np.shape(g) if gvec is not None else type(g).__name__
            rows.append((labels[0].split("[")[0] if labels else "?",
                         f"<gradient of shape {shape}>", f"<{len(labels)} values>", "", False))
            all_ok = False
            continue
        for label, a, f2, f4 in zip(labels, gvec, est2, est4):
            def agrees(fd):
                return bool(np.isfinite(a) and abs(a - fd) <= atol + rtol * abs(fd))
            # AD passes if it agrees with either estimate; if it agrees with
            # neither, show the (usually more accurate) fourth-order one
            if agrees(f4) or not agrees(f2) and np.isfinite(f4):
                fd = f4
            else:
                fd = f2
            err = abs(a - fd)
            ok = agrees(fd)
            all_ok &= ok
            rows.append((label, a, fd, err, ok))
    return rows, all_ok


def _fmt(v):
    if isinstance(v, str):
        return v
    text = f"{v:.12g}"
    return text if any(c in text for c in ".eni") else text + ".0"


def format_table(rows):
    header = ("argument", "AD", "FD", "abs error", "")
    cells = [header] + [(lab, _fmt(a), _fmt(f), e if isinstance(e, str) else f"{e:.2e}",
                         "" if ok else "<-- mismatch") for lab, a, f, e, ok in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(4)]
    lines = []
    for r in cells:
        line = "  ".join(r[i].ljust(widths[i]) if i == 0 else r[i].rjust(widths[i])
                         for i in range(4))
        lines.append((line + "  " + r[4]).rstrip())
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------

IMPORTS = {"np": "import numpy as np", "math": "import math",
           "_ad": "(the runtime helpers, copied into the module)"}


def free_names(code):
    """Global names the code reads (excluding builtins)."""
    table = symtable.symtable(code, "<generated>", "exec")
    found = set()

    def visit(t):
        if t.get_type() == "function":
            for s in t.get_symbols():
                if s.is_referenced() and (s.is_global() or s.is_free()) \
                        and not s.is_assigned() and not s.is_parameter():
                    found.add(s.get_name())
        for child in t.get_children():
            visit(child)
    for child in table.get_children():
        visit(child)
    return {n for n in found if not hasattr(builtins, n)}


def _generated_name(code):
    for node in ast.parse(code).body:
        if isinstance(node, ast.FunctionDef):
            return node.name
    return None


def _where_defined(func):
    filename = getattr(getattr(func, "__code__", None), "co_filename", None)
    if filename and os.path.exists(filename):
        return os.path.relpath(filename) if not os.path.relpath(filename).startswith("..") \
            else filename
    return f"module {getattr(func, '__module__', '?')}"


def export_text(func, code, target, wrt_names, mode):
    """The exported module: imports of math and numpy, the runtime helpers
    the code uses (copied from ast_ad.runtime, see export.py), the code."""
    name = _generated_name(code) or "?"
    fname = getattr(func, "__name__", None) or _func_name(func)
    missing = sorted(free_names(code) - set(IMPORTS))
    if missing:
        raise CLIError(
            f"cannot export {fname}: its gradient code refers to {', '.join(missing)} from "
            f"{_where_defined(func)}; export supports only code that "
            "uses numpy, math and builtins (copy those definitions into the exported file "
            "by hand, or use ast_ad.grad at run time)")
    params = ", ".join(_positional_params(func) or [])
    try:
        helpers = export_mod.helpers_source(code)
    except ValueError as e:
        raise CLIError(f"cannot export {fname}: {e}") from None
    partials = [f"d{fname}/d{w}" for w in wrt_names]
    grad_text = partials[0] if len(partials) == 1 else f"({', '.join(partials)})"
    lines = [
        f"# Generated by ast_ad {ast_ad.__version__} from {target} ({mode} mode).",
        "# Do not edit: regenerate with",
        f"#     ast-ad export {target} --wrt {','.join(wrt_names)} -o <file>",
        "#",
        f"# {name}({params}) returns ({fname}({params}), {grad_text}).",
        "# Needs only numpy" + (" (the ast_ad.runtime helpers it calls are copied below)."
                                if helpers else "."),
        "", IMPORTS["math"], "", IMPORTS["np"], "", "", f"__all__ = [{name!r}]", "", "",
    ]
    if helpers:
        lines += [helpers.rstrip("\n"), "", ""]
    lines += [code.rstrip("\n"), ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------

def _wrt_names(func, wrt, nargs):
    names = _positional_params(func) or []
    return [names[p] if p < len(names) else f"arg{p}" for p in wrt_positions(func, wrt, nargs)]


def cmd_show(ns, out, session):
    func, wrapped_wrt = load_target(ns.target, session)
    if ns.example_args is not None:
        return _show_specialised(ns, out, func, wrapped_wrt)
    if ns.mode == "ssa":
        text = ast_ad.source(func, mode="ssa")
    else:
        wrt = ns.wrt if ns.wrt is not None else wrapped_wrt
        if wrt is None:
            wrt = default_wrt_all(func)
        text = ast_ad.source(func, mode=ns.mode, wrt=wrt)
    out.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def _show_specialised(ns, out, func, wrapped_wrt):
    """The code ``.source`` shows after a call with arguments like these:
    made for their types and shapes (the function is not run)."""
    if ns.mode == "ssa":
        raise CLIError("--args makes the reverse or forward code for those arguments; "
                       "the SSA form does not depend on them (drop --args)")
    wrt = ns.wrt if ns.wrt is not None else wrapped_wrt
    args = parse_example_args(ns.example_args, func, wrt)
    _bind_args(func, args)
    if wrt is None:
        wrt = default_wrt_for_args(func, args)
    positions = wrt_positions(func, wrt, len(args))
    for p in positions:
        if not _is_differentiable(args[p]):
            raise CLIError(f"--wrt: argument {_param_label(func, p)} is not a float or a "
                           "float array")
    if ns.mode == "forward":
        from ast_ad.api_forward import _JVP
        made = _JVP(func, tuple(positions))
    else:
        made = ast_ad.grad(func, wrt=wrt)
    made._generated(tuple(args))
    text = made.source
    out.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def _prepare_call(ns, session):
    func, wrapped_wrt = load_target(ns.target, session)
    args = [parse_arg(a) for a in ns.args]
    _bind_args(func, args)
    wrt = ns.wrt if ns.wrt is not None else wrapped_wrt
    if wrt is None:
        wrt = default_wrt_for_args(func, args)
    positions = wrt_positions(func, wrt, len(args))
    for p in positions:
        if not _is_differentiable(args[p]):
            raise CLIError(f"--wrt: argument {_param_label(func, p)} = {ns.args[p]} is not a "
                           "float or a float array")
    return func, args, wrt, positions


def cmd_trace(ns, out, session):
    func, args, wrt, _ = _prepare_call(ns, session)
    _call_user(func, args)
    tr = _run_generated(f"tracing {_func_name(func)}",
                        lambda: ast_ad.trace(func, *args, wrt=wrt))
    text = str(tr)
    out.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def cmd_check(ns, out, session):
    func, args, wrt, positions = _prepare_call(ns, session)
    _scalar(_call_user(func, args), func)
    grads = _run_generated(f"the gradient of {_func_name(func)}",
                           lambda: ast_ad.grad(func, wrt=wrt)(*copy.deepcopy(args)))
    if not isinstance(wrt, tuple):
        grads = (grads,)
    fd = finite_differences(func, args, positions)
    rows, ok = compare(grads, fd, ns.rtol, ns.atol)
    out.write(format_table(rows) + "\n")
    tol = f"rtol {ns.rtol:g}, atol {ns.atol:g}"
    if ok:
        out.write(f"OK: the AD gradient matches finite differences ({tol})\n")
        return EXIT_OK
    bad = sum(1 for r in rows if not r[4])
    out.write(f"MISMATCH: {bad} of {len(rows)} entries differ from finite differences "
              f"({tol})\n")
    return EXIT_MISMATCH


def cmd_export(ns, out, session):
    func, wrapped_wrt = load_target(ns.target, session)
    wrt = ns.wrt if ns.wrt is not None else wrapped_wrt
    if wrt is None:
        wrt = default_wrt_all(func)
    nparams = len(_positional_params(func) or [])
    names = _wrt_names(func, wrt, nparams)
    code = ast_ad.source(func, mode="reverse", wrt=wrt)
    text = export_text(func, code, ns.target, names, "reverse")
    directory = os.path.dirname(os.path.abspath(ns.output))
    if not os.path.isdir(directory):
        raise CLIError(f"cannot write {ns.output}: no such directory {directory}")
    try:
        with open(ns.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as e:
        raise CLIError(f"cannot write {ns.output}: {e.strerror or e}") from None
    out.write(f"wrote {ns.output}: {_generated_name(code)}\n")
    return EXIT_OK


# ---------------------------------------------------------------------------
# Parser and main
# ---------------------------------------------------------------------------

TARGET_HELP = ("path/to/file.py:func or package.module:func (a file is imported as a "
               "module named after it, with its directory on sys.path; its "
               "`if __name__ == '__main__'` block does not run)")
WRT_HELP = ("comma-separated argument names or positions to differentiate with respect "
            "to, e.g. x,y or 0,1 (default: %s)")
ARGS_HELP = ("argument values as Python literals: 2.0, 5, [1.0, 2.0], [[1, 2], [3, 4]]; "
             "lists become float arrays and ints floats. Put -- before the first "
             "argument if it starts with '-' and is not a plain number (e.g. -1e-3)")

EPILOG = """\
exit codes: 0 success; 1 check found a mismatch; 2 user error (bad TARGET or
ARG, or an ast_ad.DifferentiationError, reported with file, line and caret);
3 internal error in ast_ad (please report it).
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        raise _UsageExit(f"{self.prog}: error: {message}")


class _UsageExit(Exception):
    pass


def build_parser(prog="ast-ad"):
    p = _Parser(prog=prog, description="Source-to-source automatic differentiation for "
                "Python and NumPy: show, trace, check and export generated derivative code.",
                epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"ast_ad {ast_ad.__version__}")
    p.add_argument("--debug", action="store_true",
                   help="show Python tracebacks for errors (for reporting bugs)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    s = sub.add_parser("show", help="print the generated code",
                       description="Print the code ast_ad generates for TARGET.")
    s.add_argument("target", metavar="TARGET", help=TARGET_HELP)
    s.add_argument("--mode", choices=["reverse", "forward", "ssa"], default="reverse",
                   help="reverse (gradient, default), forward (tangents) or ssa (the "
                   "three-address form of the function itself)")
    s.add_argument("--wrt", type=_wrt_type,
                   help=WRT_HELP % "all positional arguments; with --args, every float or "
                   "float-array argument")
    s.add_argument("--args", dest="example_args", metavar="'ARG ...'",
                   help="example arguments, in one quoted string: print the code made for "
                   "their types and shapes (what .source shows after such a call) instead "
                   "of the generic code. Items [NAME:]VALUE[:DTYPE], e.g. '2.0 5.0', "
                   "'[1.0, 2.0] 3', 'W:(3, 4) x:(4,):float32': a number or list as for "
                   "check, or a shape for an array of zeros of that shape (float64 unless "
                   "DTYPE); an int stays an int for a parameter outside an explicit --wrt")
    s.set_defaults(run=cmd_show)

    t = sub.add_parser("trace", help="print the evaluation-trace table at given inputs",
                       description="Print the evaluation trace of TARGET at ARG...: each "
                       "intermediate, its operation, value and derivative.")
    t.add_argument("target", metavar="TARGET", help=TARGET_HELP)
    t.add_argument("args", metavar="ARG", nargs="*", help=ARGS_HELP)
    t.add_argument("--wrt", type=_wrt_type,
                   help=WRT_HELP % "every float or float-array argument")
    t.set_defaults(run=cmd_trace)

    c = sub.add_parser("check", help="compare the AD gradient with finite differences",
                       description="Compare ast_ad.grad of TARGET at ARG... with central "
                       "finite differences; exit 0 if they agree, 1 if not.")
    c.add_argument("target", metavar="TARGET", help=TARGET_HELP)
    c.add_argument("args", metavar="ARG", nargs="*", help=ARGS_HELP)
    c.add_argument("--wrt", type=_wrt_type,
                   help=WRT_HELP % "every float or float-array argument")
    c.add_argument("--rtol", type=float, default=RTOL, help="relative tolerance (default %(default)g)")
    c.add_argument("--atol", type=float, default=ATOL, help="absolute tolerance (default %(default)g)")
    c.set_defaults(run=cmd_check)

    e = sub.add_parser(
        "export", help="write the gradient as a standalone module",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Write the reverse-mode gradient of TARGET as a standalone Python module.\n"
        "The module imports only math and numpy (as np): the ast_ad.runtime helpers the\n"
        "generated code calls are copied into it, so it runs where ast_ad is not installed.\n"
        "The generated function grad_NAME(...) returns (value, gradient).\n\n"
        "Limitation: nothing else from TARGET's module is copied. If the gradient code\n"
        "reads other globals of that module (constants, helper objects, modules imported\n"
        "under other names that ast_ad cannot canonicalise), export refuses with exit\n"
        "code 2 and names them.")
    e.add_argument("target", metavar="TARGET", help=TARGET_HELP)
    e.add_argument("-o", "--output", metavar="FILE.py", required=True,
                   help="the module to write")
    e.add_argument("--wrt", type=_wrt_type, help=WRT_HELP % "all positional arguments")
    e.set_defaults(run=cmd_export)
    return p


def _wrt_type(text):
    try:
        return parse_wrt(text)
    except CLIError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def main(argv=None, prog="ast-ad"):
    """Run the command line; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(prog)
    try:
        ns = parser.parse_args(argv)
    except _UsageExit as e:
        print(e, file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as e:        # --help, --version
        return e.code if isinstance(e.code, int) else EXIT_OK
    session = _Session()
    try:
        return ns.run(ns, sys.stdout, session)
    except CLIError as e:
        if ns.debug:
            traceback.print_exc()
        print(f"{prog}: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except ast_ad.DifferentiationError as e:
        if ns.debug:
            traceback.print_exc()
        text = str(e)
        print(text if getattr(e, "filename", None) else f"{prog}: error: {text}",
              file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except Exception as e:
        if ns.debug:
            traceback.print_exc()
        print(f"{prog}: internal error: {type(e).__name__}: {e}", file=sys.stderr)
        print(f"{prog}: this is a bug in ast_ad; please report it with the command line and "
              "the function (run with --debug for the traceback)", file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        session.restore()
        with contextlib.suppress(Exception):
            sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
