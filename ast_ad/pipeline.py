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

from dataclasses import dataclass, field

from . import ir, runtime, shapes, simplify as simplify_mod
from .codegen import CodeGen
from .deferred import deferrable, relaxed
from .compile import compile_source
from .emit import to_source
from .errors import NonScalarOutputError
from .forward import forward
from .ir import Const, Loop, Op, Var, defs_of, walk
from .lower import lower_function
from .reverse import reverse
from .runtime import global_value
from .shapes import scalars_behind

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


def lower(func, param_kinds=None) -> ir.Function:
    """The SSA form of `func`.  A gradient object (from `grad`, ...) is lowered
    through its generated code, so derivatives compose: grad(grad(f))."""
    STATS["lowered"] += 1
    as_function = getattr(func, "_lower_as_function", None)
    if as_function is not None:
        return as_function(param_kinds)
    return lower_function(func, param_kinds)


def _python_function(func):
    """The plain function behind `func` (a gradient object's generated code)."""
    inner = getattr(func, "_python_function", None)
    return inner() if inner is not None else func


def run(func, mode="ssa", wrt=(0,), param_kinds=None, stop_after="compile", seed_param=False,
        param_specs=None, output="both", wrap_single=False, guards=None, defer=True):
    """Transform `func`.  `mode` is "ssa", "reverse" or "forward".

    `param_kinds`/`param_specs` (activity.kind_of_value, shapes.spec_of_value
    of the arguments) specialise the code, `guards` make its first line check
    them (with `defer`, a list's element types may be checked on the results
    instead, see deferred.py); `seed_param` makes a vjp (the output cotangent is a parameter);
    `output` is "both" (value and gradients) or "grads"."""
    res = Result()
    res.primal = lower(func, param_kinds)
    ir.verify(res.primal)
    if guards is not None and defer and mode == "reverse" and not seed_param:
        # element checks of plain-number lists move to the results (deferred.py)
        # (only lists checked by their element types: their keys relax alike)
        res.deferred = tuple(k for k in deferrable(res.primal, list(wrt), param_specs)
                             if guards[k][0] == "types")
        guards = relaxed(guards, res.deferred)
    kinds = param_kinds or [None] * len(res.primal.params)
    fn, name = _differentiate(res.primal, mode, list(wrt), kinds, param_specs, seed_param,
                              output, wrap_single)
    comment_from = None
    if mode != "ssa":
        fn = _simplify(fn, mode, list(wrt), kinds, param_specs, seed_param)
        comment_from = _backward_start(fn)
    ir.verify(fn)
    res.transformed = fn

    func = _python_function(func)
    globals_ = getattr(func, "__globals__", {})
    gen = CodeGen(fn, name, globals_, fold=(mode != "ssa"))
    defaults = _literal_defaults(func, fn, seed_param or mode == "forward")
    exit_checks = None
    if res.deferred:
        leaves = list(getattr(fn, "grad_vars", [])) + ([fn.value] if output == "both" else [])
        exit_checks = [v for v in leaves if isinstance(v, Var)]
    node = gen.function(comment_from, defaults, guards, getattr(fn, "header", None),
                        exit_checks)
    res.text = to_source(node, gen.comments)
    res.observed = tuple(sorted(s.args[0].value for s in walk(fn.body) if isinstance(s, Op)
                                and s.fn is global_value and s.observed is not None))
    res.aliases = gen.aliases
    if stop_after != "compile":
        return res
    STATS["compiled"] += 1
    label = f"{mode} of {getattr(func, '__qualname__', name)}"
    res.function = compile_source(res.text, gen.func_name, gen.aliases, globals_, label)
    if getattr(func, "__defaults__", None) and not seed_param and mode != "forward":
        res.function.__defaults__ = func.__defaults__
    return res


def _differentiate(primal, mode, wrt, kinds, param_specs, seed_param, output, wrap_single):
    """(transformed IR, name of the generated function) for `mode`."""
    if mode == "ssa":
        return ir.copy_function(primal), primal.name
    if mode == "forward":
        fn, name = forward(primal, wrt, kinds), "jvp_" + primal.name
    elif mode == "reverse":
        fn, name = _gradient(primal, wrt, kinds, param_specs, seed_param, output, wrap_single)
    else:
        raise ValueError(f"unknown mode {mode!r}")
    value = getattr(fn, "value", None)
    if isinstance(value, Var) and not value.hint:
        value.hint = "value"
    return fn, name


