"""The public API: grad, value_and_grad, vjp, source, ssa.

Each returned object keeps the original function (`.fun`, `__wrapped__`) and
shows the generated code (`.source`).  Transformation is lazy and cached: the
first call transforms `f` for the kinds of its arguments (Python number,
ndarray, list, tuple, dict), later calls go straight to the generated
function.
"""
from __future__ import annotations

import copy
import functools
import inspect
import types
from typing import TYPE_CHECKING, Any, Callable, Optional, Tuple, Union, overload

import numpy as np

from . import cache, deferred, pipeline, runtime
from .avals import Array, FUNCTION_VALUES, GENERATORS, Known, Map, Num, Other, Seq, of_value
from .callables import numba_python_function, python_function
from .display import Shown, code_html, code_markdown, source_code
from .codegen import _DispatchPlaceholder, _StrictPlaceholder
from .errors import DifferentiationError

#: what ``wrt=`` accepts: a position, a parameter name, or a tuple of them
Wrt = Union[int, str, Tuple[Union[int, str], ...]]
#: what ``jit=`` accepts: False, True (compile with Numba) or "auto"
Jit = Union[bool, str]


def _normalize_wrt(func, wrt):
    """wrt (int, name or tuple of them) -> (tuple of positions, is_tuple)."""
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        params = []
    names = [p.name for p in params]
    items = wrt if isinstance(wrt, (tuple, list)) else (wrt,)
    positions = []
    for w in items:
        if isinstance(w, str):
            if w not in names:
                raise DifferentiationError(
                    f"wrt={w!r}: {getattr(func, '__name__', func)!r} has no parameter {w!r} "
                    f"(its parameters are {', '.join(names) or 'none'})")
            positions.append(names.index(w))
        elif isinstance(w, int) and not isinstance(w, bool):
            if names and not -len(names) <= w < len(names):
                raise DifferentiationError(
                    f"wrt={w}: {getattr(func, '__name__', func)!r} has {len(names)} parameters")
            positions.append(w % len(names) if names else w)
        else:
            raise DifferentiationError(f"wrt must be an int, a parameter name or a tuple of "
                                       f"them, not {w!r}")
    return tuple(positions), isinstance(wrt, (tuple, list))


MAX_VERSIONS = 64       # versions (argument avals) kept per gradient object


def _not_differentiable(a):
    """Why a value with aval `a` cannot be differentiated, or None."""
    if isinstance(a, Num):
        return None if a.kind in "biuf" else f"a {a.type.__name__ if a.type else 'number'}"
    if isinstance(a, Array):
        if a.dtype is not None and a.dtype.kind in "f":
            return None
        return f"an array of dtype {a.dtype}" + (" (use x.astype(float))" if a.dtype is not None
                                                 and a.dtype.kind in "biu" else "")
    if isinstance(a, Seq):
        for e in (a.elts if a.elts is not None else (a.elt,)):
            why = _not_differentiable(e)
            if why is not None:
                return f"a {a.type.__name__} holding {why}"
        return None
    if isinstance(a, Map):
        for e in a.values:
            why = _not_differentiable(e)
            if why is not None:
                return f"a dict holding {why}"
        return None
    if isinstance(a, Other):
        return "None" if a.type is type(None) else f"a {a.type.__name__}"
    if isinstance(a, Known) and isinstance(a.value, FUNCTION_VALUES):
        return f"a function ({getattr(a.value, '__name__', type(a.value).__name__)})"
    if isinstance(a, Known) and isinstance(a.value, GENERATORS):
        return "a random generator"
    return "of a kind ast_ad does not know"


def complete_args(fun, args, kwargs=None, signature=None, pack=False):
    """`args` and `kwargs` bound to `fun`'s parameters, in order, with the
    defaults of the parameters not given.  With `pack`, one value per
    parameter: ``*args`` as a tuple, ``**kwargs`` as a dict (what the
    generated code of such a function takes)."""
    try:
        sig = signature or inspect.signature(fun)
    except (TypeError, ValueError):
        return tuple(args)
    try:
        bound = sig.bind(*args, **(kwargs or {}))
    except TypeError as e:
        raise DifferentiationError(f"{getattr(fun, '__name__', 'the function')}: {e}") from None
    bound.apply_defaults()
    if pack:
        return tuple(bound.arguments[name] for name in sig.parameters)
    if has_varargs(sig):
        raise DifferentiationError(
            f"{getattr(fun, '__name__', 'the function')} has *args or **kwargs parameters: "
            "grad and value_and_grad support them, the other transformations do not yet; "
            "wrap it with named parameters (lambda w, X: f(w, X))")
    return tuple(bound.args) + tuple(bound.kwargs.values())


