"""The one ordered list of stages.

``run(f, mode, wrt, stop_after=...)`` serves `grad`, the CLI and debugging
alike:

    source -> lower (SSA, incl. fence and name resolution) -> verify
           -> adjoint (reverse) / tangent (forward) -> simplify
           -> codegen -> emit -> compile

`fence` happens inside lowering: every construct the lowering does not know
raises a located UnsupportedSyntaxError at the node that uses it, so there is
one list of what is supported (lower.py), not two that can disagree.
"""
from __future__ import annotations

import inspect
import sys
from dataclasses import dataclass, field

from . import ir, runtime, simplify as simplify_mod
from .avals import Array, Known, Map, Num, NUMBER, Other, Seq, UNKNOWN, concrete
from .codegen import CodeGen, line_locations
from .deferred import deferrable, relaxed
from .compile import compile_source
from .emit import to_source
from .errors import DifferentiationError, NonScalarOutputError, internal_error
from .source import read_source
from .forward import forward
from .ir import Const, Loop, Op, Var, defs_of, walk
from .lower import lower_function
from .reverse import reverse
from .infer import infer, scalars_behind
from .runtime import global_value

STATS = {"lowered": 0, "compiled": 0}


@dataclass
class Result:
    """What `run` produced, stage by stage (later stages may be None)."""
    primal: ir.Function = None
    transformed: ir.Function = None
    text: str = ""
    function: object = None
    aliases: dict = field(default_factory=dict)
    observed: tuple = ()      # names of the globals whose kinds specialised the code
    deferred: tuple = ()      # parameters whose element checks are on the results
    mutated_params: tuple = ()  # positions of the parameters changed in place (ir.Function)
    jit: tuple = None   # (Numba dispatcher, {line: user Loc}, line offset, globals read): jit.py


def lower(func, param_avals=None) -> ir.Function:
    """The SSA form of `func`, its `avals` inferred.  A gradient object
    (from `grad`, ...) is lowered through its generated code, so derivatives
    compose: grad(grad(f))."""
    STATS["lowered"] += 1
    as_function = getattr(func, "_lower_as_function", None)
    if as_function is not None:
        fn = as_function(param_avals)
    else:
        fn = lower_function(func, param_avals)
    avals = list(param_avals) if param_avals is not None else [UNKNOWN] * len(fn.params)
    fn.avals = infer(fn, avals + [UNKNOWN] * (len(fn.params) - len(avals)))
    return fn


def _python_function(func):
    """The plain function behind `func` (a gradient object's generated code)."""
    inner = getattr(func, "_python_function", None)
    return inner() if inner is not None else func


def run(func, mode="ssa", wrt=(0,), param_avals=None, stop_after="compile", seed_param=False,
        output="both", wrap_single=False, guards=None, defer=True, jit=False):
    """Transform `func`.  `mode` is "ssa", "reverse" or "forward".

    `param_avals` (avals.of_value of the arguments) specialise the code,
    `guards` (avals too) make its first line check the arguments (with
    `defer`, a list's element types may be checked on the results instead,
    see deferred.py); `seed_param` makes a vjp (the output cotangent is a
    parameter); `output` is "both" (value and gradients) or "grads";
    `jit`: the code is compiled by Numba (jit.py; needs `param_avals`).

    Errors are DifferentiationErrors: an unexpected exception inside ast_ad
    becomes an InternalError naming `func` (with the original chained)."""
    limit = sys.getrecursionlimit()
    if limit < _RECURSION:
        sys.setrecursionlimit(_RECURSION)     # (long expressions nest deeply)
    try:
        return _run(func, mode, wrt, param_avals, stop_after, seed_param, output, wrap_single,
                    guards, defer, jit)
    except DifferentiationError:
        raise
    except RecursionError:
        raise DifferentiationError.at(
            _def_loc(func), f"{getattr(func, '__name__', 'the function')!r} nests expressions "
                            "too deeply for ast_ad; split long expressions into several "
                            "statements") from None
    except Exception as e:
        raise internal_error(e, func, _def_loc(func)) from e
    finally:
        if limit < _RECURSION:
            sys.setrecursionlimit(limit)