def _gradient(primal, wrt, kinds, param_specs, seed_param, output, wrap_single):
    """Reverse mode, or forward mode where that is cheaper (see below)."""
    optimised = simplify_mod.optimize_primal(primal, kinds)
    # the primal's shapes, inferred once: reverse mode, the scalar check and
    # simplify all use them
    specs = shapes.infer(optimised, list(param_specs)) if param_specs is not None else None
    if specs is not None:
        simplify_mod.resolve_inplace_aliases(optimised, specs)
    if _forward_is_cheaper(optimised, wrt, kinds, seed_param):
        fn = _forward_gradient(optimised, wrt, kinds, output, wrap_single)
    else:
        # (shapes matter for arrays; for numbers the kinds say everything)
        fn = reverse(optimised, wrt, kinds, seed_param=seed_param, output=output,
                     wrap_single=wrap_single,
                     primal_specs=specs if _has_arrays(param_specs) else None)
    fn.known_specs = specs
    if not seed_param:
        _check_scalar_output(fn, optimised, specs)
    return fn, ("vjp_" if seed_param else "grad_") + primal.name


def _simplify(fn, mode, wrt, kinds, param_specs, seed_param):
    """Simplify with the kinds (and shapes) of the generated function's
    parameters: the primal's, then the cotangent (vjp) or tangents (jvp)."""
    if mode == "reverse" and not seed_param and param_specs is None:
        # generic code: what the scalar result implies (its elementwise
        # operands are scalars too) removes broadcasting helpers
        known = scalars_behind(fn.body, getattr(fn, "value", None))
        kinds = [k if k is not None or p not in known else "num"
                 for k, p in zip(kinds, fn.params[len(fn.params) - len(kinds):])]
        fn.kind_hints = dict(getattr(fn, "kind_hints", {}))
        fn.kind_hints.update((v, "num") for v in known if v not in fn.params)
    specs = list(param_specs) if param_specs is not None else None
    if mode == "forward":
        all_kinds = kinds + [kinds[i] for i in wrt]
        all_specs = specs and specs + [specs[i] for i in wrt]
    else:
        pad = [None] * (len(fn.params) - len(kinds))
        all_kinds = pad + kinds
        all_specs = pad + specs if specs is not None else None
    return simplify_mod.simplify(fn, all_kinds, all_specs, getattr(fn, "known_specs", None))


def _has_arrays(param_specs):
    return param_specs is not None and any(
        sp is not None and sp[0] in ("arr", "list", "tuple") for sp in param_specs)


def _forward_is_cheaper(primal, wrt, kinds, seed_param):
    """The gradient w.r.t. one number of a function with loops: forward mode
    computes it alongside the loop, with no tape and no second sweep (the
    cost of forward mode grows with the number of inputs, reverse mode's
    with the number of outputs; here both are one)."""
    return (not seed_param and len(wrt) == 1 and kinds[wrt[0]] == "num"
            and any(isinstance(s, Loop) for s in walk(primal.body)))


def _forward_gradient(primal, wrt, kinds, output, wrap_single):
    fn = forward(primal, wrt, kinds, seeds=[1.0])
    fn.body = [s for s in fn.body if not (isinstance(s, Op) and s.target is fn.ret)]
    g = fn.tangent_vars[0]
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
    fn.grad_vars = [g]
    fn.header = "forward mode: one number in, loops inside -- no tape needed"
    return fn


def _backward_start(fn):
    """Index of the first top-level statement of the backward sweep."""
    for i, s in enumerate(fn.body):
        if getattr(s, "loc", None) is not None and getattr(s, "_backward", False):
            return i
    return None


def _literal_defaults(func, fn, seed_param):
    d = getattr(func, "__defaults__", None) or ()
    if seed_param or not all(v is None or isinstance(v, (int, float, bool, str)) for v in d):
        return ()
    return d


def _check_scalar_output(fn, primal, primal_specs):
    """`grad` needs a scalar result: say so now when the shapes tell, else
    add a run-time check."""
    value = getattr(fn, "value", None)
    if not isinstance(value, Var):
        return
    spec = primal_specs.get(value) if primal_specs is not None else None
    if spec is not None and spec[0] in ("num", "int"):
        return
    if spec is not None and spec[0] == "arr":
        if spec[1] == ():
            return
        raise NonScalarOutputError.at(
            primal.origin.loc(primal.origin.tree) if primal.origin else None,
            f"grad requires {primal.name!r} to return a scalar, but it returns a value of "
            f"shape {spec[1]}; use ast_ad.vjp or ast_ad.jacobian for non-scalar outputs")
    fn.body.insert(_after_def(fn.body, value),
                   Op(None, runtime.check_scalar_output, [value, Const(primal.name)]))


def _after_def(body, var):
    for i, s in enumerate(body):
        if var in defs_of(s):
            return i + 1
    return 0
