"""Checks of ast_ad's public API against plain Python and finite differences.

Nothing here looks at ast_ad's internals: only grad, value_and_grad, vjp, jvp,
jacobian, hessian, hvp and the exception classes are used.

A *check* runs one entry point on one program and returns a `Result` whose
`status` is one of

  ok        matches the plain function / finite differences
  refused   raised ast_ad.DifferentiationError (message and location kept)
  wrong     ran without error but the value or derivative is wrong
  internal  raised something that is not a DifferentiationError
  fd        finite differences are not self-consistent here (no verdict)
"""
import copy
import functools
import math
import time
import traceback
from dataclasses import dataclass, field

import numpy as np

import ast_ad


# ---------------------------------------------------------------- pytrees
def is_leaf(x):
    return isinstance(x, (float, int, np.ndarray, np.floating, np.integer)) and not isinstance(x, bool)


def is_diff_leaf(x):
    if isinstance(x, np.ndarray):
        return np.issubdtype(x.dtype, np.floating)
    return isinstance(x, (float, np.floating))


def flatten(t):
    """Differentiable leaves of `t` as one float vector, plus a rebuild function."""
    chunks = []

    def walk(x):
        if isinstance(x, (list, tuple)):
            for e in x:
                walk(e)
        elif isinstance(x, dict):
            for k in x:
                walk(x[k])
        elif is_diff_leaf(x):
            chunks.append(np.ravel(np.asarray(x, dtype=float)))

    walk(t)
    vec = np.concatenate(chunks) if chunks else np.zeros(0)

    def rebuild(v):
        pos = [0]

        def build(x):
            if isinstance(x, list):
                return [build(e) for e in x]
            if isinstance(x, tuple):
                return tuple(build(e) for e in x)
            if isinstance(x, dict):
                return {k: build(x[k]) for k in x}
            if is_diff_leaf(x):
                if isinstance(x, np.ndarray):
                    n = x.size
                    out = np.array(v[pos[0]:pos[0] + n], dtype=x.dtype).reshape(x.shape)
                else:
                    n = 1
                    out = type(x)(v[pos[0]])
                pos[0] += n
                return out
            return x

        return build(t)

    return vec, rebuild


def tree_flat_values(t):
    """Flatten a gradient-like tree to one float vector (no type filtering)."""
    chunks = []

    def walk(x):
        if isinstance(x, (list, tuple)):
            for e in x:
                walk(e)
        elif isinstance(x, dict):
            for k in sorted(x, key=str):
                walk(x[k])
        else:
            chunks.append(np.ravel(np.asarray(x, dtype=float)))

    walk(t)
    return np.concatenate(chunks) if chunks else np.zeros(0)


def dict_order_flat(t):
    """Like tree_flat_values but in the argument's own dict order (as flatten())."""
    chunks = []

    def walk(x):
        if isinstance(x, (list, tuple)):
            for e in x:
                walk(e)
        elif isinstance(x, dict):
            for k in x:
                walk(x[k])
        else:
            chunks.append(np.ravel(np.asarray(x, dtype=float)))

    walk(t)
    return np.concatenate(chunks) if chunks else np.zeros(0)


def flat_like(g, arg):
    """Flatten gradient `g` following the structure (and dict order) of `arg`."""
    if isinstance(arg, dict) and isinstance(g, dict):
        return np.concatenate([flat_like(g[k], arg[k]) for k in arg]) if arg else np.zeros(0)
    if isinstance(arg, (list, tuple)) and isinstance(g, (list, tuple)):
        return np.concatenate([flat_like(x, a) for x, a in zip(g, arg)]) if arg else np.zeros(0)
    return dict_order_flat(g)


