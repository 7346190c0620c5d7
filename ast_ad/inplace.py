"""Which functional updates the generated code may do in place.

The IR has value semantics: ``y1 = setitem_copy(y0, i, v)`` is a new array,
so that no input is ever mutated and every old value stays readable.  Done
literally, filling an array element by element in a loop copies it at every
write.  Codegen prints ``y[i] = v`` instead (and ``xs.append(v)``,
``_ad.clear(g, i)`` for the adjoint of an item assignment and
``_ad.iadd_at(g, i, v)`` for an adjoint accumulated element by element) when
nobody can observe the difference:

* the old value is *owned* by the generated code: made by an operation that
  returns a fresh object (``np.zeros``, arithmetic, an earlier update), never
  a parameter, a global, or a view;
* every other read of the old value happens *before* the update, in the same
  block, and does not keep it: arithmetic and reductions make new objects;
  a view (``y[i - 1]``, ``y.T``) is allowed if all its own reads are also
  before the update; a tape, a tuple or a list that stores it is not.  For a
  loop-carried value the update must be in the loop body itself, and reads
  after the loop see the final value, which no later update touches.
"""
from __future__ import annotations

import builtins
import operator

import numpy as np

from . import ir, primitives, runtime
from .avals import Array, Num, Seq, UNKNOWN, concrete
from .ir import Var, Op, If, Loop

UPDATES = (runtime.setitem_copy, runtime.setitem_grad_x, runtime.append, runtime.add_at,
           runtime.pop_last)

# operations whose result is a new object nobody else holds
_FRESH = {np.zeros, np.ones, np.empty, np.full, np.zeros_like, np.ones_like, np.empty_like,
          np.full_like, np.arange, np.linspace, np.eye, np.identity, np.array, np.copy,
          runtime.zeros_like, runtime.make_list, runtime.make_dict, builtins.list,
          operator.add, operator.sub, operator.mul, operator.truediv, operator.pow,
          operator.neg, operator.matmul, np.outer, np.concatenate, np.stack,
          runtime.index_adjoint, runtime.repeat_sequence} | set(UPDATES)
# operations whose result holds an argument itself (a container of it; a
# list of an array's rows): fresh, but keeping what they read
_HOLDERS = {runtime.make_list, runtime.make_dict, builtins.list, runtime.index_adjoint,
            runtime.append, runtime.pop_last}
# reads that keep nothing of their argument
_CONSUMERS = (_FRESH - _HOLDERS) | {
    np.sum, np.mean, np.max, np.min, np.prod, np.var, np.std, np.dot, np.linalg.norm, np.shape,
    np.ndim, np.size, len, builtins.sum, builtins.float, operator.lt, operator.le, operator.gt,
    operator.ge, operator.eq, operator.ne, runtime.check_scalar_output, range}
# reads whose result may share memory with their argument
VIEWS = primitives.array_functions() | {
    operator.getitem, runtime.concatenate_grad}      # (pieces of g made by np.split)


def plan(fn: ir.Function, use_count: dict):
    """(ids of the update ops to print in place, {carry var: init var} pairs
    whose names can be shared, ids of the carries whose initial value must be
    copied before the loop because the loop updates it in place).

    A value an `if` merges counts as owned when both sides are: then the
    plan is checked, because "owned" needs the merge to be of one object
    (the same one, perhaps updated in place on a side) or of objects made
    fresh inside their branches; a merge of anything else (``y_1 = y`` on
    one side, while `y` is still readable) is taken as not owned, and the
    plan made again."""
    blocked = set()
    while True:
        inplace, shared, copied, used, ctx = _plan(fn, blocked)
        bad = {v for v in used if not _one_object(ctx["merges"][v], ctx, inplace)}
        if not bad:
            return inplace, shared, copied
        blocked |= bad


