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

from . import ir, runtime
from .avals import Num, UNKNOWN, concrete
from .ir import Var, Op, If, Loop

UPDATES = (runtime.setitem_copy, runtime.setitem_grad_x, runtime.append, runtime.add_at)

# operations whose result is a new object nobody else holds
_FRESH = {np.zeros, np.ones, np.empty, np.full, np.zeros_like, np.ones_like, np.empty_like,
          np.full_like, np.arange, np.linspace, np.eye, np.identity, np.array, np.copy,
          runtime.zeros_like, runtime.make_list, runtime.make_dict, builtins.list,
          operator.add, operator.sub, operator.mul, operator.truediv, operator.pow,
          operator.neg, operator.matmul, np.outer, np.concatenate, np.stack,
          runtime.index_adjoint, runtime.concatenate_grad} | set(UPDATES)
# reads that keep nothing of their argument
_CONSUMERS = _FRESH | {np.sum, np.mean, np.max, np.min, np.prod, np.var, np.std, np.dot,
                       np.linalg.norm, np.shape, np.ndim, np.size, len, builtins.sum,
                       builtins.float, operator.lt, operator.le, operator.gt, operator.ge,
                       operator.eq, operator.ne, runtime.check_scalar_output, range}
# reads whose result may share memory with their argument
VIEWS = {operator.getitem, np.reshape, np.transpose, np.ravel, np.squeeze, np.expand_dims,
          np.broadcast_to}


def plan(fn: ir.Function, use_count: dict):
    """(ids of the update ops to print in place, {carry var: init var} pairs
    whose names can be shared, ids of the carries whose initial value must be
    copied before the loop because the loop updates it in place)."""
    defs, carry_of, place, readers = {}, {}, {}, {}

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
                index(s.body)
                index(s.orelse)
            elif isinstance(s, Loop):
                for c in s.carries:
                    carry_of[c.var] = (s, c)
                index(s.cond_body)
                index(s.body)
    index(fn.body)

    copied = set()

    def owned(v, seen=frozenset()):
        if not isinstance(v, Var) or v in seen:
            return v in seen
        op = defs.get(v)
        if op is not None:
            return op.fn in _FRESH or (isinstance(op.fn, np.ufunc) and op.fn.signature is None)
        if v in carry_of:
            loop, c = carry_of[v]
            if not owned(c.next, seen | {v}):
                return False
            if not owned(c.init, seen | {v}):
                copied.add(id(c))    # (an init that is not owned is copied once before the loop)
            return True
        return False

    def keeps_nothing(r, block, pos):
        """A read that keeps nothing of its argument past `pos`: a
        consumer, or a view whose own reads all come before `pos`."""
        if is_view(r):
            return read_before(r.target, block, pos, None)
        return r.fn in VIEWS or r.fn in _CONSUMERS or (
            isinstance(r.fn, np.ufunc) and r.fn.signature is None)

    def read_before(v, block, pos, skip):
        """All reads of `v` (but `skip`) are plain statements of `block`
        before `pos` that keep nothing of it."""
        for r in readers.get(v, []):
            if r is skip:
                continue
            where = place.get(id(r))
            if where is None or where[0] is not block or where[1] >= pos or not isinstance(r, Op):
                return False
            if not keeps_nothing(r, block, pos):
                return False
        return True

    def kept_in_iteration_only(y, loop, seen):
        """The value an update in a loop body makes (the same object, which
        the next iteration updates again) is not kept past the iteration:
        its reads are consumers, further updates of it, views read only by
        such, or the loop's own carry.  (A view of it on the tape would
        change under the next iteration's update.)"""
        if y in seen:
            return True
        seen.add(y)
        for r in readers.get(y, []):
            if r is loop:
                continue
            where = place.get(id(r))
            if where is None or not _within(where[0], loop) or not isinstance(r, Op):
                return False
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

    inplace, shared = set(), {}
    for s in ir.walk(fn.body):
        if not (isinstance(s, Op) and s.fn in UPDATES and s.target is not None
                and isinstance(s.args[0], Var) and owned(s.args[0])):
            continue
        x = s.args[0]
        block, pos = place[id(s)]
        if x in carry_of:
            loop, c = carry_of[x]
            if block is not loop.body or any(o.next is x for o in loop.carries) \
                    or loop.exit_flag is x:
                continue
            if not _reads_in_loop_before(x, readers, loop, s, place, keeps_nothing):
                continue
            if not kept_in_iteration_only(s.target, loop, set()):
                continue
            init = c.init
            lblock, lpos = place[id(loop)]
            sole = sum(1 for o in loop.carries if o.init is init) == 1
            if sole and owned(init) and isinstance(init, Var) \
                    and read_before(init, lblock, lpos, loop):
                shared[x] = init           # the loop takes over the initial object
            else:
                copied.add(id(c))          # one copy before the loop, then in place
        elif not read_before(x, block, pos, s):
            continue
        inplace.add(id(s))
    return inplace, shared, copied


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


def _reads_in_loop_before(x, readers, loop, update, place, keeps_nothing):
    """Reads of a loop-carried value inside the loop come before the update
    (in the same block) and keep nothing of it; reads after the loop see the
    final value, which no later update touches."""
    block, pos = place[id(update)]
    for r in readers.get(x, []):
        if r is update or r is loop:
            continue
        where = place.get(id(r))
        if where is None:
            return False
        if _within(where[0], loop):
            if where[0] is not block or where[1] >= pos or not isinstance(r, Op) \
                    or not keeps_nothing(r, block, pos):
                return False
    return True