_RECURSION = 20000


def _def_loc(func):
    try:
        src = read_source(_python_function(func))
        return src.loc(src.tree)
    except Exception:
        return None


def _run(func, mode, wrt, param_avals, stop_after, seed_param, output, wrap_single, guards,
         defer, jit=False):
    res = Result()
    if jit:
        from . import jit as jit_mod
        why = jit_mod.supports(param_avals)
        if why is not None:
            raise jit_mod.JitError.at(_def_loc(func), f"{getattr(func, '__name__', 'f')}: {why}")
        jit_mod.numba_module()
    res.primal = lower(func, param_avals)
    ir.verify(res.primal)
    if guards is not None and defer and mode == "reverse" and not seed_param and not jit:
        # element checks of plain-number lists move to the results (deferred.py)
        res.deferred = deferrable(res.primal, list(wrt), param_avals)
        guards = relaxed(guards, res.deferred)
    fn, name = _differentiate(res.primal, mode, list(wrt), seed_param, output, wrap_single)
    comment_from = None
    if mode != "ssa":
        fn = _simplify(fn, mode, list(wrt), res.primal, seed_param)
        comment_from = _backward_start(fn)
    ir.verify(fn)
    res.transformed = fn

    func = _python_function(func)
    globals_ = getattr(func, "__globals__", {})
    defaults = _literal_defaults(func, fn, seed_param or mode == "forward")
    distinct = None
    if res.primal.mutated_params and (guards is not None or seed_param) and mode != "ssa" \
            and _may_share(param_avals, res.primal.mutated_params):
        distinct = (getattr(func, "__name__", name), res.primal.params,
                    res.primal.mutated_params)
    res.mutated_params = res.primal.mutated_params
    if jit:
        return _run_jit(res, fn, name, func, mode, comment_from, defaults, guards, distinct,
                        stop_after)
    gen = CodeGen(fn, name, globals_, fold=(mode != "ssa"))
    exit_checks = None
    if res.deferred:
        leaves = list(fn.grad_vars) + ([fn.value] if output == "both" else [])
        exit_checks = [v for v in leaves if isinstance(v, Var)]
    node = gen.function(comment_from, defaults, guards, fn.header, exit_checks, distinct)
    res.text = to_source(node, gen.comments)
    res.observed = _observed_globals(fn)
    res.aliases = gen.aliases
    if stop_after != "compile":
        return res
    STATS["compiled"] += 1
    label = f"{mode} of {getattr(func, '__qualname__', name)}"
    res.function = compile_source(res.text, gen.func_name, gen.aliases, globals_, label,
                                  line_locations(node, res.text))
    trailing = _trailing_defaults(func)
    if trailing and not seed_param and mode != "forward":
        res.function.__defaults__ = trailing
    return res


def _run_jit(res, fn, name, func, mode, comment_from, defaults, guards, distinct, stop_after):
    """The code compiled by Numba (jit.py): the body printed for Numba, with
    the module globals it reads as extra parameters, and a Python function
    that checks the arguments and calls it."""
    from . import jit as jit_mod
    jit_mod.check_compilable(fn)
    globals_ = getattr(func, "__globals__", {})
    reads = tuple(sorted({s.args[0].value for s in walk(fn.body) if isinstance(s, Op)
                          and s.fn is global_value}))
    core_gen = CodeGen(fn, name + "_compiled", globals_, fold=True, numba=True)
    core_node = core_gen.function(comment_from, defaults, None, fn.header, globals_read=reads)
    core_text = to_source(core_node, core_gen.comments)
    res.observed = _observed_globals(fn)
    label = f"{mode} of {getattr(func, '__qualname__', name)}"
    core = compile_source(core_text, core_gen.func_name, core_gen.aliases, globals_,
                          label + " (compiled by Numba)")
    dispatcher = jit_mod.njit(core)
    gen = CodeGen(fn, name, globals_, fold=False)
    node = gen.function(None, defaults, guards, None, None, distinct,
                        compiled=(dispatcher, core_gen.func_name), globals_read=reads)
    wrapper_text = to_source(node, gen.comments)
    res.text = wrapper_text + "\n\n@numba.njit\n" + core_text
    res.aliases = gen.aliases
    # (for errors of the first compilation: the body's lines, and where the
    # body starts in the file Numba reads, after the factory's first line)
    res.jit = (dispatcher, line_locations(core_node, core_text), 1, reads)
    if stop_after != "compile":
        return res
    STATS["compiled"] += 1
    res.function = compile_source(wrapper_text, gen.func_name, gen.aliases, globals_, label)
    trailing = _trailing_defaults(func)
    if trailing:
        res.function.__defaults__ = trailing
    return res


