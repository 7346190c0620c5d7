"""The few helpers generated code calls, reached through one alias (``_ad``).

Each is an ordinary function with its own derivative rule (rules/helpers.py),
so generated code stays differentiable.  The simplifier removes calls to them
wherever the argument kinds make them unnecessary (e.g. `unbroadcast` between
two Python floats).
"""
from __future__ import annotations

import math

import numpy as np


def unbroadcast(g, x):
    """Sum the adjoint `g` down to the shape of `x` (undo NumPy broadcasting)."""
    if isinstance(g, (list, tuple)) and isinstance(x, (list, tuple)) and len(g) != len(x):
        from .errors import UnsupportedSyntaxError
        raise UnsupportedSyntaxError(
            "a list whose length changed here (xs + ys, or an assignment to a slice of another "
            "length) is differentiated in reverse mode only where the lists' elements are "
            "known when the code is made (literals, not lists built by append in a loop); "
            "build the new list with + from known parts, or use forward mode (jvp)")
    shape = np.shape(x)
    gshape = np.shape(g)
    if gshape == shape:
        return g
    if not shape:
        return np.sum(g)
    extra = len(gshape) - len(shape)
    if extra < 0:
        # (a value with leading 1s assigned where they are dropped,
        # ``z[:, 1] = v[None]``: the adjoint gets them back)
        g = np.reshape(g, (1,) * -extra + tuple(gshape))
    elif extra:
        g = np.sum(g, axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if axes:
        g = np.sum(g, axis=axes, keepdims=True)
    return g


def zeros_like(x):
    """A zero adjoint with the structure, shape and (float) dtype of `x`."""
    if isinstance(x, np.ndarray):
        return np.zeros(x.shape, x.dtype if x.dtype.kind in "fc" else float)
    if isinstance(x, (list, tuple)):
        return type(x)(zeros_like(v) for v in x)
    if isinstance(x, dict):
        return {k: zeros_like(v) for k, v in x.items()}
    if isinstance(x, np.generic):
        return np.zeros((), x.dtype if x.dtype.kind in "fc" else float)[()]
    return 0.0


def add(a, b):
    """Adjoint accumulation that also works on containers (lists, tuples,
    dicts of adjoints), where `+` would concatenate."""
    if isinstance(a, (list, tuple)):
        return type(a)(add(u, v) for u, v in zip(a, b))
    if isinstance(a, dict):
        return {k: add(a[k], b[k]) for k in a}
    return a + b


def broadcast_to_shape(g, x, axis=None, keepdims=False):
    """Spread the adjoint of a reduction of `x` back over `x`'s shape."""
    shape = np.shape(x)
    if not shape:
        return g
    if axis is not None and not keepdims:
        g = np.expand_dims(g, axis)
    dtype = getattr(x, "dtype", None)
    if dtype is not None and dtype.kind == "f" and getattr(g, "dtype", dtype) != dtype:
        g = np.asarray(g, dtype=dtype)   # keep float32 gradients float32
    elif not hasattr(g, "dtype") and dtype is not None and dtype.kind == "f":
        g = np.asarray(g, dtype=dtype)
    return np.broadcast_to(g, shape)


def reduced_count(x, axis=None):
    """How many elements a reduction over `axis` combines."""
    shape = np.shape(x)
    if axis is None:
        return int(np.prod(shape)) if shape else 1
    axes = axis if isinstance(axis, tuple) else (axis,)
    n = 1
    for a in axes:
        n *= shape[a]
    return n


def keep_reduced(ans, x, axis=None, keepdims=False):
    """The result of a reduction, reshaped so it broadcasts against `x`."""
    if axis is not None and not keepdims and np.ndim(x):
        return np.expand_dims(ans, axis)
    return ans


def index_adjoint(g, x, index):
    """Adjoint of ``x[index]``: zeros shaped like `x` with `g` added at
    `index` (repeated integer indices accumulate)."""
    if isinstance(x, (list, tuple)):
        out = [zeros_like(v) for v in x]
        if isinstance(index, slice):
            for i, gi in zip(range(*index.indices(len(x))), g):
                out[i] = add(out[i], gi)
        else:
            out[index] = add(out[index], g)
        return type(x)(out) if isinstance(x, tuple) else out
    if isinstance(x, dict):
        out = zeros_like(x)
        out[index] = add(out[index], g)
        return out
    dtype = x.dtype if isinstance(x, np.ndarray) and x.dtype.kind in "fc" else np.result_type(g, float)
    out = np.zeros(np.shape(x), dtype)
    np.add.at(out, index, g)
    return out


def setitem_copy(x, index, v):
    """``x[index] = v`` on a copy of `x` (the IR's value semantics; for a
    tuple, whose element object was updated in place, a new tuple)."""
    if isinstance(x, np.ndarray):
        y = x.copy()
    elif isinstance(x, list):
        y = list(x)
    elif isinstance(x, dict):
        y = dict(x)
    elif isinstance(x, tuple):
        y = list(x)
        y[index] = v
        return tuple(y)
    else:
        y = np.array(x, dtype=float)
    y[index] = v
    return y


def _basic(index):
    parts = index if isinstance(index, tuple) else (index,)
    return all(p is None or p is Ellipsis or isinstance(p, (int, np.integer, slice))
               and not isinstance(p, (bool, np.bool_)) for p in parts)


def _shares(base, index, old):
    """Whether `old` = base[index] is part of `base`: a view of an array (a
    basic index, an array result), or a mutable element of a container."""
    if isinstance(base, np.ndarray):
        return isinstance(old, np.ndarray) and _basic(index)
    if isinstance(base, (list, tuple, dict)):
        return isinstance(old, (np.ndarray, list, dict))
    return False


def write_through(base, index, old, new):
    """`base` after its part ``old = base[index]`` was updated in place to
    `new`: `new` written at `index` if `old` shares the base's memory (an
    array view, an element object), else `base` unchanged (it was a copy or
    an immutable number).  Decided by the values' types."""
    if _shares(base, index, old):
        return setitem_copy(base, index, new)
    return base


def write_through_grads(g, base, index, old):
    """(adjoint of base, adjoint of new) of `write_through`."""
    if _shares(base, index, old):
        return setitem_grad_x(g, index), g[index]
    return g, zeros_like(old)


def view_refresh(old, base, index, written=None):
    """What a part ``old = base[index]`` reads after `base` changed: the new
    base's part if `old` was a view (array) or an element object written at
    `written`, else `old` (a copy, or another element)."""
    if isinstance(base, np.ndarray):
        return base[index] if isinstance(old, np.ndarray) and _basic(index) else old
    return element_refresh(old, base, index, written)


def element_refresh(old, base, index, written):
    """An element object of a container after the element at `written` was
    updated in place: the new one if it is the same slot, else `old`."""
    if written is not None and index == written and isinstance(old, (np.ndarray, list, dict)):
        return base[index]
    return old


def refresh_grads(g, old, base, index, written=None):
    """(adjoint of old, adjoint of base) of `view_refresh`/`element_refresh`."""
    refreshed = view_refresh(old, base, index, written) is not old
    if refreshed:
        return zeros_like(old), index_adjoint(g, base, index)
    return g, zeros_like(base)


def write_through_tangent(dbase, dnew, base, index, old):
    """The tangent of `write_through` (the choice is made on the primal values)."""
    if _shares(base, index, old):
        return setitem_copy(dbase, index, dnew)
    return dbase


def refresh_tangent(dold, dbase, old, base, index, written=None):
    """The tangent of `view_refresh`/`element_refresh`."""
    if view_refresh(old, base, index, written) is not old:
        return dbase[index]
    return dold


def astype(x, dtype, *args, **kwargs):
    """``x.astype(dtype)`` (a copy)."""
    return np.asarray(x).astype(dtype, *args, **kwargs)


def flatten(x):
    """``x.flatten()`` (a copy)."""
    return np.asarray(x).flatten()


def assigned_grad(g, index):
    """``g[index]``, the adjoint of the values `v` of ``x[index] = v``, except
    that where an integer index array repeats an element, only its last write
    survives (as in NumPy), so only that one gets the adjoint."""
    picked = g[index]
    if not _has_index_array(index) or isinstance(g, (list, dict)):
        return picked
    ids = np.arange(np.size(g)).reshape(np.shape(g))[index]
    flat = np.ravel(ids)
    # the last occurrence of each element, in the order NumPy writes them
    _, first_from_end = np.unique(flat[::-1], return_index=True)
    keep = np.zeros(flat.shape, bool)
    keep[flat.size - 1 - first_from_end] = True
    return np.where(keep.reshape(np.shape(ids)), picked, 0.0)


def _has_index_array(index):
    parts = index if isinstance(index, tuple) else (index,)
    return any(isinstance(i, (np.ndarray, list)) for i in parts)


def shallow_copy(x):
    """A copy of an array, list or dict that an update in place may change."""
    if isinstance(x, np.ndarray):
        return np.array(x)
    if isinstance(x, (list, dict)):
        return type(x)(x)
    return x


def setitem_grad_x(g, index):
    """Adjoint of ``setitem_copy`` w.r.t. the old container: the overwritten
    elements receive nothing."""
    if isinstance(g, list):
        out = list(g)
    elif isinstance(g, dict):
        out = dict(g)
    else:
        g = np.asarray(g)
        out = np.array(g, dtype=g.dtype if g.dtype.kind in "fc" else float)
    if isinstance(out, np.ndarray):
        out[index] = 0.0
    else:
        out[index] = zeros_like(out[index])
    return out


def add_at(a, index, g):
    """``a`` plus `g` at `index` (a copy; repeated integer indices add up):
    an adjoint accumulated one element at a time."""
    # (a float array keeps its dtype, as the in-place form `a[i] += g` does)
    if isinstance(a, list):
        out = list(a)
    elif isinstance(a, np.ndarray) and a.dtype.kind == "f":
        out = np.array(a)
    else:
        out = np.array(a, dtype=np.result_type(a, g, np.float32))
    iadd_at(out, index, g)
    return out


def iadd_at(a, index, g):
    """In-place `add_at` (used by generated code where nothing else holds `a`)."""
    if isinstance(a, list):
        a[index] = add(a[index], g)
    elif isinstance(index, (int, np.integer, slice)):
        a[index] += g
    else:
        np.add.at(a, index, g)


def clear(g, index):
    """In-place ``setitem_grad_x``: zero the adjoint at `index` (used by
    generated code only where nothing else holds `g`)."""
    if isinstance(g, np.ndarray):
        g[index] = 0.0
    else:
        g[index] = zeros_like(g[index])


def append(lst, v):
    """Functional ``lst.append(v)``."""
    return list(lst) + [v]


def repeat_sequence(seq, n):
    """``seq * n`` for a list or tuple `seq` and an integer `n`."""
    return seq * n


def repeat_sequence_grad(g, seq):
    """The adjoint of `repeat_sequence` w.r.t. `seq`: the adjoints of the
    copies of each element added up."""
    m = len(seq)
    out = [zeros_like(v) for v in seq]
    for start in range(0, len(g), m) if m else ():
        for k in range(m):
            out[k] = add(out[k], g[start + k])
    return type(seq)(out)


def pop_last(lst):
    """Everything but the last element: ``xs.pop()`` on a copy, and the
    adjoint of `append` w.r.t. the list (which may be an array)."""
    if len(lst) == 0:
        raise IndexError("pop from empty list")
    return lst[:-1] if isinstance(lst, list) else list(lst[:-1])


def _float_like(out, x):
    """`out` in the float dtype of the array `x` (an adjoint has its
    argument's dtype; shape inference relies on it, see infer.SHAPE_OF_ARG)."""
    dtype = getattr(x, "dtype", None)
    if dtype is not None and dtype.kind == "f" and getattr(out, "dtype", dtype) != dtype:
        return np.asarray(out, dtype=dtype)
    return out


def maxmin_grad(g, ans, x, axis=None, keepdims=False):
    """Adjoint of max/min: split equally between the elements that attain it."""
    return _float_like(_maxmin_grad(g, ans, x, axis, keepdims), x)


def _maxmin_grad(g, ans, x, axis, keepdims):
    a = keep_reduced(ans, x, axis, keepdims)
    gk = keep_reduced(g, x, axis, keepdims)
    dtype = x.dtype if isinstance(x, np.ndarray) and x.dtype.kind == "f" else float
    mask = np.equal(x, a).astype(dtype)      # (float32 stays float32)
    return gk * mask / np.sum(mask, axis=axis, keepdims=True)


def norm_grad(g, ans, x, ord=None, axis=None, keepdims=False):
    """Adjoint of np.linalg.norm: the 2-norm (Frobenius for matrices), and
    the 1- and max-norms of vectors."""
    return _float_like(_norm_grad(g, ans, x, ord, axis, keepdims), x)


def _norm_grad(g, ans, x, ord, axis, keepdims):
    x = np.asarray(x)
    vector = np.ndim(x) == 1 and axis in (None, 0, -1) or isinstance(axis, int)
    matrix = not vector and (np.ndim(x) == 2 and axis is None
                             or isinstance(axis, tuple) and len(axis) == 2)
    if vector and ord == 1:
        return keep_reduced(g, x, axis, keepdims) * np.sign(x)
    if vector and ord in (np.inf, -np.inf):
        a = keep_reduced(ans, x, axis, keepdims)
        hit = np.abs(x) == a
        count = np.sum(hit, axis=axis, keepdims=True)
        return keep_reduced(g, x, axis, keepdims) * np.sign(x) * hit / count
    if matrix and np.ndim(x) == 2 and axis is None and (
            ord in ("nuc",) or (not isinstance(ord, str) and ord in (2, -2))):
        # spectral norms: through the singular vectors, u_k v_k^T for the
        # largest (2) or smallest (-2) singular value, U V^T for the nuclear
        # norm (one of the subgradients where singular values tie)
        u, s, vt = np.linalg.svd(x, full_matrices=False)
        w = np.zeros_like(s)
        if ord == "nuc":
            w[:] = 1.0
        else:
            w[0 if ord == 2 else -1] = 1.0
        return np.asarray(g) * ((u * w) @ vt)
    if ord not in (None, 2, "fro") or (ord == 2 and matrix) or (ord == "fro" and vector):
        from .errors import DifferentiationError
        raise DifferentiationError(f"ast_ad differentiates np.linalg.norm for the 2-, 1- and "
                                   "max-norms of vectors and the Frobenius, 2-, -2- and nuclear "
                                   f"norms of one matrix, not ord={ord!r} here; register your "
                                   "own rule with ast_ad.defvjp")
    a = keep_reduced(ans, x, axis, keepdims)
    gk = keep_reduced(g, x, axis, keepdims)
    return gk * x / np.where(a == 0, 1.0, a)


def var_grad(g, x, axis=None, ddof=0, keepdims=False):
    """Adjoint of np.var."""
    n = reduced_count(x, axis)
    gk = keep_reduced(g, x, axis, keepdims)
    return gk * 2.0 * (x - np.mean(x, axis=axis, keepdims=True)) / (n - ddof)


def matmul_grad_a(g, a, b):
    """Adjoint of ``a @ b`` w.r.t. `a`, for every rank combination (summed
    over broadcast batch dimensions)."""
    return unbroadcast(_matmul_grad_a(g, a, b), a)


def matmul_grad_b(g, a, b):
    """Adjoint of ``a @ b`` w.r.t. `b`, for every rank combination."""
    return unbroadcast(_matmul_grad_b(g, a, b), b)


def _matmul_grad_a(g, a, b):
    a, b = np.asarray(a), np.asarray(b)     # (an operand may be a list: np.dot(x, [2, 1]))
    if np.ndim(b) == 1:
        if np.ndim(a) == 1:
            return g * b
        return np.multiply.outer(g, b)
    if np.ndim(a) == 1:
        # a @ b = sum_k a[k] b[..., k, :]: summed over b's batch axes too
        nb = np.ndim(b)
        return np.tensordot(b, g, axes=(list(range(nb - 2)) + [nb - 1],
                                        list(range(np.ndim(g)))))
    return np.matmul(g, np.swapaxes(b, -1, -2))


def _matmul_grad_b(g, a, b):
    a, b = np.asarray(a), np.asarray(b)
    if np.ndim(a) == 1:
        if np.ndim(b) == 1:
            return g * a
        # b[..., k, j] meets a[k] g[..., j]
        return np.moveaxis(np.multiply.outer(a, g), 0, -2)
    if np.ndim(b) == 1:
        # a @ b = sum_k a[..., :, k] b[k]: summed over a's batch axes too
        na = np.ndim(a)
        return np.tensordot(a, g, axes=(list(range(na - 1)), list(range(np.ndim(g)))))
    return np.matmul(np.swapaxes(a, -1, -2), g)


def dot_grad_a(g, a, b):
    """Adjoint of np.dot w.r.t. `a`: np.dot scales for scalars, equals matmul
    up to rank 2, and above that sums the last axis of `a` against the
    second-to-last of `b` (not matmul's batching)."""
    na, nb = np.ndim(a), np.ndim(b)
    if na == 0 or nb == 0:
        return unbroadcast(g * b, a)
    if na <= 2 and nb <= 2:
        return matmul_grad_a(g, a, b)
    k = nb - 2 if nb >= 2 else 0
    rest = [i for i in range(nb) if i != k]
    return np.tensordot(g, b, axes=(list(range(na - 1, np.ndim(g))), rest))


def dot_grad_b(g, a, b):
    na, nb = np.ndim(a), np.ndim(b)
    if na == 0 or nb == 0:
        return unbroadcast(g * a, b)
    if na <= 2 and nb <= 2:
        return matmul_grad_b(g, a, b)
    k = nb - 2 if nb >= 2 else 0
    out = np.tensordot(a, g, axes=(list(range(na - 1)), list(range(na - 1))))
    return np.moveaxis(out, 0, k)


def transpose_grad(g, axes=None):
    """Adjoint of np.transpose."""
    if axes is None:
        return np.transpose(g)
    n = np.ndim(g)
    return np.transpose(g, np.argsort([a % n for a in axes]))     # (axes may be negative)


def reshape_like(g, x):
    return np.reshape(g, np.shape(x))


def clip_mask(x, lo, hi):
    """Where np.clip passes its input through (derivative 1, else 0)."""
    m = np.ones(np.shape(x), dtype=bool)
    if lo is not None:
        m = m & (x >= lo)
    if hi is not None:
        m = m & (x <= hi)
    return m


def scalar(x):
    """The value of a 0-d array as a Python float (used by `float(x)`)."""
    return float(x)


def like(g, x):
    """`g` as the type of `x`: a 0-d array for a 0-d array argument of
    ``float(x)``, a Python float for a Python float (whose adjoint went
    through arrays: ``np.atleast_1d(x)``), `g` itself otherwise."""
    if isinstance(x, np.ndarray):
        return np.asarray(g, dtype=x.dtype if x.dtype.kind in "fc" else float).reshape(x.shape)
    if type(x) is float and isinstance(g, np.ndarray) and g.ndim == 0:
        return float(g)
    return g


def check_scalar_output(y, name):
    """Raise the non-scalar error of `grad` (called only when y is not a
    Python number)."""
    if np.ndim(y) != 0:
        from .errors import NonScalarOutputError
        raise NonScalarOutputError(
            f"grad requires {name!r} to return a scalar, but it returned a value of "
            f"shape {np.shape(y)}; use ast_ad.vjp or ast_ad.jacobian for "
            "non-scalar outputs")


def check_distinct_arguments(name, args, names, mutated):
    """Refuse a call in which an argument the function changes in place
    (positions `mutated`) is, or shares memory with, another argument or
    another element of itself (``f(a, a)``, tied weights ``[W, W]``): in
    Python the update would show through the other, which the generated
    code, made for distinct objects, does not follow."""
    places = []             # (position, path, object) of every mutable leaf

    def collect(k, path, v):
        if isinstance(v, (list, dict)):
            places.append((k, path, v))
        if isinstance(v, (list, tuple)):
            for i, e in enumerate(v):
                collect(k, f"{path}[{i}]", e)
        elif isinstance(v, dict):
            for key, e in v.items():
                collect(k, f"{path}[{key!r}]", e)
        elif isinstance(v, np.ndarray):
            places.append((k, path, v))
    for k, (n, v) in enumerate(zip(names, args)):
        collect(k, n, v)
    # (only objects of one memory -- the same list, or arrays viewing one
    # buffer -- can be the same: grouped so, the check is linear in the
    # number of arrays, not quadratic)
    groups = {}
    for place in places:
        groups.setdefault(id(_memory_root(place[2])), []).append(place)
    for group in groups.values():
        if len(group) > 1:
            _check_group(name, names, mutated, group)


def _memory_root(x):
    """The object whose memory `x` uses: the base array a view was made
    from (following .base), or `x` itself."""
    while isinstance(x, np.ndarray) and isinstance(x.base, np.ndarray):
        x = x.base
    return x


def _check_group(name, names, mutated, places):
    for i, (k, path, a) in enumerate(places):
        if k not in mutated:
            continue
        for j, (k2, path2, b) in enumerate(places):
            if j == i or (k2 in mutated and j < i) or path2.startswith(path + "[") \
                    or path.startswith(path2 + "["):
                continue
            if a is b or (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)
                          and _shares_memory(a, b)):
                from .errors import DifferentiationError
                raise DifferentiationError(
                    f"{name}: {path!r} and {path2!r} are the same object (or share memory), "
                    f"and {name} changes {names[k]!r} in place, which in Python would show "
                    f"through {path2!r} too; ast_ad differentiates it for distinct arguments: "
                    "pass a copy (x.copy())")


