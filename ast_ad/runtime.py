"""The few helpers generated code calls, reached through one alias (``_ad``).

Each is an ordinary function with its own derivative rule (rules/helpers.py),
so generated code stays differentiable.  The simplifier removes calls to them
wherever the argument kinds make them unnecessary (e.g. `unbroadcast` between
two Python floats).
"""
from __future__ import annotations

import numpy as np


def unbroadcast(g, x):
    """Sum the adjoint `g` down to the shape of `x` (undo NumPy broadcasting)."""
    if isinstance(g, (list, tuple)) and isinstance(x, (list, tuple)) and len(g) != len(x):
        raise TypeError("list concatenation (xs + ys) is differentiated only where the "
                        "operands are known to be lists when the code is made; this code "
                        "was made without argument types (generic code)")
    shape = np.shape(x)
    gshape = np.shape(g)
    if gshape == shape:
        return g
    if not shape:
        return np.sum(g)
    extra = len(gshape) - len(shape)
    if extra:
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
    """``x[index] = v`` on a copy of `x` (the IR's value semantics)."""
    if isinstance(x, np.ndarray):
        y = x.copy()
    elif isinstance(x, list):
        y = list(x)
    elif isinstance(x, dict):
        y = dict(x)
    else:
        y = np.array(x, dtype=float)
    y[index] = v
    return y


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
    out = list(a) if isinstance(a, list) else np.array(a, dtype=np.result_type(a, g, np.float32))
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


def pop_last(lst):
    """Everything but the last element (adjoint of `append` w.r.t. the list)."""
    return list(lst[:-1])


def maxmin_grad(g, ans, x, axis=None, keepdims=False):
    """Adjoint of max/min: split equally between the elements that attain it."""
    a = keep_reduced(ans, x, axis, keepdims)
    gk = keep_reduced(g, x, axis, keepdims)
    dtype = x.dtype if isinstance(x, np.ndarray) and x.dtype.kind == "f" else float
    mask = np.equal(x, a).astype(dtype)      # (float32 stays float32)
    return gk * mask / np.sum(mask, axis=axis, keepdims=True)


def norm_grad(g, ans, x, ord=None, axis=None, keepdims=False):
    """Adjoint of np.linalg.norm: the 2-norm (Frobenius for matrices), and
    the 1- and max-norms of vectors."""
    vector = np.ndim(x) == 1 or isinstance(axis, int)
    if vector and ord == 1:
        return keep_reduced(g, x, axis, keepdims) * np.sign(x)
    if vector and ord in (np.inf, -np.inf):
        a = keep_reduced(ans, x, axis, keepdims)
        hit = np.abs(x) == a
        count = np.sum(hit, axis=axis, keepdims=True)
        return keep_reduced(g, x, axis, keepdims) * np.sign(x) * hit / count
    if ord not in (None, 2, "fro") or (ord == 2 and np.ndim(x) > 1 and axis is None):
        from .errors import DifferentiationError
        raise DifferentiationError(f"ast_ad differentiates np.linalg.norm only for the 2-norm "
                                   f"of vectors and the Frobenius norm, not ord={ord!r}; "
                                   "register your own rule with ast_ad.defvjp")
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
    if np.ndim(b) == 1:
        if np.ndim(a) == 1:
            return g * b
        return np.multiply.outer(g, b)
    if np.ndim(a) == 1:
        return np.matmul(b, g)
    return np.matmul(g, np.swapaxes(b, -1, -2))


def _matmul_grad_b(g, a, b):
    if np.ndim(a) == 1:
        if np.ndim(b) == 1:
            return g * a
        return np.multiply.outer(a, g)
    if np.ndim(b) == 1:
        return np.matmul(np.swapaxes(a, -1, -2), g)
    return np.matmul(np.swapaxes(a, -1, -2), g)


def dot_grad_a(g, a, b):
    """Adjoint of np.dot w.r.t. `a` (np.dot equals matmul up to rank 2 and
    scales for scalars)."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return unbroadcast(g * b, a)
    return matmul_grad_a(g, a, b)


def dot_grad_b(g, a, b):
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return unbroadcast(g * a, b)
    return matmul_grad_b(g, a, b)


def transpose_grad(g, axes=None):
    """Adjoint of np.transpose."""
    if axes is None:
        return np.transpose(g)
    return np.transpose(g, np.argsort(axes))


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
    ``float(x)``, `g` itself otherwise."""
    if isinstance(x, np.ndarray):
        return np.asarray(g, dtype=x.dtype if x.dtype.kind in "fc" else float).reshape(x.shape)
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


def identity(x):
    return x


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
    bounds = np.cumsum([np.shape(x)[axis] for x in xs])[:-1]
    return list(np.split(g, bounds, axis=axis))


def stack_grad(g, xs, axis=0):
    """Adjoint of np.stack(xs, axis): `g` unstacked."""
    return [np.take(g, k, axis=axis) for k in range(len(xs))]


def inplace_alias(old, new):
    """The value another name bound to `old` sees after ``name += ...``:
    arrays and lists are updated in place (so: `new`), numbers and tuples
    are rebound (`old`)."""
    return new if isinstance(old, (np.ndarray, list)) else old


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