def structure_problems(grad, arg, where="grad"):
    """Differences between the structure/shape/dtype of `grad` and of `arg`."""
    probs = []
    if isinstance(arg, dict):
        if not isinstance(grad, dict):
            return [f"{where}: dict expected, got {type(grad).__name__}"]
        if list(grad.keys()) != list(arg.keys()) and set(grad.keys()) != set(arg.keys()):
            return [f"{where}: keys {list(grad)} != {list(arg)}"]
        for k in arg:
            probs += structure_problems(grad[k], arg[k], f"{where}[{k!r}]")
    elif isinstance(arg, (list, tuple)):
        if type(grad) is not type(arg):
            return [f"{where}: {type(arg).__name__} expected, got {type(grad).__name__}"]
        if len(grad) != len(arg):
            return [f"{where}: length {len(grad)} != {len(arg)}"]
        for i, (g, a) in enumerate(zip(grad, arg)):
            probs += structure_problems(g, a, f"{where}[{i}]")
    elif isinstance(arg, np.ndarray):
        if not isinstance(grad, np.ndarray):
            probs.append(f"{where}: ndarray{arg.shape} expected, got {type(grad).__name__}")
        else:
            if grad.shape != arg.shape:
                probs.append(f"{where}: shape {grad.shape} != {arg.shape}")
            if np.issubdtype(arg.dtype, np.floating) and grad.dtype != arg.dtype:
                probs.append(f"{where}: dtype {grad.dtype} != {arg.dtype}")
    elif isinstance(arg, float):
        if not isinstance(grad, (float, np.floating)) or isinstance(grad, np.ndarray):
            probs.append(f"{where}: float expected, got {type(grad).__name__}")
    return probs