def _shares_memory(a, b):
    try:
        return bool(np.shares_memory(a, b, max_work=10_000))
    except Exception:       # (TooHardError: could not tell in that much work)
        return True


# ------------------------------------------------------------------ structure
# The IR builds containers with these; codegen prints them as literals.

def make_tuple(*items):
    return items


def make_list(*items):
    return list(items)


def make_dict(keys, *values):
    return dict(zip(keys, values))


def global_value(name):
    """Marker: codegen prints a read of the user's module global `name`."""
    raise RuntimeError("global_value is printed, never called")


def tape_push(tape, *values):
    """``tape.append(values)``: reverse mode saves a loop iteration's values
    (codegen prints it as the method call)."""
    tape.append(values if len(values) > 1 else values[0])


def is_in(a, b):
    """``a in b`` (codegen prints the operator)."""
    return a in b


def not_in(a, b):
    """``a not in b`` (codegen prints the operator)."""
    return a not in b


def identity(x):
    return x


def as_columns(x, b):
    """`x` as a stack of columns when `b` (a right-hand side of
    ``np.linalg.solve``) is a vector, else `x` itself."""
    return np.expand_dims(x, -1) if np.ndim(b) == 1 else x


def from_columns(x, b):
    """The inverse of `as_columns`."""
    return np.squeeze(x, -1) if np.ndim(b) == 1 else x


