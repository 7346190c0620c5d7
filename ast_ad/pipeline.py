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

from . import ir, simplify as simplify_mod
from .codegen import CodeGen
from .compile import compile_source
from .emit import to_source
from .ir import Var
from .lower import lower_function

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
        param_specs=None, output="both", wrap_single=False, guards=None):
    """Transform `func`.  `mode` is "ssa", "reverse" or "forward"."""
    from .reverse import reverse
    res = Result()
    res.primal = lower(func, param_kinds)
    ir.verify(res.primal)
    kinds = param_kinds or [None] * len(res.primal.params)
    if mode == "ssa":
        fn = ir.copy_function(res.primal)
        name = res.primal.name
        comment_from = None
    elif mode == "reverse" and _forward_is_cheaper(res.primal, wrt, kinds, seed_param):
        primal = simplify_mod.optimize_primal(res.primal, kinds)
        fn = _forward_gradient(primal, list(wrt), kinds, output, wrap_single)
        name = "grad_" + res.primal.name
        _check_scalar_output(fn, primal, param_specs)
    elif mode == "reverse":
        primal = simplify_mod.optimize_primal(res.primal, kinds)
        fn = reverse(primal, list(wrt), kinds, seed_param=seed_param, output=output,
                     wrap_single=wrap_single)
        if not seed_param:
            _check_scalar_output(fn, primal, param_specs)
        name = ("vjp_" if seed_param else "grad_") + res.primal.name
        comment_from = None
    elif mode == "forward":
        from .forward import forward
        fn = forward(res.primal, list(wrt), kinds)
        name = "jvp_" + res.primal.name
        comment_from = None
    else:
        raise ValueError(f"unknown mode {mode!r}")
    value = getattr(fn, "value", None)
    if isinstance(value, Var) and not value.hint:
        value.hint = "value"
    if mode == "reverse" and not seed_param and param_specs is None:
        # generic code: what the scalar result implies (its elementwise
        # operands are scalars too) removes broadcasting helpers
        from .shapes import scalars_behind
        known = scalars_behind(fn.body, getattr(fn, "value", None))
        kinds = [k if k is not None or p not in known else "num"
                 for k, p in zip(kinds, fn.params[len(fn.params) - len(kinds):])]
        fn.kind_hints = dict(getattr(fn, "kind_hints", {}))
        fn.kind_hints.update((v, "num") for v in known if v not in fn.params)
    if mode != "ssa":
        pad = [None] * (len(fn.params) - len(kinds))
        all_kinds = pad + kinds
        all_specs = pad + list(param_specs) if param_specs is not None else None
        if mode == "forward":   # the tangents follow the primals, with their kinds and shapes
            all_kinds = kinds + [kinds[i] for i in wrt]
            all_specs = all_specs and list(param_specs) + [param_specs[i] for i in wrt]
        fn = simplify_mod.simplify(fn, all_kinds, all_specs, getattr(fn, "known_specs", None))
        comment_from = _backward_start(fn)
    ir.verify(fn)
    res.transformed = fn
    func = _python_function(func)
    gen = CodeGen(fn, name, getattr(func, "__globals__", {}), fold=(mode != "ssa"))
    defaults = _literal_defaults(func, fn, seed_param or mode == "forward")
    node = gen.function(comment_from, defaults, guards, getattr(fn, "header", None))
    res.text = to_source(node, gen.comments)
    res.observed = tuple(sorted(s.args[0].value for s in _walk_ops(fn)
                                if s.fn is _global_value and s.observed is not None))
    res.aliases = gen.aliases
    if stop_after != "compile":
        return res
    STATS["compiled"] += 1
    label = f"{mode} of {getattr(func, '__qualname__', name)}"
    res.function = compile_source(res.text, gen.func_name, gen.aliases,
                                  getattr(func, "__globals__", {}), label)
    if getattr(func, "__defaults__", None) and not seed_param and mode != "forward":
        res.function.__defaults__ = func.__defaults__
    return res


def _forward_is_cheaper(primal, wrt, kinds, seed_param):
    """The gradient w.r.t. one number of a function with loops: forward mode
    computes it alongside the loop, with no tape and no second sweep (the
    cost of forward mode grows with the number of inputs, reverse mode's
    with the number of outputs; here both are one)."""
    from .ir import Loop, walk
    return (not seed_param and len(wrt) == 1 and kinds[wrt[0]] == "num"
            and any(isinstance(s, Loop) for s in walk(primal.body)))


def _forward_gradient(primal, wrt, kinds, output, wrap_single):
    from .forward import forward
    from .ir import Op, Var
    from . import runtime
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


def _check_scalar_output(fn, primal, param_specs):
    """`grad` needs a scalar result: say so now when the shapes tell, else
    add a run-time check."""
    from . import shapes, runtime
    from .errors import NonScalarOutputError
    from .ir import Op, Var, Const
    value = getattr(fn, "value", None)
    if not isinstance(value, Var):
        return
    spec = None
    if param_specs is not None:
        # the value is a primal value: the primal's (smaller) IR gives its
        # shape; simplify reuses these specs for the same values
        fn.known_specs = shapes.infer(primal, list(param_specs))
        spec = fn.known_specs.get(value)
    if spec is not None and spec[0] in ("num", "int"):
        return
    if spec is not None and spec[0] == "arr":
        if spec[1] == ():
            return
        raise NonScalarOutputError.at(
            getattr(primal.origin, "loc", lambda n: None)(primal.origin.tree) if primal.origin else None,
            f"grad requires {primal.name!r} to return a scalar, but it returns a value of "
            f"shape {spec[1]}; use ast_ad.vjp or ast_ad.jacobian for non-scalar outputs")
    fn.body.insert(_after_def(fn.body, value),
                   Op(None, runtime.check_scalar_output, [value, Const(primal.name)]))


def _after_def(body, var):
    from .ir import defs_of
    for i, s in enumerate(body):
        if var in defs_of(s):
            return i + 1
    return 0


def _walk_ops(fn):
    from .ir import walk, Op
    return [s for s in walk(fn.body) if isinstance(s, Op)]


from .runtime import global_value as _global_value  # noqa: E402