def same_tree(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same_tree(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same_tree(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
    return a == b or (a != a and b != b)


def to_f64(x):
    if isinstance(x, list):
        return [to_f64(e) for e in x]
    if isinstance(x, tuple):
        return tuple(to_f64(e) for e in x)
    if isinstance(x, dict):
        return {k: to_f64(v) for k, v in x.items()}
    if isinstance(x, np.ndarray) and x.dtype == np.float32:
        return x.astype(np.float64)
    return x


def random_like(t, rng):
    vec, rebuild = flatten(t)
    return rebuild(rng.normal(size=vec.shape))


def zeros_tangent(x):
    if isinstance(x, list):
        return [zeros_tangent(e) for e in x]
    if isinstance(x, tuple):
        return tuple(zeros_tangent(e) for e in x)
    if isinstance(x, dict):
        return {k: zeros_tangent(v) for k, v in x.items()}
    if isinstance(x, np.ndarray):
        return np.zeros(x.shape)
    return 0.0


# ------------------------------------------------------- finite differences
def wrt_positions(fn, wrt):
    import inspect
    names = list(inspect.signature(fn).parameters)
    ws = wrt if isinstance(wrt, tuple) else (wrt,)
    return [w if isinstance(w, int) else names.index(w) for w in ws]


def fd_setup(fn, args, positions):
    """Flatten the arguments at `positions`; return (x0, call(vec))."""
    parts = [flatten(args[p]) for p in positions]
    sizes = [len(v) for v, _ in parts]
    x0 = np.concatenate([v for v, _ in parts]) if parts else np.zeros(0)

    def call(vec):
        a = list(args)
        off = 0
        for p, (v, rebuild), n in zip(positions, parts, sizes):
            a[p] = rebuild(vec[off:off + n])
            off += n
        a = [copy.deepcopy(x) if i not in positions else x for i, x in enumerate(a)]
        return fn(*a)

    return x0, call, sizes


def fd_jacobian(call, x0, h):
    """Central differences; rows = outputs (flattened), columns = inputs."""
    cols = []
    for i in range(len(x0)):
        step = h * max(1.0, abs(x0[i]))
        xp = x0.copy(); xp[i] += step
        xm = x0.copy(); xm[i] -= step
        cols.append((np.asarray(call(xp), dtype=float).ravel()
                     - np.asarray(call(xm), dtype=float).ravel()) / (2 * step))
    return np.stack(cols, axis=-1)


def fd_two_steps(call, x0, h=1e-4):
    """FD at two step sizes; returns (estimate, noise) where noise is their gap."""
    j1 = fd_jacobian(call, x0, h)
    j2 = fd_jacobian(call, x0, h / 10)
    return j2, np.abs(j1 - j2)


def compare(ad, fd, noise, rtol=1e-5, atol_rel=1e-6):
    """Elementwise |ad - fd| <= atol + rtol |fd| + 10 noise.  Returns (ok, msg)."""
    ad = np.asarray(ad, dtype=float).ravel()
    fd = np.asarray(fd, dtype=float).ravel()
    noise = np.asarray(noise, dtype=float).ravel()
    if ad.shape != fd.shape:
        return False, f"size {ad.size} != {fd.size}"
    scale = max(1.0, float(np.max(np.abs(fd)))) if fd.size else 1.0
    tol = atol_rel * scale + rtol * np.abs(fd) + 10 * noise
    bad = ~(np.abs(ad - fd) <= tol)
    if not bad.any():
        return True, ""
    i = int(np.argmax(np.where(bad, np.abs(ad - fd) - tol, -np.inf)))
    return False, (f"{int(bad.sum())}/{ad.size} entries off; worst [{i}]: "
                   f"ad={ad[i]:.10g} fd={fd[i]:.10g} (max |ad-fd|={np.max(np.abs(ad - fd)):.3g})")


def fd_reliable(fd, noise, limit=1e-4):
    scale = max(1.0, float(np.max(np.abs(fd)))) if np.size(fd) else 1.0
    return float(np.max(noise, initial=0.0)) <= limit * scale


# ------------------------------------------------------------------ results
@dataclass
class Result:
    check: str
    status: str
    detail: str = ""
    exc_type: str = ""
    filename: str = None
    lineno: int = None
    times: dict = field(default_factory=dict)


def classify_exception(check, e):
    if isinstance(e, ast_ad.DifferentiationError):
        msg = str(getattr(e, "message", None) or str(e)).splitlines()[0]
        return Result(check, "refused", msg, type(e).__name__,
                      getattr(e, "filename", None), getattr(e, "lineno", None))
    tb = traceback.extract_tb(e.__traceback__)
    inside = [f"{fr.filename}:{fr.lineno} {fr.name}" for fr in tb if "/ast_ad/" in fr.filename]
    where = inside[-1] if inside else (f"{tb[-1].filename}:{tb[-1].lineno}" if tb else "")
    return Result(check, "internal", f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
                  f" [at {where}]", type(e).__name__)


def guarded(check):
    def deco(fun):
        def run(*a, **k):
            try:
                return fun(*a, **k)
            except Exception as e:  # noqa: BLE001 - classify anything ast_ad raises
                return classify_exception(check, e)
        run.__name__ = fun.__name__
        return run
    return deco


def mutation_problem(before, args):
    for i, (b, a) in enumerate(zip(before, args)):
        if not same_tree(b, a):
            return f"argument {i} was mutated"
    return None


def select(g, positions, wrt):
    """grad(..., wrt=tuple) returns a tuple; wrt=int returns the bare gradient."""
    return g if isinstance(wrt, tuple) else (g,)


# --------------------------------------------------------------- the checks
def primal_value(fn, args, kwargs=None):
    return fn(*copy.deepcopy(args), **copy.deepcopy(kwargs or {}))


def values_equal(v, ref, rtol=1e-10):
    v = np.asarray(v, dtype=float)
    ref = np.asarray(ref, dtype=float)
    if v.shape != ref.shape:
        return False
    return bool(np.allclose(v, ref, rtol=rtol, atol=1e-12 * max(1.0, float(np.max(np.abs(ref), initial=0)))))


class Checker:
    """Runs the checks of one case; FD results are computed once and shared."""

    def __init__(self, case):
        self.case = case
        got = case.setup(np.random.default_rng(case.seed))
        self.fn, self.args = got[0], tuple(got[1])
        self.kwargs = got[2] if len(got) > 2 else {}
        self._pristine = copy.deepcopy(self.args)
        self.positions = wrt_positions(self.fn, case.wrt)
        self._fd = None

    # FD gradient / Jacobian of all wrt arguments, flattened
    def fd(self):
        if self._fd is None:
            saved = self.args
            self.args = copy.deepcopy(self._pristine)
            if self.case.fd64:       # finite differences in float64 for float32 programs
                self.args = tuple(to_f64(a) for a in self.args)
            fn = functools.partial(self.fn, **self.kwargs) if self.kwargs else self.fn
            x0, call, sizes = fd_setup(fn, self.args, self.positions)
            est, noise = fd_two_steps(call, x0, self.case.fd_h)
            self._fd = (x0, call, sizes, est, noise)
            self.args = saved
        return self._fd

    def check_grad_against_fd(self, name, grads, extra=""):
        x0, call, sizes, est, noise = self.fd()
        probs = []
        for g, p in zip(grads, self.positions):
            probs += structure_problems(g, self.args[p], f"grad[arg {p}]")
        if probs:
            return Result(name, "wrong", "structure: " + "; ".join(probs))
        ad = np.concatenate([flat_like(g, self.args[p]) for g, p in zip(grads, self.positions)])
        if not fd_reliable(est, noise):
            return Result(name, "fd", f"FD steps disagree by {np.max(noise):.3g}")
        if self.case.kind == "scalar":
            est = est.ravel()
            noise = noise.ravel()
        ok, msg = compare(ad, est, noise, rtol=self.case.rtol)
        if not ok:
            return Result(name, "wrong", msg + extra)
        return Result(name, "ok", extra)

    # ---- scalar functions
    @guarded("value_and_grad")
    def value_and_grad(self):
        before = copy.deepcopy(self.args)
        ref = primal_value(self.fn, self.args, self.kwargs)
        t0 = time.perf_counter()
        vg = ast_ad.value_and_grad(self.fn, wrt=self.case.wrt)
        v, g = vg(*self.args, **self.kwargs)
        first = time.perf_counter() - t0
        m = mutation_problem(before, self.args)
        if m:
            return Result("value_and_grad", "wrong", m)
        if not values_equal(v, ref):
            return Result("value_and_grad", "wrong", f"value {v!r} != primal {ref!r}")
        times = {"first": first}
        times.update(self.later_calls(vg))
        r = self.check_grad_against_fd("value_and_grad", select(g, self.positions, self.case.wrt))
        r.times = times
        return r

    def later_calls(self, callable_, reps=None):
        reps = reps or self.case.reps
        args = self.args
        t_ad, t_p = [], []
        copies = [copy.deepcopy(args) for _ in range(reps)]   # the primal may mutate its arguments
        for k in range(reps):
            t0 = time.perf_counter(); callable_(*args, **self.kwargs); t_ad.append(time.perf_counter() - t0)
            t0 = time.perf_counter(); self.fn(*copies[k], **self.kwargs); t_p.append(time.perf_counter() - t0)
        return {"later": float(np.median(t_ad)), "primal": float(np.median(t_p))}

    @guarded("grad")
    def grad(self):
        before = copy.deepcopy(self.args)
        gfun = ast_ad.grad(self.fn, wrt=self.case.wrt)
        g = gfun(*self.args, **self.kwargs)
        g2 = gfun(*self.args, **self.kwargs)   # cached second call must agree
        m = mutation_problem(before, self.args)
        if m:
            return Result("grad", "wrong", m)
        a = np.concatenate([dict_order_flat(x) for x in select(g, self.positions, self.case.wrt)])
        b = np.concatenate([dict_order_flat(x) for x in select(g2, self.positions, self.case.wrt)])
        if a.shape != b.shape:
            return Result("grad", "wrong", "second (cached) call has another structure")
        if not np.allclose(a, b, rtol=1e-12, atol=0, equal_nan=True):
            return Result("grad", "wrong", "second (cached) call differs from the first")
        return self.check_grad_against_fd("grad", select(g, self.positions, self.case.wrt))

    @guarded("vjp")
    def vjp(self):
        if self.kwargs:
            return Result("vjp", "n/a", "vjp takes positional primals only")
        before = copy.deepcopy(self.args)
        ref = primal_value(self.fn, self.args, self.kwargs)
        out, vjp_fn = ast_ad.vjp(self.fn, *self.args)
        if not values_equal(out, ref):
            return Result("vjp", "wrong", f"out {out!r} != primal {ref!r}")
        if self.case.kind == "scalar":
            ct = np.ones(np.shape(out)) if np.ndim(out) else 1.0
            cts = vjp_fn(ct)
            m = mutation_problem(before, self.args)
            if m:
                return Result("vjp", "wrong", m)
            if not isinstance(cts, tuple) or len(cts) != len(self.args):
                return Result("vjp", "wrong", f"vjp_fn returned {type(cts).__name__} "
                              f"of length {len(cts) if hasattr(cts, '__len__') else '?'}, "
                              f"{len(self.args)} primals")
            return self.check_grad_against_fd("vjp", [cts[p] for p in self.positions])
        # vector function: random cotangent u, compare with J^T u
        rng = np.random.default_rng(7)
        u = rng.normal(size=np.shape(ref))
        cts = vjp_fn(u)
        m = mutation_problem(before, self.args)
        if m:
            return Result("vjp", "wrong", m)
        x0, call, sizes, J, noise = self.fd()
        if not fd_reliable(J, noise):
            return Result("vjp", "fd", "FD unreliable")
        exp = np.ravel(u) @ J
        en = np.abs(np.ravel(u)) @ noise
        ad = np.concatenate([flat_like(cts[p], self.args[p]) for p in self.positions])
        ok, msg = compare(ad, exp, en, rtol=self.case.rtol)
        return Result("vjp", "ok" if ok else "wrong", msg)

    @guarded("jvp")
    def jvp(self):
        if self.kwargs:
            return Result("jvp", "n/a", "jvp takes positional primals only")
        before = copy.deepcopy(self.args)
        ref = primal_value(self.fn, self.args, self.kwargs)
        rng = np.random.default_rng(11)
        tangents = [zeros_tangent(a) for a in self.args]
        for p in self.positions:
            tangents[p] = random_like(self.args[p], rng)
        out, tout = ast_ad.jvp(self.fn, tuple(self.args), tuple(tangents))
        m = mutation_problem(before, self.args)
        if m:
            return Result("jvp", "wrong", m)
        if not values_equal(out, ref):
            return Result("jvp", "wrong", f"out {out!r} != primal {ref!r}")
        x0, call, sizes, J, noise = self.fd()
        if not fd_reliable(J, noise):
            return Result("jvp", "fd", "FD unreliable")
        v = np.concatenate([flatten(tangents[p])[0] for p in self.positions])
        J2 = J.reshape(-1, len(x0))
        exp = J2 @ v
        en = noise.reshape(-1, len(x0)) @ np.abs(v)
        if np.shape(tout) != np.shape(ref):
            return Result("jvp", "wrong", f"tangent shape {np.shape(tout)} != output shape {np.shape(ref)}")
        ok, msg = compare(tout, exp, en, rtol=self.case.rtol)
        return Result("jvp", "ok" if ok else "wrong", msg)

    def _jacobian(self, mode):
        before = copy.deepcopy(self.args)
        ref = np.asarray(primal_value(self.fn, self.args, self.kwargs))
        jfun = ast_ad.jacobian(self.fn, wrt=self.case.wrt, mode=mode)
        J_ad = jfun(*self.args)
        m = mutation_problem(before, self.args)
        if m:
            return Result(f"jacobian_{mode}", "wrong", m)
        x0, call, sizes, J, noise = self.fd()
        if not fd_reliable(J, noise):
            return Result(f"jacobian_{mode}", "fd", "FD unreliable")
        J_ad = J_ad if isinstance(self.case.wrt, tuple) else (J_ad,)
        parts = []
        probs = []
        for ja, p in zip(J_ad, self.positions):
            arg = self.args[p]
            exp_shape = ref.shape + np.shape(arg)
            if np.shape(ja) != exp_shape:
                probs.append(f"jacobian shape {np.shape(ja)} != {exp_shape}")
            parts.append(np.asarray(ja, dtype=float).reshape(ref.size, -1))
        if probs:
            return Result(f"jacobian_{mode}", "wrong", "; ".join(probs))
        ok, msg = compare(np.concatenate(parts, axis=1), J.reshape(ref.size, -1),
                          noise.reshape(ref.size, -1), rtol=self.case.rtol)
        return Result(f"jacobian_{mode}", "ok" if ok else "wrong", msg)

    @guarded("jacobian_rev")
    def jacobian_rev(self):
        return self._jacobian("rev")

    @guarded("jacobian_fwd")
    def jacobian_fwd(self):
        return self._jacobian("fwd")

    # ---- second order (single wrt argument, a float or 1-D array)
    def hess_wrt(self):
        return self.positions[0]

    def fd_hessian(self):
        p = self.positions[0]
        x0, rebuild = flatten(self.args[p])
        if self.case.analytic_grad is not None:
            def call(vec):
                a = list(self.args); a[p] = rebuild(vec)
                return dict_order_flat(self.case.analytic_grad(*a))
            H, noise = fd_two_steps(call, x0, 1e-4)
            return x0, rebuild, H, noise
        def f(vec):
            a = list(copy.deepcopy(self.args)); a[p] = rebuild(vec)
            return float(np.squeeze(self.fn(*a, **self.kwargs)))
        def hess(h):
            n = len(x0)
            H = np.zeros((n, n))
            for i in range(n):
                for j in range(n):
                    hi = h * max(1.0, abs(x0[i])); hj = h * max(1.0, abs(x0[j]))
                    def fv(si, sj):
                        v = x0.copy(); v[i] += si * hi; v[j] += sj * hj
                        return f(v)
                    H[i, j] = (fv(1, 1) - fv(1, -1) - fv(-1, 1) + fv(-1, -1)) / (4 * hi * hj)
            return H
        H1, H2 = hess(1e-3), hess(1e-4)
        return x0, rebuild, H1, np.abs(H1 - H2)

    @guarded("hessian")
    def hessian(self):
        before = copy.deepcopy(self.args)
        H_ad = ast_ad.hessian(self.fn, wrt=self.hess_wrt())(*self.args)
        m = mutation_problem(before, self.args)
        if m:
            return Result("hessian", "wrong", m)
        x0, rebuild, H, noise = self.fd_hessian()
        if not fd_reliable(H, noise, 1e-3):
            return Result("hessian", "fd", f"FD Hessian steps disagree by {np.max(noise):.3g}")
        n = len(x0)
        exp_shape = np.shape(self.args[self.positions[0]]) * 2
        if np.shape(H_ad) != exp_shape:
            return Result("hessian", "wrong", f"shape {np.shape(H_ad)} != {exp_shape}")
        ok, msg = compare(np.reshape(H_ad, (n, n)), H, noise, rtol=1e-4, atol_rel=1e-5)
        return Result("hessian", "ok" if ok else "wrong", msg)

    @guarded("hvp")
    def hvp(self):
        before = copy.deepcopy(self.args)
        p = self.positions[0]
        rng = np.random.default_rng(5)
        v = random_like(self.args[p], rng)
        Hv = ast_ad.hvp(self.fn, wrt=self.hess_wrt())(*self.args, v)
        m = mutation_problem(before, self.args)
        if m:
            return Result("hvp", "wrong", m)
        x0, rebuild, H, noise = self.fd_hessian()
        if not fd_reliable(H, noise, 1e-3):
            return Result("hvp", "fd", "FD Hessian unreliable")
        vv = flatten(v)[0]
        if np.shape(Hv) != np.shape(self.args[p]):
            return Result("hvp", "wrong", f"shape {np.shape(Hv)} != {np.shape(self.args[p])}")
        ok, msg = compare(np.ravel(Hv), H @ vv, noise @ np.abs(vv), rtol=1e-4, atol_rel=1e-5)
        return Result("hvp", "ok" if ok else "wrong", msg)

    def omitted_defaults(self):
        """Values of the positional parameters with defaults that the call leaves out."""
        import inspect
        try:
            params = list(inspect.signature(self.fn).parameters.values())
        except (TypeError, ValueError):
            return []
        rest = params[len(self.args):]
        return [p.default for p in rest
                if p.kind == p.POSITIONAL_OR_KEYWORD and p.default is not p.empty]

    @guarded("vjp_explicit_defaults")
    def vjp_explicit_defaults(self):
        """vjp with the omitted default arguments passed as extra primals."""
        saved = self.args
        self.args = tuple(saved) + tuple(self.omitted_defaults())
        try:
            r = self.vjp()
        finally:
            self.args = saved
        r.check = "vjp_explicit_defaults"
        return r

    def checks(self):
        if self.case.kind == "scalar":
            names = ["value_and_grad", "grad", "vjp", "jvp"]
        else:
            names = ["jacobian_rev", "jacobian_fwd", "vjp", "jvp"]
        if self.omitted_defaults() and not self.kwargs:
            names.append("vjp_explicit_defaults")
        if self.case.second_order:
            names += ["hessian", "hvp"]
        return names

    def run(self, name):
        # every check starts from unmutated inputs, whatever an earlier one did
        self.args = copy.deepcopy(self._pristine)
        return getattr(self, name)()


@dataclass
class Case:
    name: str
    exercises: str
    setup: object            # rng -> (fn, args)
    wrt: object = 0
    kind: str = "scalar"     # or "vector"
    second_order: bool = False
    analytic_grad: object = None
    fd_h: float = 1e-4
    rtol: float = 1e-5
    seed: int = 0
    reps: int = 5
    fd64: bool = False       # compute finite differences on float64 copies
