"""One exception hierarchy.  Every error that points at user code carries the
file, line, column and the source line, and prints them with a caret."""
from __future__ import annotations


class DifferentiationError(Exception):
    """Base class of every error ast_ad raises."""

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
    """A construct outside the supported language subset."""


class NoRuleError(DifferentiationError):
    """A call to a function with neither a derivative rule nor Python source."""


def no_rule(loc, fn, register="defvjp", what="derivative rule"):
    """The located error for a call to `fn`, which has no rule."""
    name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", repr(fn))
    module = getattr(fn, "__module__", None)
    full = f"{module}.{name}" if module and module != "builtins" else name
    return NoRuleError.at(loc, f"no {what} for {full}; declare one with "
                               f"ast_ad.{register}({name}, ...) (see ast_ad.primitive)")


class NonScalarOutputError(DifferentiationError):
    """`grad` of a function whose result is not a scalar."""


class SourceUnavailableError(DifferentiationError):
    """The function's source cannot be read (built-in, lambda in a REPL, ...)."""
