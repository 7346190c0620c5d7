"""Minimiser: make a failing Case as small as possible while it keeps failing
the same way (same class, same entry point, and for exceptions the same
exception type).

Works on the source text (via ``ast``), so it also applies to regression
files and hand-written cases.  Greedy: try every candidate reduction in turn
(delete a statement, replace a compound statement by one of its bodies,
replace an expression by one of its sub-expressions or a constant, drop a
parameter, shrink loop counts, round the argument values); keep the first one
that still fails; repeat until no candidate helps or the budget runs out.
"""
import ast
import copy
import time
import warnings

from . import check
from .gen import Case, normalise

ENTRY_ORDER = ["grad:int", "grad:name", "vg:int", "grad:tuple1", "jac:rev", "jac:fwd", "vjp", "jvp",
               "grad:tuple", "vg:tuple", "regrad", "nonscalar", "hess", "hvp", "gradgrad"]


def entry_rank(ent):
    for i, p in enumerate(ENTRY_ORDER):
        if ent.startswith(p):
            return i
    return len(ENTRY_ORDER)


def targets(res):
    """One (class, entry, detail) per distinct failure class, simplest entry first."""
    out = {}
    for cls, ent, detail in sorted(res.keys(), key=lambda k: entry_rank(k[1])):
        if cls not in check.FAILURES:
            continue
        key = (cls, detail)
        if key not in out:
            out[key] = (cls, ent, detail)
    return list(out.values())


def make_pred(target, timeout=10.0):
    cls, ent, detail = target

    def pred(case):
        r = check.run_case(case, entries=[ent], timeout=timeout)
        if (cls, ent, detail) not in r.keys():
            return False
        if cls in ("wrong_grad", "wrong_hessian"):
            # do not drift into a non-differentiable point (AD must be stable nearby)
            r2 = check.run_case(case, entries=[ent], timeout=timeout, perturb=7, perturb_rel=1e-7)
            a0, a1 = r.numbers.get((cls, ent)), r2.numbers.get((cls, ent))
            if a1 is None or (a0 is not None and abs(a0 - a1) > 1e-6 + 1e-4 * max(abs(a0), abs(a1))):
                return False
        return True
    return pred


# ---------------------------------------------------------------------------
# candidate reductions of the source
# ---------------------------------------------------------------------------

def _bodies(tree):
    """Every statement list in the tree: (owner node, field name)."""
    out = []
    for node in ast.walk(tree):
        for fld in ("body", "orelse"):
            lst = getattr(node, fld, None)
            if isinstance(lst, list) and lst and isinstance(lst[0], ast.stmt):
                out.append((node, fld))
    return out


def _unparse(tree):
    try:
        ast.fix_missing_locations(tree)
        src = ast.unparse(tree)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(src, "<shrink>", "exec")
        return normalise(src)
    except Exception:
        return None