def has_varargs(signature):
    return signature is not None and any(
        p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in signature.parameters.values())


def trailing_defaults(signature):
    """The defaults of the last parameters (positional and keyword-only, in
    order) that all have one: what the generated function's ``__defaults__``
    can hold."""
    if signature is None:
        return ()
    out = []
    for p in reversed(list(signature.parameters.values())):
        if p.default is p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            break
        out.append(p.default)
    return tuple(reversed(out))


class _Transform(Shown):
    """Shared machinery: lazily transformed, cached per argument kinds.

    Calling the object runs the generated code of the latest specialisation
    directly: each object has a class of its own whose ``__call__`` is that
    function, and the function's first line checks its arguments, handing
    anything else to `_dispatch` (which finds or makes the right version)."""

    mode = "reverse"
    seed_param = False
    output = "both"
    _display_kind = "transform"

    fun: Callable[..., Any]
    __wrapped__: Callable[..., Any]

    if TYPE_CHECKING:      # (at run time each object's class defines __call__)
        def __call__(self, *args: Any, **kwargs: Any) -> Any: ...

    def __init__(self, fun, wrt=0, jit=None):
        if not callable(fun):
            raise DifferentiationError(f"expected a function, got {fun!r}")
        if jit is None:     # (the derivative of a function compiled by Numba is compiled too)
            jit = numba_python_function(fun) is not None
        if jit not in (False, True, "auto"):
            raise DifferentiationError(f"jit must be False, True or 'auto', not {jit!r}")
        given = fun
        fun = python_function(fun)     # (np.sin, functools.partial(f, a): a def calling it)
        self.fun = fun
        self.wrt, self._wrt_tuple = _normalize_wrt(fun, wrt)
        self._wrt_arg = wrt
        self.jit = jit
        self._by_types = {}
        self._last = None
        self._observed = ()   # globals whose kinds the generated code depends on
        self._relaxations = set()   # position sets whose element checks were deferred
        functools.update_wrapper(self, given, updated=())
        self.__wrapped__ = given
        try:
            self._signature = inspect.signature(fun)
        except (TypeError, ValueError):
            self._signature = None
        params = list(self._signature.parameters.values()) if self._signature else []
        self._nparams = len(params)
        # the generated function takes every parameter positionally, with the
        # defaults of the trailing ones: a default before a parameter without
        # one (``def f(w, a=1, *, X)``) cannot be given that way, so such
        # calls always go through _dispatch, which fills it in
        trailing = trailing_defaults(self._signature)
        self._fast_path_ok = sum(p.default is not p.empty for p in params) == len(trailing)
        # (the generated code of a function with *args or **kwargs takes them
        # packed, one tuple or dict each: calls always go through _dispatch)
        self._varargs = has_varargs(self._signature)
        self._fast_path_ok = self._fast_path_ok and not self._varargs
        cls = type(self)
        self.__class__ = type(cls.__name__, (cls,), {"__call__": cls._dispatch,
                                                     "__module__": cls.__module__})

    def _dispatch(self, *args, **kwargs):
        """The slow path: pick (or make) the version for these arguments
        (defaults included: they specialise the code too) and make it the
        fast path."""
        args = self._bind(args, kwargs)
        fn = self._generated(args)
        if self._fast_path_ok:
            type(self).__call__ = staticmethod(fn)
        return fn(*args)

    def _dispatch_packed(self, *args):
        """_dispatch for generated code whose arguments are already bound
        (*args packed in a tuple, **kwargs in a dict)."""
        return self._generated(args)(*args)

    def _key(self, args):
        """What the generated code's first line checks: the avals of the
        arguments and of the globals it read."""
        g = getattr(self.fun, "__globals__", {})
        return (tuple(map(of_value, args)),
                tuple((n, of_value(g.get(n))) for n in self._observed))

    @staticmethod
    def _relaxed(key, positions):
        """`key` as checked by code whose element checks at `positions` are
        deferred to its results (deferred.py)."""
        return (deferred.relaxed(key[0], positions), key[1])

    def _generated(self, args):
        key = self._key(args)
        entry = self._by_types.get(key)
        for positions in self._relaxations:
            if entry is not None:
                break
            entry = self._by_types.get(self._relaxed(key, positions))
        if entry is None:
            entry = self._transform(args, key)
        return entry

    def _transform(self, args, key, defer=True):
        """Make the version for `args`; each version is stored under the key
        its first line checks."""
        self._check_args(args, key[0])
        res = self._compiled_result(args, key) if self.jit else None
        if res is None:
            res = self._result(key[0], key, defer=defer)
        fn = _bind_dispatch(res.function, self._dispatch_packed if self._varargs
                            else self._dispatch, self._strict)
        new = tuple(sorted(set(self._observed) | set(res.observed)))
        if new != self._observed:
            self._observed = new
            key = self._key(args)
        if res.deferred:
            self._relaxations.add(res.deferred)
            key = self._relaxed(key, res.deferred)
        self._by_types[key if defer else ("strict", key)] = fn
        while len(self._by_types) > MAX_VERSIONS:      # (the least recently made goes)
            self._by_types.pop(next(iter(self._by_types)))
        if defer:       # (a strict version is no fast path: .source shows the fast one)
            self._last = res
        return fn

    def _compiled_result(self, args, key):
        """The version compiled by Numba for `args` (jit.py), compiled now so
        that what Numba cannot compile is reported at this first call; with
        ``jit="auto"``, None (and a warning) where it cannot be compiled."""
        from . import jit as jit_mod
        try:
            res = self._result(key[0], key, jit=True)
            dispatcher, lines, offset, reads = res.jit
            g = getattr(self.fun, "__globals__", {})
            jit_mod.compile_for(dispatcher, self._call_args(args)
                                + tuple(g.get(n) for n in reads),
                                f"{self._display_kind} of {getattr(self.fun, '__name__', 'f')}",
                                lines, offset)
            return res
        except jit_mod.JitError as e:
            if self.jit != "auto":
                raise
            jit_mod.warn_fallback(getattr(self.fun, "__name__", "f"), e)
            return None

    def _call_args(self, args):
        """The arguments the generated function is called with, for those
        its version is made for (a jvp adds one tangent per position, of
        its primal's type)."""
        return tuple(args)

    def _check_args(self, args, avals):
        """What is differentiated must be numbers, float arrays, or lists,
        tuples and dicts of them: say so at the call, naming the argument."""
        if self.seed_param or self.mode != "reverse":
            return      # (vjp and jvp take every argument: integers get zeros)
        names = list(self._signature.parameters) if self._signature is not None else []
        for k in self.wrt:
            if k >= len(args):
                continue
            bad = _not_differentiable(avals[k])
            if bad is not None:
                name = names[k] if k < len(names) else f"#{k}"
                raise DifferentiationError(
                    f"{getattr(self.fun, '__name__', 'the function')}: argument {name!r} "
                    f"(position {k}) is differentiated, but it is {bad}; ast_ad "
                    "differentiates with respect to floats, float arrays, and lists, "
                    "tuples and dicts of them")

    def _strict(self, *args):
        """The answer when deferred element checks failed (deferred.py): the
        version that checks the element types first (not the fast path)."""
        key = self._key(args)
        fn = self._by_types.get(("strict", key))
        if fn is None:
            fn = self._transform(args, key, defer=False)
        return fn(*args)

    # -- composition: differentiating this object differentiates its code --
    def _result(self, avals, guards=None, output=None, defer=False, jit=False):
        """The transformation for arguments described by `avals` (None:
        generic code), cached."""
        avals = tuple(avals) if avals is not None else None
        output = output or self.output
        ckey = (self.mode, self.wrt, self.seed_param, avals, output, self._wrt_tuple, guards,
                defer, jit)
        res = cache.get(self.fun, ckey)
        if res is None:
            res = pipeline.run(self.fun, self.mode, self.wrt, avals, seed_param=self.seed_param,
                               output=output, wrap_single=self._wrt_tuple,
                               # (a vjp's function is called by vjp_fn only, with
                               # the arguments it was made for: no check needed)
                               guards=guards[0] if guards is not None and not self.seed_param
                               else None, defer=defer, jit=jit)
            res.primal = res.transformed = None     # (what callers need is the code)
            cache.put(self.fun, ckey, res)
        return res

    def _python_function(self):
        """The user's function underneath (for its globals and defaults)."""
        return pipeline._python_function(self.fun)

    def _lower_as_function(self, avals):
        """The SSA form of what calling this object computes (lowered from
        the generated code specialised to `avals`, without its argument
        check)."""
        from .lower import lower_function
        res = self._result(avals)
        fn = lower_function(res.function, avals)
        # (the generated code copies what the user's function changes in
        # place; calling it with shared arguments is still refused)
        fn.mutated_params = tuple(sorted(set(fn.mutated_params) | set(res.mutated_params)))
        return fn

    def _bind(self, args, kwargs):
        """Every parameter's value, in order (defaults filled in)."""
        if self._signature is None or (not kwargs and len(args) == self._nparams
                                       and not self._varargs):
            return args
        return complete_args(self.fun, args, kwargs, self._signature, pack=self._varargs)

    @property
    def generated(self):
        """The generated function of the most recent call (or a generic one)."""
        if self._last is None:
            self._last = self._result(None)
            return self._last.function
        return type(self).__call__ if isinstance(type(self).__dict__.get("__call__"),
                                                 staticmethod) else self._last.function

    @property
    def source(self):
        """The generated code of the most recent call (or a generic one)."""
        if self._last is None:
            return source_code(self._result(None).text)
        return source_code(self._last.text)

    def _kind(self):
        return self._display_kind

    def _wrt_positions(self):
        return self.wrt

    def __reduce__(self):
        # (each object has a class of its own, see above: pickle the public
        # class and the arguments, and transform again where it is loaded)
        return type(self).__mro__[1], (self.__wrapped__, self._wrt_arg, self.jit)