def logabsdet(a):
    """``np.linalg.slogdet(a)[1]``: the log of |det(a)| (the lowering splits
    slogdet into this and `slogdet_sign`, which has no derivative)."""
    return np.linalg.slogdet(a)[1]


def slogdet_sign(a):
    """``np.linalg.slogdet(a)[0]``: the sign of det(a)."""
    return np.linalg.slogdet(a)[0]


def eigh_values(a):
    """``np.linalg.eigh(a)[0]``: the eigenvalues, ascending (the lowering
    splits eigh into this and `eigh_vectors`, each with its rules)."""
    return np.linalg.eigh(a)[0]


def eigh_vectors(a):
    """``np.linalg.eigh(a)[1]``: the eigenvectors, one per column."""
    return np.linalg.eigh(a)[1]


def matrix_transpose(x):
    """Each matrix of `x` transposed (the last two axes swapped): the `.T`
    of a matrix that also works on a stack of them."""
    return np.swapaxes(x, -1, -2)


def sum_grad(g, x):
    """Adjoint of the builtin ``sum(x)`` w.r.t. `x` (a list or an array)."""
    if isinstance(x, (list, tuple)):
        return type(x)(unbroadcast(g, v) for v in x)
    return broadcast_to_shape(g, x)


def array_grad(g, x):
    """Adjoint of ``np.array(x)``: `g` split back into the structure of `x`."""
    if isinstance(x, (list, tuple)):
        return type(x)(array_grad(g[i], v) for i, v in enumerate(x))
    if isinstance(x, np.ndarray):
        return np.reshape(g, x.shape)
    return g