def _one_object(merge, ctx, inplace):
    """The phi merges one object (the same one, perhaps updated in place on
    a side), or objects each made fresh in its own branch; and no version of
    them is read after the `if` but through the phi (nor kept by a view), so
    that an update of the merged value in place changes nothing else."""
    phi, branch = merge
    defs, readers, place = ctx["defs"], ctx["readers"], ctx["place"]

    def versions(v):
        out = [v]
        while isinstance(v, Var) and v in defs and id(defs[v]) in inplace:
            v = defs[v].args[0]
            out.append(v)
        return out
    then, orelse = versions(phi.then), versions(phi.orelse)
    a, b = then[-1], orelse[-1]
    if a is not b:
        def made_in(v, block):
            op = defs.get(v)
            return op is not None and any(st is op for st in ir.walk(block)) and (
                op.fn in _FRESH or (isinstance(op.fn, np.ufunc) and op.fn.signature is None))
        if not (made_in(a, branch.body) and made_in(b, branch.orelse)):
            return False
    # where the `if` is: (block, position) of it and of each statement holding it
    around, block, pos = [], *place[id(branch)]
    while True:
        around.append((block, pos))
        up = ctx["enclosing"].get(id(block))
        if up is None:
            break
        block, pos = up[1], up[2]
    inside = {id(branch.body), id(branch.orelse)}
    for v in set(then + orelse):
        if not isinstance(v, Var):
            return False
        carry = ctx["carry_of"].get(v)
        for r in readers.get(v, []):
            if r is branch:
                if any(q is not phi and v in (q.then, q.orelse) for q in branch.phis):
                    return False        # (another phi carries it out of the `if` too)
                continue
            if carry is not None and r is carry[0]:
                continue
            where = place.get(id(r))
            if where is None:
                return False
            rblock, rpos = where
            if _inside(rblock, inside, ctx["enclosing"]):
                if isinstance(r, Op) and ctx["is_view"](r):
                    return False
                continue
            if any(rblock is blk and rpos < at for blk, at in around):
                if not isinstance(r, Op) or ctx["is_view"](r):
                    return False
                continue
            if carry is not None and not _within(rblock, carry[0]):
                continue        # (after the loop: the final value)
            return False
    return True