class ValueAndGrad(_Transform):
    """``value_and_grad(f, wrt)(*args) -> (f(*args), gradient)``."""
    output = "both"
    _display_kind = "value_and_grad"


class Grad(_Transform):
    """``grad(f, wrt)(*args) -> gradient``."""
    output = "grads"
    _display_kind = "grad"


def _bind_dispatch(fn, dispatch, strict=None):
    """A copy of generated function `fn` whose `_dispatch` is `dispatch` (and
    `_strict`, where the code has deferred checks, `strict`)."""
    def bind(cell):
        if cell.cell_contents is _DispatchPlaceholder:
            return types.CellType(dispatch)
        if cell.cell_contents is _StrictPlaceholder:
            return types.CellType(strict)
        return cell
    cells = [bind(c) for c in fn.__closure__ or ()]
    if all(a is b for a, b in zip(cells, fn.__closure__ or ())):
        return fn
    new = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__,
                             tuple(cells))
    new.__kwdefaults__ = fn.__kwdefaults__
    return new


@overload
def grad(fun: Callable[..., Any], wrt: Wrt = 0, *, jit: Optional[Jit] = None) -> Grad: ...
@overload  # noqa: E302
def grad(fun: None = None, wrt: Wrt = 0, *,
         jit: Optional[Jit] = None) -> Callable[[Callable[..., Any]], Grad]: ...