def concatenate_grad(g, xs, axis=0):
    """Adjoint of np.concatenate(xs, axis): `g` split back into pieces."""
    if axis is None:
        # (the pieces were flattened first)
        bounds = np.cumsum([np.size(x) for x in xs])[:-1]
        return [np.reshape(p, np.shape(x)) for p, x in zip(np.split(g, bounds), xs)]
    bounds = np.cumsum([np.shape(x)[axis] for x in xs])[:-1]
    return list(np.split(g, bounds, axis=axis))


# Functions that only move, copy or drop the elements of their array
# arguments, or fill zeros: one adjoint serves them all (`selection_adjoint`).
SELECTIONS = {name: getattr(np, name) for name in (
    "flip", "fliplr", "flipud", "roll", "tile", "repeat", "diag", "diagonal", "triu", "tril",
    "moveaxis", "swapaxes", "rollaxis", "atleast_1d", "atleast_2d", "atleast_3d", "take",
    "take_along_axis", "pad", "hstack", "vstack", "dstack", "column_stack", "split",
    "array_split", "hsplit", "vsplit", "dsplit")}


def apply_selection(x, name, args):
    """``np.<name>(x, *args)`` for a function of `SELECTIONS` (the tangent
    of its result, and the transpose of `selection_adjoint`)."""
    return SELECTIONS[name](x, *args)