def _plan(fn: ir.Function, blocked):
    defs, carry_of, place, readers = {}, {}, {}, {}
    merges = {}         # the var an If's phi defines -> the phi
    enclosing = {}      # id(block) -> (the If or Loop holding it, its block, its position, branch)

    def is_view(r):
        """A read that may share memory with its argument (an element read
        out as a number does not)."""
        if r.fn not in VIEWS:
            return False
        return not isinstance(concrete(fn.avals.get(r.target, UNKNOWN)), Num)

    def index(block):
        for i, s in enumerate(block):
            place[id(s)] = (block, i)
            for o in ir.all_operands(s):
                if isinstance(o, Var):
                    readers.setdefault(o, []).append(s)
            if isinstance(s, Op) and s.target is not None:
                defs[s.target] = s
            elif isinstance(s, If):
                for p in s.phis:
                    merges[p.var] = (p, s)
                enclosing[id(s.body)] = (s, block, i, "then")
                enclosing[id(s.orelse)] = (s, block, i, "orelse")
                index(s.body)
                index(s.orelse)
            elif isinstance(s, Loop):
                for c in s.carries:
                    carry_of[c.var] = (s, c)
                enclosing[id(s.cond_body)] = (s, block, i, "cond")
                enclosing[id(s.body)] = (s, block, i, "body")
                index(s.cond_body)
                index(s.body)
    index(fn.body)

    copied, used = set(), set()

    def owned(v, seen=frozenset()):
        if not isinstance(v, Var) or v in seen:
            return v in seen
        op = defs.get(v)
        if op is not None:
            return op.fn in _FRESH or (isinstance(op.fn, np.ufunc) and op.fn.signature is None)
        if v in merges:
            if v in blocked:
                return False
            p = merges[v][0]
            if owned(p.then, seen | {v}) and owned(p.orelse, seen | {v}):
                used.add(v)
                return True
            return False
        if v in carry_of:
            loop, c = carry_of[v]
            if not owned(c.next, seen | {v}):
                return False
            if not owned(c.init, seen | {v}):
                copied.add(id(c))    # (an init that is not owned is copied once before the loop)
            return True
        return False

    def keeps_nothing(r, block, pos, v):
        """A read of `v` that keeps nothing of it past `pos`: a consumer,
        or a view whose own reads all come before `pos`.  (An update that
        stores `v` into a list or dict keeps it; into an array, copies it.)"""
        if r.fn in UPDATES and any(a is v for a in r.args[1:]) and not isinstance(
                concrete(fn.avals.get(r.args[0], UNKNOWN)) if isinstance(r.args[0], Var)
                else UNKNOWN, Array):
            return False
        if is_view(r):
            return read_before(r.target, block, pos, None)
        return r.fn in VIEWS or r.fn in _CONSUMERS or (
            isinstance(r.fn, np.ufunc) and r.fn.signature is None)

    def read_before(v, block, pos, skip, leaves=None):
        """All reads of `v` (but `skip`) are plain statements of `block`
        before `pos` that keep nothing of it.  Where `v` is the carry of a
        loop around `block` whose next value is one of `leaves` (what the
        updates at `pos` leave), reads after that loop are allowed too: they
        see its final value, the object as the updates left it."""
        home = None
        if leaves and v in carry_of:
            outer, c = carry_of[v]
            if _within(block, outer) and c.next in leaves and takes_over(outer, c):
                home = outer
        for r in readers.get(v, []):
            if r is skip or r is home:
                continue
            where = place.get(id(r))
            if home is not None and where is not None and not _within(where[0], home):
                continue
            if where is None or where[0] is not block or where[1] >= pos or not isinstance(r, Op):
                return False
            if not keeps_nothing(r, block, pos, v):
                return False
        return True

    def takes_over(loop, c):
        """`loop`'s carry `c` starts from an object nobody else sees: made
        fresh, the initial value of no other carry, and not read once the
        loop starts (but as the final value of loops around it, likewise).
        Then updating the carried object in place changes nothing else."""
        init = c.init
        if not isinstance(init, Var) or not owned(init) \
                or sum(1 for o in loop.carries if o.init is init) != 1:
            return False
        outer = _enclosing_loop(loop, place, enclosing)
        if outer is not None and not made_in_loop(init, outer):
            # (made before an enclosing loop -- a loop-invariant value
            # hoisted out of it, say: that loop's next iteration starts
            # this one from the same object again, which must stay as made)
            return False
        lblock, lpos = place[id(loop)]
        return read_before(init, lblock, lpos, loop, later_versions(c.var))

    def made_in_loop(v, loop):
        """`v` is defined inside `loop` (by an op of its body, or as the
        carry of `loop` or of a loop inside it)."""
        if v in carry_of:
            inner = carry_of[v][0]
            return inner is loop or _within(place[id(inner)][0], loop)
        op = defs.get(v)
        return op is not None and _within(place[id(op)][0], loop)

    def made_afresh_in(v, loop):
        """`v` is a new object made in each iteration of `loop`."""
        op = defs.get(v) if isinstance(v, Var) else None
        return op is not None and _within(place[id(op)][0], loop) and (
            op.fn in _FRESH or (isinstance(op.fn, np.ufunc) and op.fn.signature is None))

    def kept_in_iteration_only(y, loop, seen, after_ok=False):
        """The value an update in a loop body makes (the same object, which
        the next iteration updates again) is not kept past the iteration:
        its reads are consumers, further updates of it, views read only by
        such, or the loop's own carry.  (A view of it on the tape would
        change under the next iteration's update.)"""
        if y in seen:
            return True
        seen.add(y)
        if y in carry_of:
            inner, c = carry_of[y]
            if inner is not loop and _within(place[id(inner)][0], loop):
                # (the final value of an inner loop is the object its body
                # left last, or the one it started from: neither may be kept
                # -- a start that is `loop`'s own carry is checked where
                # `loop` reads it)
                head = c.init in carry_of and carry_of[c.init][0] is loop
                if not kept_in_iteration_only(c.next, loop, seen) or (
                        not head and not kept_in_iteration_only(c.init, loop, seen)):
                    return False
        for r in readers.get(y, []):
            if r is loop:
                # carried into the next iteration (a view of the updated
                # object, say): what that iteration does with it counts too
                # -- a tape keeping it would see the next update
                # (on a copy of `seen`: reads after the loop are allowed here
                # only, the check for enclosing loops below must still see them)
                if not all(kept_in_iteration_only(c.var, loop, set(seen), after_ok=True)
                           for c in loop.carries if c.next is y):
                    return False
                # the final value, read after the loop, is the object the loop
                # updates again when an enclosing loop runs it once more: it
                # must not be kept past that loop's iteration either
                # -- unless each run of the loop starts from an object made
                # afresh in that enclosing iteration
                outer = _enclosing_loop(loop, place, enclosing)
                if outer is not None and not all(
                        made_afresh_in(c.init, outer)
                        or kept_in_iteration_only(c.var, outer, seen)
                        for c in loop.carries if c.next is y):
                    return False
                continue
            where = place.get(id(r))
            if where is not None and after_ok and not _within(where[0], loop):
                continue        # (a carry read after the loop: its final value)
            if where is None or not _within(where[0], loop):
                return False
            if isinstance(r, Loop):
                # an inner loop carrying it (from its start, or as the value
                # its body leaves): the carried value must not be kept either
                if y in (r.iter, r.cond, r.exit_flag):
                    return False
                if not all(kept_in_iteration_only(c.var, loop, seen)
                           for c in r.carries if y is c.init or y is c.next):
                    return False
                continue
            if isinstance(r, If):
                # (a branch merging it: the merged value must not be kept either)
                if r.cond is y or not all(kept_in_iteration_only(p.var, loop, seen)
                                          for p in r.phis if y in (p.then, p.orelse)):
                    return False
                continue
            if r.fn in UPDATES and r.args[0] is y:
                if not kept_in_iteration_only(r.target, loop, seen):
                    return False
            elif is_view(r):
                if not kept_in_iteration_only(r.target, loop, seen):
                    return False
            elif y in r.args[1:] and r.fn in UPDATES:
                return False        # (stored into another object)
            elif not (r.fn in _CONSUMERS or r.fn in VIEWS
                      or (isinstance(r.fn, np.ufunc) and r.fn.signature is None)):
                return False
        return True

    def later_versions(y):
        """`y` and the values that are `y` updated again, or merged with it."""
        out, todo = set(), [y]
        while todo:
            v = todo.pop()
            if v in out:
                continue
            out.add(v)
            for r in readers.get(v, []):
                if isinstance(r, Op) and r.fn in UPDATES and r.args[0] is v \
                        and r.target is not None:
                    todo.append(r.target)
                elif isinstance(r, If):
                    todo += [p.var for p in r.phis if v in (p.then, p.orelse)]
        return out

    inplace, shared = set(), {}
    for s in ir.walk(fn.body):
        if not (isinstance(s, Op) and s.fn in UPDATES and s.target is not None
                and isinstance(s.args[0], Var) and owned(s.args[0])):
            continue
        if s.fn is runtime.pop_last and not _is_list(fn.avals.get(s.args[0], UNKNOWN)):
            continue        # (an adjoint list may be an array, which has no .pop())
        x = s.args[0]
        block, pos = place[id(s)]
        if x in carry_of:
            loop, c = carry_of[x]
            branches = _branches_to(block, loop, enclosing)
            if branches is None or any(o.next is x for o in loop.carries) \
                    or loop.exit_flag is x:
                continue
            if not _reads_in_loop_before(x, readers, loop, s, place, keeps_nothing, branches,
                                         enclosing, is_view):
                continue
            if not kept_in_iteration_only(s.target, loop, set()):
                continue
            # nor may the value the previous iteration left (the carry's next
            # value): the tape of ``x = x / m`` keeps it, and this update
            # would change it under the backward sweep
            if not kept_in_iteration_only(c.next, loop, set()):
                continue
            # nor may the updated object become another carry's value (names
            # swapped in the loop: ``bx, by = by_updated, new``), as that
            # carry's name would then be rebound while the object is read
            later = later_versions(s.target)
            if any(o is not c and o.next in later for o in loop.carries):
                continue
            if takes_over(loop, c):
                shared[x] = c.init         # the loop takes over the initial object
                # (which, when it is an enclosing loop's carry, is at first
                # that loop's initial object: it must take that over too)
                inner, head = loop, c.init
                while head in carry_of and carry_of[head][0] is _enclosing_loop(
                        inner, place, enclosing):
                    inner, oc = carry_of[head]
                    if not takes_over(inner, oc):
                        copied.add(id(oc))
                        break
                    head = oc.init
            else:
                copied.add(id(c))          # one copy before the loop, then in place
        elif not read_before(x, block, pos, s):
            continue
        inplace.add(id(s))
    ctx = dict(merges=merges, defs=defs, readers=readers, place=place, enclosing=enclosing,
               carry_of=carry_of, is_view=is_view)
    return inplace, shared, copied, used, ctx