def grad(fun: Optional[Callable[..., Any]] = None, wrt: Wrt = 0, *,
         jit: Optional[Jit] = None) -> Union[Grad, Callable[[Callable[..., Any]], Grad]]:
    """The gradient of `fun`'s scalar result with respect to the argument(s)
    `wrt`.  Use as ``grad(f)``, ``@grad`` or ``@grad(wrt=("x", "y"))``.

    Parameters
    ----------
    fun : callable
        The function to differentiate: a ``def`` whose source is in a file
        (or a notebook cell), in the supported subset (README); a
        ``functools.partial`` of one; or a primitive with a derivative rule
        (``np.sin``, ``math.exp``, an `ast_ad.primitive`).  It must return a
        scalar.  Leave it out to get a decorator: ``@grad(wrt="y")``.
    wrt : int, str or tuple of them
        The argument(s) to differentiate with respect to, by position or by
        parameter name (default: the first).
    jit : bool or "auto"
        Compile the generated code with Numba (``pip install
        'ast_ad[jit]'``) for the types of each call's arguments (numbers
        and NumPy arrays).  What Numba cannot compile raises a located
        `DifferentiationError` at the first call; ``"auto"`` runs plain
        Python there instead, with a warning.  Default: True for a function
        compiled with ``numba.njit`` (its Python source is differentiated),
        False otherwise.

    Returns
    -------
    Grad
        A function called like `fun` that returns the gradient: one value
        for an int or str `wrt`, a tuple of them for a tuple.  A gradient
        has the structure, shape and dtype of its argument (a Python float
        for a Python float; lists, tuples and dicts of arrays alike).  The
        code is made on the first call for each kind of arguments and
        cached; ``.source`` shows the code of the latest call,
        ``.generated`` that function, ``.fun`` the function differentiated
        and ``__wrapped__`` the one given.

    Raises
    ------
    DifferentiationError
        (or a subclass) for code outside the subset, with file, line and
        column; `NonScalarOutputError` if `fun` returns a non-scalar.

    Examples
    --------
    >>> import math, ast_ad
    >>> def f(x, y):
    ...     return x * math.sin(y) + y
    >>> ast_ad.grad(f)(2.0, 0.0)
    0.0
    >>> ast_ad.grad(f, wrt=("x", "y"))(2.0, 0.0)
    (0.0, 3.0)
    >>> @ast_ad.grad(wrt="y")
    ... def df_dy(x, y):
    ...     return x * y ** 2
    >>> df_dy(3.0, 2.0)
    12.0
    """
    if fun is None:
        return lambda f: Grad(f, wrt, jit)
    return Grad(fun, wrt, jit)