def selection_adjoint(g, x, name, args):
    """Adjoint of ``np.<name>(x, *args)``, for a function that only moves,
    copies or drops elements (or fills zeros): applied to the 1-based
    positions of x's elements it says where each element of its result came
    from (0: a filled zero), and the adjoint adds `g` back there (copies
    add up).  `x` may be a list or tuple of arrays (``np.hstack``); `g` a
    list of adjoints (``np.split``)."""
    parts = list(x) if isinstance(x, (list, tuple)) else [x]
    shapes = [np.shape(p) for p in parts]
    sizes = [int(np.prod(s)) for s in shapes]
    starts = np.cumsum([1] + sizes)
    positions = [np.arange(a, a + n, dtype=np.int64).reshape(s)
                 for a, n, s in zip(starts, sizes, shapes)]
    src = SELECTIONS[name](positions if isinstance(x, (list, tuple)) else positions[0], *args)
    srcs, gs = (src, g) if isinstance(src, (list, tuple)) else ([src], [g])
    flat_src = np.concatenate([np.ravel(s) for s in srcs])
    flat_g = np.concatenate([np.ravel(np.broadcast_to(gi, np.shape(s)))
                             for gi, s in zip(gs, srcs)])
    keep = flat_src > 0
    total = np.bincount(flat_src[keep] - 1, weights=flat_g[keep], minlength=int(starts[-1]) - 1)
    out = []
    for p, a, n, s in zip(parts, starts, sizes, shapes):
        dtype = p.dtype if isinstance(p, np.ndarray) and p.dtype.kind == "f" else np.float64
        out.append(total[a - 1:a - 1 + n].reshape(s).astype(dtype, copy=False))
    return type(x)(out) if isinstance(x, (list, tuple)) else out[0]


def einsum1(subscripts, a):
    """``np.einsum`` of one operand (the lowering calls einsum through
    these, one per number of operands, so that each has derivative rules)."""
    return np.einsum(subscripts, a)


def einsum2(subscripts, a, b):
    return np.einsum(subscripts, a, b)


def einsum3(subscripts, a, b, c):
    return np.einsum(subscripts, a, b, c)


EINSUMS = {1: einsum1, 2: einsum2, 3: einsum3}


def _einsum_parts(subscripts, n):
    """(input subscripts, output subscript) of an einsum of `n` operands;
    raises for what the rules do not cover."""
    from .errors import NoRuleError
    spec = subscripts.replace(" ", "")
    if "." in spec:
        raise NoRuleError("np.einsum with '...' is not differentiated; write the axes out")
    ins, _, out = spec.partition("->")
    inputs = ins.split(",")
    if len(inputs) != n:
        raise NoRuleError(f"np.einsum({subscripts!r}) needs {len(inputs)} operands, got {n}")
    if "->" not in spec:        # (implicit output: the letters used once, in order)
        letters = "".join(inputs)
        out = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    for term in inputs:
        if len(set(term)) != len(term):
            raise NoRuleError(f"np.einsum({subscripts!r}) takes a diagonal (a letter twice "
                              "in one operand), which is not differentiated; use np.diagonal")
    return inputs, out