def _is_list(aval):
    a = concrete(aval)
    return isinstance(a, Seq) and a.type is list


def _within(block, loop):
    """Whether `block` is (or is nested in) the body of `loop`."""
    if block is loop.body or block is loop.cond_body:
        return True
    for s in ir.walk(loop.cond_body + loop.body):
        if isinstance(s, If) and (block is s.body or block is s.orelse):
            return True
        if isinstance(s, Loop) and (block is s.body or block is s.cond_body):
            return True
    return False


def _enclosing_loop(stmt, place, enclosing):
    """The innermost loop whose body holds `stmt`, or None."""
    block = place[id(stmt)][0]
    while True:
        up = enclosing.get(id(block))
        if up is None:
            return None
        if isinstance(up[0], Loop):
            return up[0]
        block = up[1]


def _branches_to(block, loop, enclosing):
    """The `If` branches between `loop`'s body and `block`, innermost first,
    as (if, its block, its position, branch) - or None when `block` is not
    reached from the body through branches alone (a nested loop)."""
    out = []
    while block is not loop.body:
        up = enclosing.get(id(block))
        if up is None or not isinstance(up[0], If):
            return None
        out.append(up)
        block = up[1]
    return out


def _reads_in_loop_before(x, readers, loop, update, place, keeps_nothing, branches, enclosing,
                          is_view):
    """Reads of a loop-carried value inside the loop come before the update
    and keep nothing of it: earlier in the update's block, or in an
    enclosing block before the branch that holds the update; or they are in
    the other side of such a branch (which runs instead of the update), where
    they make new values; or they are the branch's merge of the old value
    with the updated one (the same object either way).  Reads after the
    loop see the final value, which no later update touches."""
    block, pos = place[id(update)]
    levels = {id(b): (i, p) for i, (_, b, p, _) in enumerate(branches)}
    other_side = {id(getattr(i, "orelse" if side == "then" else "body")): side
                  for i, _, _, side in branches}
    for r in readers.get(x, []):
        if r is update or r is loop:
            continue
        where = place.get(id(r))
        if where is None:
            return False
        if not _within(where[0], loop):
            continue
        rblock, rpos = where
        if rblock is block:
            if rpos >= pos or not isinstance(r, Op) or not keeps_nothing(r, block, pos, x):
                return False
        elif id(rblock) in levels:
            level, at = levels[id(rblock)]
            if rpos < at:
                if not isinstance(r, Op) or not keeps_nothing(r, rblock, at, x):
                    return False
            elif r is branches[level][0]:
                if not _merges_old_with_new(r, x, branches[level][3]):
                    return False
            else:
                return False
        elif _inside(rblock, other_side, enclosing):
            if not isinstance(r, Op) or is_view(r) or not keeps_nothing(r, rblock, rpos, x):
                return False
        else:
            return False
    return True


def _merges_old_with_new(branch, x, side):
    """`branch` reads `x` only in merges of the old value from the side that
    does not update it (the `side` that updates it gives the new value)."""
    if branch.cond is x:
        return False
    for p in branch.phis:
        if (p.then is x and side == "then") or (p.orelse is x and side == "orelse"):
            return False
    return True


def _inside(block, blocks, enclosing):
    """Whether `block` is one of `blocks` (ids) or nested in one."""
    while block is not None:
        if id(block) in blocks:
            return True
        up = enclosing.get(id(block))
        block = up[1] if up is not None else None
    return False