@overload
def value_and_grad(fun: Callable[..., Any], wrt: Wrt = 0, *,
                   jit: Optional[Jit] = None) -> ValueAndGrad: ...
@overload  # noqa: E302
def value_and_grad(fun: None = None, wrt: Wrt = 0, *,
                   jit: Optional[Jit] = None) -> Callable[[Callable[..., Any]], ValueAndGrad]: ...


def value_and_grad(fun: Optional[Callable[..., Any]] = None, wrt: Wrt = 0, *,
                   jit: Optional[Jit] = None
                   ) -> Union[ValueAndGrad, Callable[[Callable[..., Any]], ValueAndGrad]]:
    """Like `grad`, but the function returns ``(value, gradient)``: the
    value of `fun` and its gradient, from one pass.  This is the form
    ``scipy.optimize.minimize(fun=..., jac=True)`` expects.

    Parameters
    ----------
    fun : callable
        As for `grad` (leave it out for a decorator).
    wrt : int, str or tuple of them
        As for `grad`.
    jit : bool or "auto"
        As for `grad`: compile the code with Numba.

    Returns
    -------
    ValueAndGrad
        A function called like `fun`, returning ``(fun(*args), gradient)``
        with the gradient as `grad` gives it.

    Examples
    --------
    >>> import numpy as np, ast_ad
    >>> def loss(w, x):
    ...     return np.sum((x @ w) ** 2)
    >>> value, g = ast_ad.value_and_grad(loss)(np.array([1.0, 2.0]), np.eye(2))
    >>> float(value), g
    (5.0, array([2., 4.]))
    """
    if fun is None:
        return lambda f: ValueAndGrad(f, wrt, jit)
    return ValueAndGrad(fun, wrt, jit)


class _VJP(_Transform):
    seed_param = True
    _display_kind = "vjp"


def vjp(fun: Callable[..., Any], *primals: Any) -> Tuple[Any, Callable[[Any], Tuple[Any, ...]]]:
    """The vector-Jacobian product of `fun` at `primals` (reverse mode).

    Parameters
    ----------
    fun : callable
        The function (any output: a number, an array, a tuple of them).
    *primals
        The arguments at which to differentiate; each is differentiated.
        Parameters left out take their defaults and get no gradient.  `fun`
        runs on copies of the primals: an argument it updates in place is
        left as it was, as for every entry point.

    Returns
    -------
    (out, vjp_fn)
        ``out = fun(*primals)``; ``vjp_fn(cotangent)``, for a cotangent of
        the structure and shape of `out`, returns a tuple with one gradient
        per primal: cotangentᵀ·J.  ``vjp_fn.source`` is the generated code.

    Examples
    --------
    >>> import numpy as np, ast_ad
    >>> def f(x):
    ...     return x ** 2
    >>> out, vjp_fn = ast_ad.vjp(f, np.array([1.0, 3.0]))
    >>> vjp_fn(np.array([1.0, 10.0]))
    (array([ 2., 60.]),)
    """
    fun = python_function(fun)     # (np.sin, functools.partial(f, a): a def calling it)
    given = len(primals)
    full = complete_args(fun, primals)
    t = _VJP(fun, tuple(range(given)))
    gen = t._generated(full)
    out = fun(*copy.deepcopy(full))
    # (np.shape of a tuple of differently shaped values raises)
    out_shape = None if isinstance(out, (list, tuple, dict)) else np.shape(out)

    def vjp_fn(cotangent):
        if out_shape is not None and not isinstance(cotangent, (list, tuple, dict)) \
                and np.shape(cotangent) != out_shape:
            raise DifferentiationError(
                f"vjp_fn: the cotangent has shape {np.shape(cotangent)}, but "
                f"{getattr(fun, '__name__', 'the function')} returns shape {out_shape}; "
                "a cotangent has the shape of the output")
        return gen(_cotangent_like(cotangent, out), *full)[1]
    vjp_fn.source = t.source
    return out, vjp_fn


