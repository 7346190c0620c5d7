"""One exception hierarchy.  Every error that points at user code carries the
file, line, column and the source line, and prints them with a caret."""
from __future__ import annotations


class DifferentiationError(Exception):
    """Base class of every error ast_ad raises.

    Parameters
    ----------
    message : str
        What went wrong (and, where one exists, what to write instead).
    filename, lineno, col_offset, source_line : optional
        Where in the user's code: kept as attributes, and ``str(error)``
        prints ``file:line:column: message`` with the source line and a
        caret under the column.

    Examples
    --------
    >>> e = DifferentiationError("no rule", "model.py", 3, 11, "    return f(x)")
    >>> print(e)
    model.py:3:12: no rule
        return f(x)
               ^
    >>> e.lineno, e.message
    (3, 'no rule')
    """

    def __init__(self, message, filename=None, lineno=None, col_offset=None,
                 source_line=None):
        self.message = message
        self.filename = filename
        self.lineno = lineno
        self.col_offset = col_offset
        self.source_line = source_line
        super().__init__(self._format())

    @classmethod
    def at(cls, loc, message):
        """Build the error located at an `ir.Loc` (or None)."""
        if loc is None:
            return cls(message)
        return cls(message, loc.filename, loc.lineno, loc.col_offset, loc.line)

    def _format(self):
        if self.filename is None:
            return self.message
        head = f"{self.filename}:{self.lineno}:{(self.col_offset or 0) + 1}: {self.message}"
        if self.source_line is None:
            return head
        text = self.source_line.rstrip("\n")
        stripped = text.lstrip()
        caret_col = max(0, (self.col_offset or 0) - (len(text) - len(stripped)))
        return f"{head}\n    {stripped}\n    {' ' * caret_col}^"


class UnsupportedSyntaxError(DifferentiationError):
    """A construct outside the supported language subset, located at it.

    Examples
    --------
    >>> import ast_ad
    >>> def f(x):
    ...     try:
    ...         return x * x
    ...     except ValueError:
    ...         return 0.0
    >>> try:
    ...     ast_ad.grad(f)(1.0)
    ... except ast_ad.UnsupportedSyntaxError as e:
    ...     print(e.message.split(";")[0], "at line", e.lineno - f.__code__.co_firstlineno)
    try/except is not supported at line 1
    """


class NoRuleError(DifferentiationError):
    """A call to a function with neither a derivative rule nor Python
    source; the message names it and points at `ast_ad.defvjp`.

    Examples
    --------
    >>> import ast_ad, numpy as np
    >>> def f(x):
    ...     return np.sum(np.convolve(x, x))
    >>> try:
    ...     ast_ad.grad(f)(np.ones(2))
    ... except ast_ad.NoRuleError as e:
    ...     print(e.message)
    no derivative rule for numpy.convolve; declare one with ast_ad.defvjp(convolve, ...) (see ast_ad.primitive)
    """


def no_rule(loc, fn, register="defvjp", what="derivative rule"):
    """The located error for a call to `fn`, which has no rule."""
    name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", repr(fn))
    module = getattr(fn, "__module__", None)
    full = f"{module}.{name}" if module and module != "builtins" else name
    return NoRuleError.at(loc, f"no {what} for {full}; declare one with "
                               f"ast_ad.{register}({name}, ...) (see ast_ad.primitive)")


class NonScalarOutputError(DifferentiationError):
    """`grad` of a function whose result is not a scalar (use `vjp` or
    `jacobian` for those).

    Examples
    --------
    >>> import ast_ad, numpy as np
    >>> def f(x):
    ...     return x * 2.0
    >>> try:
    ...     ast_ad.grad(f)(np.ones(3))
    ... except ast_ad.NonScalarOutputError as e:
    ...     print(e.message.split(";")[0])
    grad requires 'f' to return a scalar, but it returns a value of shape (3,)
    """


class SourceUnavailableError(DifferentiationError):
    """The function's source cannot be read (a C function without a rule, a
    function typed into the plain Python REPL, ...).

    Examples
    --------
    >>> import ast_ad
    >>> namespace = {}
    >>> exec("def f(x): return x * x", namespace)
    >>> try:
    ...     ast_ad.grad(namespace["f"])(1.0)
    ... except ast_ad.SourceUnavailableError as e:
    ...     print(e.message.split(" (")[0])
    cannot read the source of 'f'
    """


class InternalError(DifferentiationError):
    """An unexpected exception inside ast_ad: a bug in ast_ad, reported with
    the user's function (and line) it was transforming."""


def internal_error(exc, func, loc=None):
    """The InternalError for exception `exc` raised while transforming
    `func` (chain it: ``raise internal_error(e, f) from e``)."""
    name = getattr(func, "__qualname__", None) or getattr(func, "__name__", repr(func))
    message = (f"internal error in ast_ad while differentiating {name!r}: "
               f"{type(exc).__name__}: {exc}. This is a bug in ast_ad; please report it "
               "with the function")
    return InternalError.at(loc, message)