def stmt_deletions(src):
    tree = ast.parse(src)
    n_b = len(_bodies(tree))
    for bi in range(n_b):
        t0 = ast.parse(src)
        owner, fld = _bodies(t0)[bi]
        n = len(getattr(owner, fld))
        # whole blocks of statements first (halves), then single ones
        spans = []
        if n >= 4:
            spans += [(0, n // 2), (n // 2, n)]
        spans += [(i, i + 1) for i in range(n)]
        for a, b in spans:
            t = ast.parse(src)
            owner, fld = _bodies(t)[bi]
            lst = getattr(owner, fld)
            if isinstance(owner, ast.FunctionDef) and owner.name == "f" and \
                    any(isinstance(s, ast.Return) for s in lst[a:b]) and b == n:
                continue        # keep f's final return
            if isinstance(owner, ast.Module) and any(
                    isinstance(s, ast.FunctionDef) and s.name == "f" for s in lst[a:b]):
                continue
            new = lst[:a] + lst[b:]
            if not new:
                if fld == "orelse":
                    setattr(owner, fld, [])
                else:
                    new = [ast.Pass()]
                    setattr(owner, fld, new)
            else:
                setattr(owner, fld, new)
            out = _unparse(t)
            if out and out != src:
                yield out


def compound_flattening(src):
    tree = ast.parse(src)
    n = sum(1 for _ in ast.walk(tree))
    nodes = [i for i, nd in enumerate(ast.walk(tree)) if isinstance(nd, (ast.If, ast.For, ast.While))]
    for k in nodes:
        for choice in ("body", "orelse", "drop_else"):
            t = ast.parse(src)
            node = list(ast.walk(t))[k]
            parent, fld, idx = _find_parent(t, node)
            if parent is None:
                continue
            lst = getattr(parent, fld)
            if choice == "drop_else":
                if not getattr(node, "orelse", None):
                    continue
                node.orelse = []
                out = _unparse(t)
            else:
                repl = getattr(node, choice, None)
                if not repl:
                    continue
                setattr(parent, fld, lst[:idx] + repl + lst[idx + 1:])
                out = _unparse(t)
            if out and out != src:
                yield out


def _find_parent(tree, target):
    for node in ast.walk(tree):
        for fld in ("body", "orelse"):
            lst = getattr(node, fld, None)
            if isinstance(lst, list):
                for i, s in enumerate(lst):
                    if s is target:
                        return node, fld, i
    return None, None, None


def _expr_children(node):
    for fld, val in ast.iter_fields(node):
        if isinstance(val, ast.expr) and not isinstance(val, (ast.expr_context,)):
            yield val
        elif isinstance(val, list):
            for v in val:
                if isinstance(v, ast.expr):
                    yield v
                if isinstance(v, ast.keyword):
                    yield v.value


class _Replace(ast.NodeTransformer):
    def __init__(self, k, repl):
        self.k, self.repl, self.i = k, repl, -1

    def generic_visit(self, node):
        return super().generic_visit(node)

    def visit(self, node):
        if isinstance(node, ast.expr) and not _is_target(node):
            self.i += 1
            if self.i == self.k:
                return self.repl(node)
        return super().visit(node)


def _is_target(node):
    return isinstance(getattr(node, "ctx", None), (ast.Store, ast.Del))


def expr_simplifications(src):
    tree = ast.parse(src)
    exprs = [nd for nd in _walk_exprs(tree)]
    for k, node in enumerate(exprs):
        if isinstance(node, (ast.Constant, ast.Name)):
            if isinstance(node, ast.Constant) and isinstance(node.value, float) and node.value not in (0.0, 1.0):
                yield from _try_replace(src, k, lambda n: ast.Constant(1.0))
            if isinstance(node, ast.Constant) and isinstance(node.value, int) and \
                    not isinstance(node.value, bool) and node.value > 1:
                yield from _try_replace(src, k, lambda n: ast.Constant(n.value - 1))
            continue
        kids = list(_expr_children(node))
        for ci in range(len(kids)):
            yield from _try_replace(src, k, lambda n, ci=ci: copy.deepcopy(list(_expr_children(n))[ci]))
        if isinstance(node, (ast.BinOp, ast.Call, ast.UnaryOp, ast.IfExp, ast.Subscript, ast.Compare,
                             ast.BoolOp)):
            yield from _try_replace(src, k, lambda n: ast.Constant(1.0))
        if isinstance(node, ast.Compare) or isinstance(node, ast.BoolOp):
            yield from _try_replace(src, k, lambda n: ast.Constant(True))
            yield from _try_replace(src, k, lambda n: ast.Constant(False))
        if isinstance(node, ast.Call) and len(node.args) > 1:
            for ai in range(len(node.args)):
                def drop(n, ai=ai):
                    n = copy.deepcopy(n)
                    del n.args[ai]
                    return n
                yield from _try_replace(src, k, drop)
        if isinstance(node, ast.Call) and node.keywords:
            for ki in range(len(node.keywords)):
                def dropk(n, ki=ki):
                    n = copy.deepcopy(n)
                    del n.keywords[ki]
                    return n
                yield from _try_replace(src, k, dropk)
        if isinstance(node, (ast.List, ast.Tuple)) and len(node.elts) > 1 and \
                not _is_target(node):
            for ei in range(len(node.elts)):
                def drope(n, ei=ei):
                    n = copy.deepcopy(n)
                    del n.elts[ei]
                    return n
                yield from _try_replace(src, k, drope)


def _walk_exprs(tree):
    out = []

    class V(ast.NodeVisitor):
        def visit(self, node):
            if isinstance(node, ast.expr) and not _is_target(node):
                out.append(node)
            super().visit(node)
    V().visit(tree)
    return out


def _try_replace(src, k, fn):
    t = ast.parse(src)
    tr = _Replace(k, fn)
    t = tr.visit(t)
    out = _unparse(t)
    if out and out != src:
        yield out


# ---------------------------------------------------------------------------
# parameters and argument values
# ---------------------------------------------------------------------------

def param_drops(case, needed):
    tree = ast.parse(case.source)
    fdef = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "f"][0]
    for i, a in enumerate(fdef.args.args):
        if a.arg in needed:
            continue
        t = ast.parse(case.source)
        fd = [n for n in t.body if isinstance(n, ast.FunctionDef) and n.name == "f"][0]
        del fd.args.args[i]
        out = _unparse(t)
        if out:
            yield Case(out, case.params[:i] + case.params[i + 1:], case.args[:i] + case.args[i + 1:],
                       case.kind, case.seed, case.entries, case.note)


def _round_literal(src, fn):
    t = ast.parse(src, mode="eval")

    class R(ast.NodeTransformer):
        def visit_Constant(self, node):
            if isinstance(node.value, float):
                return ast.copy_location(ast.Constant(fn(node.value)), node)
            return node

        def visit_UnaryOp(self, node):
            if isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) and \
                    isinstance(node.operand.value, float):
                return ast.copy_location(ast.Constant(fn(-node.operand.value)), node)
            return self.generic_visit(node)
    t = R().visit(t)
    ast.fix_missing_locations(t)
    return ast.unparse(t)