def _cotangent_like(cotangent, out):
    """The cotangent in the output's type (the code is made for that type):
    a number given for a 0-d array output becomes a 0-d array, a 0-d array
    given for a float output a float."""
    if isinstance(out, np.ndarray) and out.dtype.kind in "fc" \
            and not isinstance(cotangent, np.ndarray) and isinstance(cotangent, (int, float, np.number)):
        return np.asarray(cotangent, dtype=out.dtype if isinstance(cotangent, (int, float))
                          else np.result_type(out.dtype, cotangent))
    if type(out) is float and isinstance(cotangent, (np.ndarray, np.floating, int)) \
            and np.ndim(cotangent) == 0 and np.asarray(cotangent).dtype.kind in "iuf":
        return float(cotangent)
    return cotangent


def source(fun: Callable[..., Any], mode: str = "reverse", wrt: Wrt = 0) -> str:
    """The generated Python source for `fun`, generic (made for no
    particular argument types; a gradient object's ``.source`` after a call
    shows the code specialised to its arguments).

    Parameters
    ----------
    fun : callable
        As for `grad`.
    mode : {"reverse", "forward", "ssa"}
        ``"reverse"``: ``grad_f(*args)`` returning ``(value, gradient)``;
        ``"forward"``: ``jvp_f(*args, *tangents)`` returning ``(value,
        tangent)``; ``"ssa"``: the three-address form of `fun` itself.
    wrt : int, str or tuple of them
        As for `grad`.

    Returns
    -------
    str
        The source (a ``str`` that displays as highlighted code in Jupyter).

    Examples
    --------
    >>> import ast_ad
    >>> def f(x):
    ...     return x * x + 3.0 * x
    >>> print(ast_ad.source(f, mode="forward"))
    def jvp_f(x, dx):
        value = x * x + 3.0 * x
        return value, dx * x + x * dx + 3.0 * dx
    <BLANKLINE>
    """
    if mode not in ("reverse", "forward", "ssa"):
        raise DifferentiationError(f"mode must be 'reverse', 'forward' or 'ssa', not {mode!r}")
    fun = python_function(fun)
    positions, _ = _normalize_wrt(fun, wrt)
    return source_code(pipeline.run(fun, mode, positions, stop_after="emit").text)


class SSA:
    """The SSA three-address form of a function: ``str()`` prints it as code,
    ``.ir`` is the `ir.Function`, ``.text`` the code."""

    def __init__(self, fun: Callable[..., Any]):
        self.fun = fun
        res = pipeline.run(python_function(fun), "ssa", stop_after="emit")
        self.ir = res.primal
        self.text = res.text

    def __str__(self):
        return self.text

    def __repr__(self):
        return f"<SSA of {getattr(self.fun, '__qualname__', self.fun)}>\n{self.text}"

    def _repr_markdown_(self):
        return code_markdown(self.text)

    def _repr_html_(self):
        return code_html(self.text)


def ssa(fun: Callable[..., Any]) -> SSA:
    """The SSA three-address form of `fun`: one operation per line, each
    intermediate named once -- the evaluation trace of the textbooks as code
    (``v-1, v0`` are the inputs, ``v1, v2, ...`` the intermediates there;
    ``_t1, _t2, ...`` here).

    Parameters
    ----------
    fun : callable
        As for `grad`.

    Returns
    -------
    SSA
        ``str()`` is the code (also ``.text``); in Jupyter it shows as
        highlighted code.

    Examples
    --------
    >>> import math, ast_ad
    >>> def f(x1, x2):
    ...     return math.log(x1) + x1 * x2 - math.sin(x2)
    >>> print(ast_ad.ssa(f))
    def f(x1, x2):
        _t1 = math.log(x1)
        _t2 = x1 * x2
        _t3 = _t1 + _t2
        _t4 = math.sin(x2)
        _t5 = _t3 - _t4
        return _t5
    <BLANKLINE>
    """
    return SSA(fun)