def einsum_spec(subscripts, k, n):
    """The subscripts of the einsum that gives operand k's adjoint: the
    result's adjoint and the other operands, to operand k's letters that
    appear anywhere else (see `einsum_missing` for the others)."""
    inputs, out = _einsum_parts(subscripts, n)
    known = set(out).union(*[set(t) for j, t in enumerate(inputs) if j != k])
    kept = "".join(c for c in inputs[k] if c in known)
    return ",".join([out] + [t for j, t in enumerate(inputs) if j != k]) + "->" + kept


def einsum_missing(subscripts, k, n):
    """The axes of operand k summed in it alone: its adjoint is constant
    along them."""
    inputs, out = _einsum_parts(subscripts, n)
    known = set(out).union(*[set(t) for j, t in enumerate(inputs) if j != k])
    return tuple(i for i, c in enumerate(inputs[k]) if c not in known)


def expand_axes(r, x, axes):
    """`r` with the axes `axes` (ascending) put back, broadcast to the shape of x."""
    for ax in axes:
        r = np.expand_dims(r, ax)
    return np.broadcast_to(r, np.shape(x))


def cumsum_grad(g, x, axis=None):
    """Adjoint of ``np.cumsum(x, axis)``: the sums from the end."""
    if axis is None:
        return np.flip(np.cumsum(np.flip(np.ravel(g)))).reshape(np.shape(x))
    return np.flip(np.cumsum(np.flip(g, axis), axis), axis)


def trace_grad(g, x, offset=0):
    """Adjoint of ``np.trace(x, offset)`` (over the first two axes)."""
    shape = np.shape(x)
    eye = np.eye(shape[0], shape[1], offset)
    return np.expand_dims(eye, tuple(range(2, len(shape)))) * np.asarray(g)


def stack_grad(g, xs, axis=0):
    """Adjoint of np.stack(xs, axis): `g` unstacked."""
    return [np.take(g, k, axis=axis) for k in range(len(xs))]


def inplace_alias(old, new):
    """The value another name bound to `old` sees after ``name += ...``:
    arrays and lists are updated in place (so: `new`), numbers and tuples
    are rebound (`old`)."""
    if isinstance(old, np.ndarray):
        if not isinstance(new, np.ndarray):
            # (arithmetic on a 0-d array gives a NumPy scalar; the object
            # updated in place stays a 0-d array of its dtype)
            return np.asarray(new, dtype=old.dtype).reshape(old.shape)
        return new
    return new if isinstance(old, list) else old


def broadcast_against(t, other, left=True):
    """The tangent `t` of one operand of ``+`` broadcast against the other
    operand, `other` (forward-mode twin of `unbroadcast`): `t` itself when no
    broadcasting happens.  For sequences ``+`` concatenates, so `t` is padded
    with the zero tangent of `other` (after it when `t` is the left operand)."""
    if isinstance(t, (list, tuple)) and type(t) is type(other):
        return t + zeros_like(other) if left else zeros_like(other) + t
    shape = np.broadcast_shapes(np.shape(t), np.shape(other))
    if np.shape(t) == shape:
        return t
    return np.broadcast_to(t, shape).copy()


def container_key(a):
    """What specialised code depends on in a container argument: its length
    and element types (and array shapes).  Cheap for a list of floats."""
    if isinstance(a, (list, tuple)):
        types_ = set(map(type, a))
        if types_ <= {float, int}:
            return (len(a), frozenset(types_))
        return tuple((type(v), getattr(v, "shape", None), container_key(v)
                      if isinstance(v, (list, tuple, dict)) else None) for v in a)
    if isinstance(a, dict):
        return tuple((k, type(v), getattr(v, "shape", None), container_key(v)
                      if isinstance(v, (list, tuple, dict)) else None) for k, v in a.items())
    return None


def select_grad(g, ans, xs):
    """Adjoint of ``max(xs)``/``min(xs)`` over a list or an array: to the
    element chosen (the first one, as Python's max does)."""
    if isinstance(xs, np.ndarray):
        out = zeros_like(xs)
        out[np.unravel_index(int(np.flatnonzero(xs == ans)[0]), xs.shape)[0]] = g
        return out
    out = [zeros_like(v) for v in xs]
    for i, v in enumerate(xs):
        if v is ans or v == ans:
            out[i] = g
            break
    return out


def select_tangent(dxs, ans, xs):
    """Tangent of ``max(xs)``/``min(xs)`` over a list: the chosen element's."""
    for v, dv in zip(xs, dxs):
        if v is ans or v == ans:
            return dv
    return 0.0


def dtype_of(x):
    """``x.dtype`` (NumPy scalars and arrays; float for Python numbers)."""
    return getattr(x, "dtype", np.dtype(float))


# ------------------------------------------------------------ powers, products

def raise_exception(exc):
    """``raise exc`` (an exception, or its class), where the user's code raises."""
    raise exc


def unsupported(message, filename, lineno, col_offset, line):
    """A branch holding code outside the subset ast_ad differentiates: the
    located error, raised when (and only if) the branch runs."""
    from .errors import UnsupportedSyntaxError
    raise UnsupportedSyntaxError(message, filename, lineno, col_offset, line)


def refuse(message):
    """Marker for rules: a call that this rule cannot differentiate.  Lowering
    the rule raises NoRuleError with `message` at the user's line (see
    rules.STATIC_CALLS)."""
    raise RuntimeError("refuse is decided when the code is made, never called")


def constant(o):
    """Marker for rules: the value of an operand that is a constant number
    when the code is made, else None (rules.STATIC_CALLS evaluates it then)."""
    raise RuntimeError("constant is decided when the code is made, never called")


def float_power(x, y):
    """np.float_power of float64 operands, for rules/numpy_formulas.py: its
    value computed by NumPy's own loop (libm's pow, which differs from
    np.power's in the last bit for about one element in twenty), its
    derivatives those of power."""
    return np.float_power(x, y)