def arg_roundings(case):
    for i, a in enumerate(case.args):
        for fn in (lambda v: round(v * 2) / 2 or 0.5, lambda v: round(v, 1) or 0.1):
            try:
                new = _round_literal(a, fn)
            except Exception:
                continue
            if new != a:
                args = list(case.args)
                args[i] = new
                yield Case(case.source, case.params, args, case.kind, case.seed, case.entries, case.note)


def entry_params(ent):
    parts = ent.split(":")
    if parts[0] in ("grad", "vg"):
        return set(parts[2].split(","))
    if parts[0] in ("jac",):
        return {parts[2]}
    if parts[0] in ("hess", "hvp", "regrad", "nonscalar", "gradgrad"):
        return {parts[1]}
    return set()


def size_of(case):
    return len(case.source) + sum(len(a) for a in case.args)


def shrink(case, target, budget=120.0, log=None, timeout=10.0):
    """Smallest Case (greedy) that still shows target = (class, entry, detail)."""
    pred = make_pred(target, timeout)
    t0 = time.time()
    best = case
    attempts = 0
    needed = entry_params(target[1])

    def candidates(c):
        for p in param_drops(c, needed):
            yield p
        for s in stmt_deletions(c.source):
            yield replace_src(c, s)
        for s in compound_flattening(c.source):
            yield replace_src(c, s)
        for s in expr_simplifications(c.source):
            yield replace_src(c, s)
        for p in arg_roundings(c):
            yield p

    progress = True
    while progress and time.time() - t0 < budget:
        progress = False
        for cand in candidates(best):
            if time.time() - t0 > budget:
                break
            if size_of(cand) >= size_of(best) and cand.args == best.args:
                continue
            attempts += 1
            try:
                ok = pred(cand)
            except Exception:
                ok = False
            if ok:
                best = cand
                progress = True
                if log:
                    log(f"  shrink: {size_of(best)} chars after {attempts} attempts")
                break
    return best, attempts


def replace_src(c, src):
    return Case(src, c.params, c.args, c.kind, c.seed, c.entries, c.note)