def _observed_globals(fn):
    """Names of the module globals whose kinds specialised the code of `fn`
    (its first lines check them)."""
    return tuple(sorted(s.args[0].value for s in walk(fn.body) if isinstance(s, Op)
                        and s.fn is global_value and s.observed is not None))


def _may_share(avals, mutated):
    """Whether an argument changed in place may be the same object as
    another argument or element: there is another array or container
    argument, or the one changed holds several."""
    if avals is None:
        return True

    def objects(a):
        a = concrete(a)
        if isinstance(a, Array):
            return 1
        if isinstance(a, Seq):
            n = 1 if a.type is list else 0
            if a.elts is not None:
                return n + sum(objects(e) for e in a.elts)
            return n + (2 if objects(a.elt) else 0)
        if isinstance(a, Map):
            return 1 + sum(objects(v) for v in a.values)
        return 0 if isinstance(a, (Num, Other, Known)) else 2
    counts = [objects(a) for a in avals]
    return sum(counts) > 1 and any(counts[k] for k in mutated if k < len(counts))


def _differentiate(primal, mode, wrt, seed_param, output, wrap_single):
    """(transformed IR, name of the generated function) for `mode`."""
    if mode == "ssa":
        return ir.copy_function(primal), primal.name
    if mode == "forward":
        fn, name = forward(primal, wrt), "jvp_" + primal.name
    elif mode == "reverse":
        fn, name = _gradient(primal, wrt, seed_param, output, wrap_single)
    else:
        raise ValueError(f"unknown mode {mode!r}")
    if isinstance(fn.value, Var) and not fn.value.hint:
        fn.value.hint = "value"
    return fn, name


def _gradient(primal, wrt, seed_param, output, wrap_single):
    """Reverse mode, or forward mode where that is cheaper (see below)."""
    optimised = simplify_mod.optimize_primal(primal, dict(primal.avals))
    if not seed_param:
        _check_not_container(optimised)
    if _forward_is_cheaper(optimised, wrt, seed_param):
        fn = _forward_gradient(optimised, wrt, output, wrap_single)
    else:
        fn = reverse(optimised, wrt, seed_param=seed_param, output=output,
                     wrap_single=wrap_single)
    if not seed_param:
        _check_scalar_output(fn, optimised)
    return fn, ("vjp_" if seed_param else "grad_") + primal.name


def _simplify(fn, mode, wrt, primal, seed_param):
    """Simplify with the avals of the generated function's parameters: the
    primal's, then the cotangent (vjp) or tangents (jvp)."""
    avals = [primal.avals.get(p, UNKNOWN) for p in primal.params]
    hints = dict(fn.avals)
    if mode == "reverse" and not seed_param and all(a is UNKNOWN for a in avals):
        # generic code: what the scalar result implies (its elementwise
        # operands are scalars too) removes broadcasting helpers
        for v in scalars_behind(fn.body, fn.value):
            if hints.get(v, UNKNOWN) is UNKNOWN:
                hints[v] = NUMBER
    if mode == "forward":
        all_avals = avals + [avals[i] for i in wrt]
    else:
        extra = len(fn.params) - len(avals)
        out = concrete(hints.get(fn.value, UNKNOWN)) if extra else UNKNOWN
        # (the cotangent has the output's shape; its dtype is not known)
        seed = Array(out.shape, None) if isinstance(out, Array) else (
            NUMBER if isinstance(out, Num) else UNKNOWN)
        all_avals = [seed] * extra + avals
    return simplify_mod.simplify(fn, all_avals, hints)