def pow_scaled(d, x, y):
    """``d * y * x ** (y - 1)``: an adjoint or tangent `d` times the slope of
    ``x ** y`` in `x`, with the slope's limits where the formula has none
    (0 where y == 0, infinite at x == 0 for 0 < y < 1, as NumPy computes
    it, never a ZeroDivisionError for Python floats), and 0 wherever `d` is 0:
    a value that does not change contributes nothing, even where the slope
    is infinite (``acc = 0.0`` before a loop computing ``acc ** 0.5``)."""
    if isinstance(x, (int, float)) and isinstance(y, (int, float)) \
            and isinstance(d, (int, float)):
        if d == 0 or y == 0:
            return 0.0
        if x == 0 and y < 1:
            return math.copysign(math.inf, y * d)
        return d * y * x ** (y - 1)
    xa = np.asarray(x)
    if xa.dtype.kind not in "fc":
        xa = xa.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if np.ndim(y) == 0 and not isinstance(y, np.ndarray):
            if y == 0:
                return np.zeros(np.broadcast_shapes(np.shape(d), xa.shape))
            out = d * y * xa ** (y - 1)
        else:
            out = d * y * xa ** np.where(y == 0, 1, y - 1)
        return np.where(np.asarray(d) == 0, 0.0, out)


def pow_dy(d, x, y):
    """``d * x ** (y - 1) * (1 + y * log(x))``: the derivative of
    `pow_scaled` in `y` (x <= 0 counts as 1 in the log, as in pow's rule)."""
    xs = np.where(np.asarray(x) > 0, x, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.asarray(d) == 0, 0.0, d * np.power(xs, y - 1) * (1.0 + y * np.log(xs)))


def prod_others(x, axis=None):
    """For each element of `x`, the product of the other elements reduced
    with it by ``np.prod(x, axis)``: the derivative of the product, exact
    also where `x` has zeros (``prod / x`` is not)."""
    x = np.asarray(x)
    if x.ndim == 0:
        return np.ones_like(x, dtype=x.dtype if x.dtype.kind in "fc" else float)
    flat, restore = _reduced_last(x, axis)
    ones = np.ones(flat.shape[:-1] + (1,), flat.dtype)
    left = np.cumprod(np.concatenate([ones, flat[..., :-1]], axis=-1), axis=-1)
    right = np.cumprod(np.concatenate([ones, flat[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    return restore(left * right)


def prod_others_jvp(dx, x, axis=None):
    """The tangent of `prod_others(x, axis)` along `dx`: for each element,
    the sum over the other elements j of dx_j times the product of the rest.
    (Its matrix is symmetric, so this is also the adjoint of prod_others.)"""
    x = np.asarray(x)
    if x.ndim == 0:
        return np.zeros_like(x, dtype=x.dtype if x.dtype.kind in "fc" else float)
    flat, restore = _reduced_last(x, axis)
    dflat, _ = _reduced_last(np.broadcast_to(dx, x.shape), axis)
    n = flat.shape[-1]
    # left/right exclusive products and their tangents, one element at a time
    left = np.ones(flat.shape, np.result_type(flat, dflat))
    dleft = np.zeros_like(left)
    for i in range(1, n):
        left[..., i] = left[..., i - 1] * flat[..., i - 1]
        dleft[..., i] = dleft[..., i - 1] * flat[..., i - 1] + left[..., i - 1] * dflat[..., i - 1]
    right = np.ones_like(left)
    dright = np.zeros_like(left)
    for i in range(n - 2, -1, -1):
        right[..., i] = right[..., i + 1] * flat[..., i + 1]
        dright[..., i] = dright[..., i + 1] * flat[..., i + 1] + right[..., i + 1] * dflat[..., i + 1]
    return restore(dleft * right + left * dright)


def _reduced_last(x, axis):
    """`x` with the reduced axes moved last and merged into one, and the
    function that puts an array of that layout back into `x`'s."""
    nd = x.ndim
    axes = range(nd) if axis is None else (axis if isinstance(axis, tuple) else (axis,))
    axes = sorted({a % nd for a in axes})
    rest = [i for i in range(nd) if i not in axes]
    perm = rest + axes
    moved = np.transpose(x, perm)
    kept = moved.shape[:len(rest)]
    flat = moved.reshape(kept + (-1,))

    def restore(a):
        return np.transpose(a.reshape(moved.shape), np.argsort(perm))
    return flat, restore


# ------------------------------------------------- array building and sorting

def sort_grad(g, x, axis=-1):
    """Adjoint of ``np.sort(x, axis)``: `g` put back where each sorted
    element came from."""
    g = np.asarray(g)
    if axis is None:
        out = np.zeros(np.size(x), g.dtype)
        out[np.argsort(np.ravel(x), kind="stable")] = g
        return out.reshape(np.shape(x))
    order = np.argsort(x, axis=axis, kind="stable")
    out = np.zeros(np.shape(x), g.dtype)
    np.put_along_axis(out, order, g, axis=axis)
    return out


def sort_tangent(dx, x, axis=-1):
    """Tangent of ``np.sort(x, axis)``: `dx` in the order of the sorted x."""
    if axis is None:
        return np.ravel(dx)[np.argsort(np.ravel(x), kind="stable")]
    order = np.argsort(x, axis=axis, kind="stable")
    return np.take_along_axis(np.broadcast_to(dx, np.shape(x)), order, axis=axis)


def linspace_weights(g, num, endpoint=True, axis=0):
    """The weight t of `stop` in each element of ``np.linspace(start, stop,
    num)`` (start's is 1 - t), shaped to broadcast against its result `g`."""
    div = (num - 1) if endpoint else num
    t = np.arange(num, dtype=float) / div if div > 0 else np.zeros(num)
    shape = [1] * np.ndim(g)
    shape[axis] = num
    return t.reshape(shape)


def index_trick(trick, items):
    """``np.r_[items]`` / ``np.c_[items]`` (`trick` is np.r_ or np.c_), for
    a tuple of items that are numbers and arrays."""
    return trick[tuple(items)]


def index_trick_grad(g, trick, items):
    """Adjoints of the items of ``trick[items]``: each gets the elements of
    `g` that came from it (found by building the same layout from the items'
    element numbers)."""
    sizes = [int(np.size(v)) for v in items]
    offsets = np.cumsum([0] + sizes)
    ids = [np.arange(o, o + n, dtype=float).reshape(np.shape(v))
           for o, n, v in zip(offsets, sizes, items)]
    where = np.asarray(trick[tuple(ids)]).astype(np.intp)
    g = np.broadcast_to(g, where.shape)
    out = []
    for o, n, v in zip(offsets, sizes, items):
        gv = np.zeros(n, np.result_type(g, float))
        hit = (where >= o) & (where < o + n)
        np.add.at(gv, where[hit] - o, g[hit])
        out.append(gv.reshape(np.shape(v)) if isinstance(v, np.ndarray) else gv[0]
                   if n == 1 and np.ndim(v) == 0 else gv.reshape(np.shape(v)))
    return tuple(out)


def dtype_kind(dtype):
    """Marker for rules: the kind letter of a dtype that is a constant when
    the code is made, else None (rules.STATIC_CALLS)."""
    raise RuntimeError("dtype_kind is decided when the code is made, never called")


def where_float(g, ans):
    """`g` where `ans` is a float (its derivative exists), zeros where it is
    an integer result (e.g. np.full_like of an integer array)."""
    if np.result_type(ans).kind in "fc":
        return g
    return np.zeros(np.shape(g))


def cast_grad(g, x, dtype):
    """Adjoint of ``np.asarray(x, dtype)`` for a dtype known only at run time:
    zero for an integer or boolean dtype (the cast is piecewise constant)."""
    if np.dtype(dtype).kind not in "fc":
        return zeros_like(x)
    return array_grad(g, x)


def diff_grad(g, n=1, axis=-1):
    """Adjoint of ``np.diff(x, n, axis)``: the transposed difference, n times."""
    g = np.moveaxis(np.asarray(g), axis, -1)
    for _ in range(n):
        g = np.concatenate([-g[..., :1], g[..., :-1] - g[..., 1:], g[..., -1:]], axis=-1)
    return np.moveaxis(g, -1, axis)



def sinc_derivative(x, n):
    """The n-th derivative of np.sinc (sin(pi x) / (pi x)) at `x`: by its
    Taylor series near 0, where the quotient's terms cancel, and by
    Leibniz's rule for sin(pi x) * (1 / (pi x)) elsewhere."""
    x = np.asarray(x, dtype=np.result_type(x, float))
    small = np.abs(x) < 0.5
    xs = np.where(small, 1.0, x)
    series = np.zeros_like(x)
    for k in range((n + 1) // 2, (n + 1) // 2 + 24):
        # d^n/dx^n of (-1)^k (pi x)^(2k) / (2k+1)!
        coef = (-1) ** k * math.pi ** (2 * k) / math.factorial(2 * k + 1) \
            * math.factorial(2 * k) / math.factorial(2 * k - n)
        series = series + coef * x ** (2 * k - n)
    leibniz = np.zeros_like(x)
    for k in range(n + 1):
        m = n - k
        dsin = math.pi ** k * np.sin(np.pi * xs + k * math.pi / 2)
        dinv = (-1) ** m * math.factorial(m) / (math.pi * xs ** (m + 1))
        leibniz = leibniz + math.comb(n, k) * dsin * dinv
    return np.where(small, series, leibniz)[()]


def nan_to_num_fill(x, nan, posinf, neginf):
    """What np.nan_to_num puts in place of NaN and infinities (constants:
    their derivative is 0; the finite values are taken from x itself)."""
    return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


def format_string(template, *values):
    """An f-string's text: ``template.format(*values)`` (not differentiated)."""
    return template.format(*values)


def list_grad(g, x):
    """Adjoint of ``list(x)``: the list of the elements' adjoints `g`, in the
    structure of `x` (an array for an array's rows, a tuple for a tuple)."""
    if isinstance(x, np.ndarray):
        dtype = x.dtype if x.dtype.kind in "fc" else float
        return np.reshape(np.asarray([np.asarray(v, dtype=dtype) for v in g], dtype=dtype),
                          x.shape) if len(g) else np.zeros(x.shape, dtype)
    if isinstance(x, tuple):
        return tuple(g)
    return list(g)


def reciprocal_std(ans, x, axis=None, keepdims=False):
    """1 / ans for a standard deviation `ans` of `x`, and 0 where `ans` is
    at the level of rounding (the elements agree to the last few digits):
    there std is flat in the constant direction, and the quotient of
    rounding noise by rounding noise would be a number of order 1 made of
    noise.  (At exactly equal elements std has no derivative; 0 is its
    smallest subgradient, as for abs at 0.)"""
    ans = np.asarray(ans)
    scale = np.max(np.abs(x), axis=axis, keepdims=keepdims)
    flat = ans <= 8.0 * np.finfo(np.result_type(ans, float)).eps * scale
    safe = np.where(flat, 1.0, ans)
    return np.where(flat, 0.0, 1.0 / safe)[()]


def first_order_only(x, ord, axis):
    """Second derivatives of a matrix's spectral norms (ord 2, -2, 'nuc')
    would need the derivatives of its singular vectors, which ast_ad does
    not compute: say so rather than give a wrong number."""
    if np.ndim(x) == 2 and axis is None:
        from .errors import DifferentiationError
        raise DifferentiationError(f"second derivatives of np.linalg.norm(x, {ord!r}) of a "
                                   "matrix are not supported (first derivatives are)")