def _forward_is_cheaper(primal, wrt, seed_param):
    """The gradient w.r.t. one number of a function with loops (or of a
    gradient): forward mode
    computes it alongside the loop, with no tape and no second sweep (the
    cost of forward mode grows with the number of inputs, reverse mode's
    with the number of outputs; here both are one)."""
    if seed_param or len(wrt) != 1 or not isinstance(
            concrete(primal.avals.get(primal.params[wrt[0]], UNKNOWN)), Num):
        return False
    # generated code differentiated again (grad of grad): forward over
    # reverse, whose rules cover every helper reverse-mode code calls
    composed = primal.origin is not None and primal.origin.filename.startswith("<ast_ad reverse")
    return composed or any(isinstance(s, Loop) for s in walk(primal.body))


def _forward_gradient(primal, wrt, output, wrap_single):
    fn = forward(primal, wrt, seeds=[1.0])
    fn.body = [s for s in fn.body if not (isinstance(s, Op) and s.target is fn.ret)]
    g = fn.tangent_vars[0]
    fn.grad_vars = [g]      # (the leaves: what deferred checks look at)
    if wrap_single:
        t = Var("grads")
        fn.body.append(Op(t, runtime.make_tuple, [g]))
        g = t
    if output == "grads":
        fn.ret = g
    else:
        result = Var("result")
        fn.body.append(Op(result, runtime.make_tuple, [fn.value, g]))
        fn.ret = result
    fn.header = "forward mode: one number in, loops inside -- no tape needed"
    return fn


def _backward_start(fn):
    """Index of the first top-level statement of the backward sweep."""
    for i, s in enumerate(fn.body):
        if s.loc is not None and s.backward:
            return i
    return None


def _trailing_defaults(func):
    from .api import trailing_defaults
    try:
        return trailing_defaults(inspect.signature(func))
    except (TypeError, ValueError):
        return ()


def _literal_defaults(func, fn, seed_param):
    d = _trailing_defaults(func)
    if seed_param or not all(v is None or isinstance(v, (int, float, bool, str)) for v in d):
        return ()
    return d


def _check_scalar_output(fn, primal):
    """`grad` needs a scalar result: say so now when the avals tell, else
    add a run-time check."""
    value = fn.value
    if not isinstance(value, Var):
        return
    a = concrete(primal.avals.get(value, UNKNOWN))
    if isinstance(a, Num) or (isinstance(a, Array) and a.shape == ()):
        return
    if isinstance(a, Array) and a.shape is not None and None not in a.shape:
        raise NonScalarOutputError.at(
            primal.origin.loc(primal.origin.tree) if primal.origin else None,
            f"grad requires {primal.name!r} to return a scalar, but it returns a value of "
            f"shape {a.shape}; use ast_ad.vjp or ast_ad.jacobian for non-scalar outputs")
    fn.body.insert(_after_def(fn.body, value),
                   Op(None, runtime.check_scalar_output, [value, Const(primal.name)]))


def _check_not_container(primal):
    """`grad` of a function returning a tuple, list or dict (``return loss,
    aux``) is refused when the code is made: its adjoint would be the
    number 1.0 taken apart like the container (``(1.0)[0]``)."""
    ret = primal.ret
    if not isinstance(ret, Var):
        return
    a = concrete(primal.avals.get(ret, UNKNOWN))
    if isinstance(a, Seq):
        kind = a.type.__name__
    elif isinstance(a, Map):
        kind = "dict"
    else:
        return
    loc = next((s.loc for s in walk(primal.body) if isinstance(s, Op) and s.target is ret
                and s.loc is not None), None)
    if loc is None and primal.origin is not None:
        loc = primal.origin.loc(primal.origin.tree)
    raise NonScalarOutputError.at(
        loc, f"grad requires {primal.name!r} to return a scalar, but it returns a {kind}; "
             f"differentiate a function that returns the scalar alone (e.g. "
             f"def loss(x): return {primal.name}(x)[0]), or use ast_ad.vjp or "
             "ast_ad.jacobian for several outputs")


def _after_def(body, var):
    for i, s in enumerate(body):
        if var in defs_of(s):
            return i + 1
    return 0
