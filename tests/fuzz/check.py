"""Runner and oracle: one program through every public entry point of ast_ad.

The reference is always the plain Python function: its value (on deep copies
of the arguments) and central finite differences of it.  Nothing ast_ad
computes is used as a reference, except in the cross-entry consistency check,
which only reports AD results that disagree with each other where finite
differences could not decide.

Entry specs are strings so that they can be stored in regression files:

=====================  ==================================================
``grad:int:x``         ``grad(f, wrt=<index of x>)``
``grad:name:x``        ``grad(f, wrt="x")``
``grad:tuple:x,y``     ``grad(f, wrt=(<index of x>, <index of y>))``
``grad:tuple1:x``      ``grad(f, wrt=(<index of x>,))``
``vg:tuple:x,y``       ``value_and_grad`` (also ``vg:int:x``)
``regrad:x``           ``grad(f, wrt=<index>)`` called at a second point
``vjp``                ``vjp(f, *args)``; the vjp function called twice
``jvp``                ``jvp(f, args, tangents)``
``jac:rev:x``          ``jacobian(f, wrt=<index>, mode="rev")`` (also fwd)
``hess:x``             ``hessian(f, wrt=<index>)``
``hvp:x``              ``hvp(f, wrt=<index>)(*args, v)``
``gradgrad:s``         ``grad(grad(f, wrt=i), wrt=i)`` for a float argument s
``nonscalar:x``        ``grad`` of a vector-valued f must raise a
                       ``DifferentiationError``
=====================  ==================================================
"""
import copy
import importlib.util
import itertools
import os
import random
import signal
import sys
import tempfile
import time
import traceback
import warnings

import numpy as np

EPS = float(np.finfo(np.float64).eps)

# first order: primary estimate (Richardson of central differences at h, h/2)
H1 = 1e-4
RTOL = 1e-5
ATOL = 1e-6
LADDER1 = [1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 3e-6, 1e-6, 3e-7]
# second order
H2 = 2e-3
RTOL2 = 1e-4
ATOL2 = 1e-5
LADDER2 = [3e-2, 1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5]
VALUE_RTOL = 1e-12
NOISE = 50.0

# outcome classes, worst first
CLASSES = ["internal_error", "generated_code_crash", "wrong_value", "wrong_grad", "wrong_hessian",
           "bad_shape_or_dtype", "mutated_input", "missing_error", "refused_own_code", "grad_aliases_input",
           "nonfinite_grad", "inconsistent", "timeout", "inconclusive", "refused", "ok",
           "primal_invalid"]
FAILURES = CLASSES[:10]
SOFT = ["nonfinite_grad", "inconsistent", "timeout", "inconclusive"]
BUG_WORDS = ("internal error", "this is a bug", "please report", "bug in ast_ad")

_AST_AD_DIR = None


def ast_ad_dir():
    global _AST_AD_DIR
    if _AST_AD_DIR is None:
        import ast_ad
        _AST_AD_DIR = os.path.dirname(os.path.abspath(ast_ad.__file__))
    return _AST_AD_DIR


class FuzzTimeout(BaseException):
    """Raised by the alarm; a BaseException so ast_ad's handlers let it through."""


# ---------------------------------------------------------------------------
# pytrees of arguments
# ---------------------------------------------------------------------------

def is_float_leaf(x):
    if isinstance(x, bool):
        return False
    if isinstance(x, (float, np.floating)):
        return True
    return isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.floating)


def leaves(x, path=()):
    """[(path, leaf)] of the float leaves of x, in a fixed order."""
    if is_float_leaf(x):
        return [(path, x)]
    if isinstance(x, (list, tuple)):
        return [l for i, v in enumerate(x) for l in leaves(v, path + (i,))]
    if isinstance(x, dict):
        return [l for k in x for l in leaves(x[k], path + (k,))]
    return []


def set_leaf(x, path, value):
    """Return x with the leaf at path replaced (containers are rebuilt)."""
    if not path:
        return value
    k = path[0]
    if isinstance(x, list):
        y = list(x)
        y[k] = set_leaf(x[k], path[1:], value)
        return y
    if isinstance(x, tuple):
        y = list(x)
        y[k] = set_leaf(x[k], path[1:], value)
        return tuple(y)
    if isinstance(x, dict):
        y = dict(x)
        y[k] = set_leaf(x[k], path[1:], value)
        return y
    raise TypeError(path)


def get_leaf(x, path):
    for k in path:
        x = x[k]
    return x


def same_tree(a, b):
    """Exact equality: structure, types, dtypes, shapes and bits."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and \
            np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same_tree(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same_tree(a[k], b[k]) for k in a)
    if isinstance(a, (float, np.floating)):
        return a == b or (a != a and b != b)
    return a == b


def check_like(g, arg, where):
    """Error text if gradient g does not have the structure/shape/dtype of arg."""
    if isinstance(arg, bool) or isinstance(arg, (int, np.integer)):
        return None
    if isinstance(arg, (float, np.floating)) and not isinstance(arg, np.ndarray):
        if isinstance(g, (float, np.floating)):
            return None
        if isinstance(g, np.ndarray) and g.shape == () and g.dtype.kind == "f":
            return None
        return f"{where}: float argument, gradient is {type(g).__name__} {getattr(g, 'shape', '')}"
    if isinstance(arg, np.ndarray):
        if isinstance(g, np.ndarray) or (arg.shape == () and isinstance(g, np.floating)):
            if g.shape != arg.shape or g.dtype != arg.dtype:
                return f"{where}: argument {arg.dtype}{arg.shape}, gradient {g.dtype}{g.shape}"
            return None
        return f"{where}: array argument {arg.dtype}{arg.shape}, gradient is {type(g).__name__}"
    if isinstance(arg, (list, tuple)):
        if type(g) is not type(arg) or len(g) != len(arg):
            return f"{where}: {type(arg).__name__} of {len(arg)} argument, gradient is " \
                   f"{type(g).__name__} {len(g) if hasattr(g, '__len__') else ''}"
        for i, (gi, ai) in enumerate(zip(g, arg)):
            e = check_like(gi, ai, f"{where}[{i}]")
            if e:
                return e
        return None
    if isinstance(arg, dict):
        if not isinstance(g, dict) or list(g) != list(arg):
            return f"{where}: dict argument with keys {list(arg)}, gradient is {type(g).__name__} " \
                   f"{list(g) if isinstance(g, dict) else ''}"
        for k in arg:
            e = check_like(g[k], arg[k], f"{where}[{k!r}]")
            if e:
                return e
        return None
    return None


def flat_like(g, arg):
    """Gradient g (structured like arg) as a flat vector in leaves(arg) order."""
    out = []
    for path, _ in leaves(arg):
        out.append(np.asarray(get_leaf(g, path), dtype=np.float64).ravel())
    return np.concatenate(out) if out else np.zeros(0)


def shares_memory(g, arg):
    for path, leaf in leaves(arg):
        if isinstance(leaf, np.ndarray) and leaf.size:
            try:
                gl = get_leaf(g, path)
            except Exception:
                continue
            if isinstance(gl, np.ndarray) and np.shares_memory(gl, leaf):
                return True
    return False


def random_like(x, rng):
    """A random tangent/cotangent with the structure of x (ints get 0)."""
    if isinstance(x, bool) or isinstance(x, (int, np.integer)):
        return 0
    if isinstance(x, np.ndarray):
        return np.array(rng.uniform(-1, 1, size=x.shape), dtype=x.dtype)
    if isinstance(x, np.floating):
        return type(x)(rng.uniform(-1, 1))
    if isinstance(x, float):
        return float(rng.uniform(-1, 1))
    if isinstance(x, list):
        return [random_like(v, rng) for v in x]
    if isinstance(x, tuple):
        return tuple(random_like(v, rng) for v in x)
    if isinstance(x, dict):
        return {k: random_like(v, rng) for k, v in x.items()}
    return None


def flat_out(y):
    return np.asarray(y, dtype=np.float64).ravel()


# ---------------------------------------------------------------------------
# loading a program
# ---------------------------------------------------------------------------

_TMP = None
_COUNT = itertools.count()


def tmpdir():
    global _TMP
    if _TMP is None:
        _TMP = tempfile.mkdtemp(prefix="ast_ad_fuzz_")
    return _TMP


class Loaded:
    def __init__(self, source):
        name = f"fuzzprog_{os.getpid()}_{next(_COUNT)}"
        self.path = os.path.join(tmpdir(), name + ".py")
        with open(self.path, "w") as fh:
            fh.write(source)
        spec = importlib.util.spec_from_file_location(name, self.path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        self.name = name
        try:
            spec.loader.exec_module(mod)
        except BaseException:
            self.close()
            raise
        self.mod = mod

    def close(self):
        sys.modules.pop(self.name, None)
        try:
            os.remove(self.path)
        except OSError:
            pass


def eval_args(srcs):
    return [eval(s, {"np": np, "math": __import__("math")}) for s in srcs]


def perturb_args(args, rng, rel=1e-3):
    rng = np.random.RandomState(rng.randrange(2 ** 31))
    out = copy.deepcopy(args)
    for i, a in enumerate(out):
        for path, leaf in leaves(a):
            if isinstance(leaf, np.ndarray):
                new = leaf + rel * rng.uniform(-1, 1, leaf.shape) * np.maximum(1, np.abs(leaf))
                new = new.astype(leaf.dtype)
            else:
                new = type(leaf)(leaf + rel * rng.uniform(-1, 1) * max(1.0, abs(leaf)))
            out[i] = set_leaf(out[i], path, new)
    return out


# ---------------------------------------------------------------------------
# finite-difference oracle
# ---------------------------------------------------------------------------

class Oracle:
    """Flattens the float leaves of all arguments into one vector theta."""

    def __init__(self, f, args):
        self.f = f
        self.base = args
        self.segs = []       # (param index, path, leaf, start, size)
        vals = []
        start = 0
        for i, a in enumerate(args):
            for path, leaf in leaves(a):
                n = int(np.size(leaf))
                self.segs.append((i, path, leaf, start, n))
                vals.append(np.asarray(leaf, dtype=np.float64).ravel())
                start += n
        self.n = start
        self.theta0 = np.concatenate(vals) if vals else np.zeros(0)
        self.y0 = self.F(self.theta0)
        self.m = self.y0.size
        self.fscale = max(1.0, float(np.max(np.abs(self.y0)))) if self.m else 1.0
        self.scale = np.maximum(1.0, np.abs(self.theta0))
        self._Jcols = {}
        self._H = {}
        self.nevals = 0

    def cols(self, pidx):
        idx = []
        for i, path, leaf, st, n in self.segs:
            if i == pidx:
                idx.extend(range(st, st + n))
        return np.array(idx, dtype=int)

    def build(self, theta):
        args = copy.deepcopy(self.base)
        for i, path, leaf, st, n in self.segs:
            v = theta[st:st + n]
            if isinstance(leaf, np.ndarray):
                new = np.array(v.reshape(leaf.shape), dtype=leaf.dtype)
            elif isinstance(leaf, np.floating):
                new = type(leaf)(v[0])
            else:
                new = float(v[0])
            args[i] = set_leaf(args[i], path, new)
        return args

    def F(self, theta):
        self.nevals = getattr(self, "nevals", 0) + 1
        try:
            y = self.f(*self.build(theta))
            return flat_out(y)
        except Exception:
            return np.full(getattr(self, "m", 1), np.nan)

    def jac_col(self, j):
        """Column j of the Jacobian: Richardson extrapolation of central differences."""
        if j not in self._Jcols:
            h = H1 * self.scale[j]
            e = np.zeros(self.n)
            e[j] = 1.0
            d1 = (self.F(self.theta0 + h * e) - self.F(self.theta0 - h * e)) / (2 * h)
            d2 = (self.F(self.theta0 + h / 2 * e) - self.F(self.theta0 - h / 2 * e)) / h
            self._Jcols[j] = (4 * d2 - d1) / 3
        return self._Jcols[j]

    def jac_cols(self, cols):
        """m x len(cols)."""
        if len(cols) == 0:
            return np.zeros((self.m, 0))
        return np.stack([self.jac_col(int(j)) for j in cols], axis=1)

    def jac(self):
        return self.jac_cols(np.arange(self.n))

    def tol1(self, ad, fd):
        return ATOL + 1e-9 * self.fscale + RTOL * max(abs(ad), abs(fd))

    def recheck1(self, ad, d, w):
        """Is ad the derivative of w.F along d?  'ok' | 'wrong' | 'inconclusive' | 'nonfinite'."""
        def G(th):
            return float(np.dot(w, self.F(th)))
        gscale = max(1.0, float(np.sum(np.abs(w) * np.abs(self.y0))))
        ests = []
        for h in LADDER1:
            e = (G(self.theta0 + h * d) - G(self.theta0 - h * d)) / (2 * h)
            noise = NOISE * EPS * gscale / h
            ests.append((h, e, noise))
            if np.isfinite(ad) and np.isfinite(e) and abs(ad - e) <= ATOL + RTOL * max(abs(ad), abs(e)) + noise:
                return "ok", e
        g0 = G(self.theta0)
        for (h1, e1, n1), (h2, e2, n2) in zip(ests, ests[1:]):
            if not (np.isfinite(e1) and np.isfinite(e2)):
                continue
            t = ATOL + RTOL * max(abs(e1), abs(e2)) + n2
            if abs(e1 - e2) <= t:
                # a kink (tie of max/min/abs, a branch boundary) closer than h2 makes the
                # central differences agree on the average of the one-sided slopes
                fwd = (G(self.theta0 + h2 * d) - g0) / h2
                bwd = (g0 - G(self.theta0 - h2 * d)) / h2
                if not abs(fwd - bwd) <= 10 * (t + n2):
                    continue
                if not np.isfinite(ad) or _blown_up(ad, e2, gscale):
                    return "nonfinite", e2
                if abs(ad - e2) > 10 * t:
                    return "wrong", e2
        return "inconclusive", ests[len(ests) // 2][1]

    def hess(self, pidx):
        """Hessian of the scalar output with respect to parameter pidx (its leaves)."""
        if pidx not in self._H:
            cols = self.cols(pidx)
            k = len(cols)
            Hm = np.zeros((k, k))
            for a in range(k):
                for b in range(a, k):
                    ea = np.zeros(self.n)
                    eb = np.zeros(self.n)
                    ea[cols[a]] = self.scale[cols[a]]
                    eb[cols[b]] = self.scale[cols[b]]
                    g1 = self.mixed(ea, eb, H2)
                    g2 = self.mixed(ea, eb, H2 / 2)
                    v = (4 * g2 - g1) / 3 / (self.scale[cols[a]] * self.scale[cols[b]])
                    Hm[a, b] = Hm[b, a] = v
            self._H[pidx] = Hm
        return self._H[pidx]

    def mixed(self, a, b, h):
        F = lambda th: float(self.F(th)[0])   # noqa: E731
        t = self.theta0
        return (F(t + h * a + h * b) - F(t + h * a - h * b) - F(t - h * a + h * b)
                + F(t - h * a - h * b)) / (4 * h * h)

    def tol2(self, ad, fd):
        return ATOL2 + 1e-7 * self.fscale + RTOL2 * max(abs(ad), abs(fd))

    def recheck2(self, ad, a, b):
        """Is ad the mixed second derivative along a, b?"""
        ests = []
        for h in LADDER2:
            e = self.mixed(a, b, h)
            noise = NOISE * EPS * self.fscale / (h * h)
            ests.append((h, e, noise))
            if np.isfinite(ad) and np.isfinite(e) and abs(ad - e) <= ATOL2 + RTOL2 * max(abs(ad), abs(e)) + noise:
                return "ok", e
        for (h1, e1, n1), (h2, e2, n2) in zip(ests, ests[1:]):
            if not (np.isfinite(e1) and np.isfinite(e2)):
                continue
            t = ATOL2 + RTOL2 * max(abs(e1), abs(e2)) + n2
            if abs(e1 - e2) <= t:
                if not np.isfinite(ad) or _blown_up(ad, e2, self.fscale):
                    return "nonfinite", e2
                if abs(ad - e2) > 10 * t:
                    return "wrong", e2
        return "inconclusive", ests[len(ests) // 2][1]


def _blown_up(ad, fd, scale):
    """A finite derivative 1e8 times larger than both the finite difference
    and the function's scale: the 0/0 of a singular point (the std of equal
    values, sqrt at 0) evaluated in rounding noise -- the finite twin of a
    NaN there, counted with nonfinite_grad rather than as a wrong number."""
    return abs(ad) > 1e8 * max(1.0, abs(fd), abs(scale))


# ---------------------------------------------------------------------------
# one program
# ---------------------------------------------------------------------------

class Result:
    def __init__(self, case):
        self.case = case
        self.issues = []      # (class, entry, message)
        self.refusals = []    # (entry, message)
        self.cls = "ok"
        self.times = {}
        self.ad_results = {}  # entry -> {param: flat first-order gradient} for consistency
        self.numbers = {}     # (class, entry) -> the first wrong AD number

    def add(self, cls, entry, msg, ad=None):
        self.issues.append((cls, entry, msg))
        if ad is not None:
            self.numbers.setdefault((cls, entry), float(ad))

    def finish(self):
        classes = [c for c, _, _ in self.issues]
        if self.refusals:
            classes.append("refused")
        for c in CLASSES:
            if c in classes:
                self.cls = c
                break
        else:
            self.cls = "ok"
        return self

    def keys(self):
        """(class, entry, detail) triples identifying the failures, for the shrinker."""
        out = set()
        for c, e, m in self.issues:
            detail = m.split(":", 1)[0] if c in ("internal_error", "generated_code_crash") else ""
            out.add((c, e, detail))
        return out

    def summary(self):
        lines = [f"class={self.cls}"]
        for c, e, m in self.issues:
            lines.append(f"  {c} [{e}] {m}")
        for e, m in self.refusals:
            lines.append(f"  refused [{e}] {m.splitlines()[0] if m else ''}")
        return "\n".join(lines)


def classify_exception(exc, mod_path):
    """internal_error / generated_code_crash / refused, and a message."""
    import ast_ad
    msg = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, ast_ad.DifferentiationError):
        if any(w in str(exc).lower() for w in BUG_WORDS):
            return "internal_error", msg
        if "jit=True: Numba cannot compile" in str(exc):
            return "refused", msg       # (a located refusal of the compiled path)
        if "<ast_ad " in str(exc) or "ast_ad.rules." in str(exc):
            # a refusal about ast_ad's own generated code or internal helpers
            return "refused_own_code", msg
        return "refused", msg
    tb = traceback.extract_tb(exc.__traceback__)
    last = tb[-1].filename if tb else ""
    if os.path.dirname(os.path.abspath(last)) == os.path.dirname(os.path.abspath(__file__)):
        raise exc          # a bug of the fuzzer itself
    adir = ast_ad_dir()
    frames = [fr for fr in tb if not fr.filename.startswith(adir) and fr.filename != __file__]
    if last.startswith(adir) or not frames:
        where = f"{os.path.relpath(tb[-1].filename, os.path.dirname(adir))}:{tb[-1].lineno}" if tb else "?"
        return "internal_error", f"{msg} (at {where})"
    fr = frames[-1]
    return "generated_code_crash", f"{msg} (at {os.path.basename(fr.filename)}:{fr.lineno}: {fr.line})"


def default_entries(case, args, rng, kind):
    params = case.params
    diff = [p for p, a in zip(params, args) if leaves(a)]
    simple = [p for p, a in zip(params, args) if is_float_leaf(a)]
    if not diff:
        return []
    pick = lambda xs: rng.choice(xs)   # noqa: E731
    if kind == "vector":
        ents = ["vjp", "jvp", f"nonscalar:{pick(diff)}"]
        if simple:
            ents += [f"jac:rev:{pick(simple)}", f"jac:fwd:{pick(simple)}"]
        return ents
    ents = [f"grad:int:{pick(diff)}", f"grad:name:{pick(diff)}", "grad:tuple:" + ",".join(diff),
            f"grad:tuple1:{pick(diff)}",
            (f"vg:tuple:" + ",".join(diff)) if rng.random() < 0.5 else f"vg:int:{pick(diff)}",
            "vjp", "jvp", f"regrad:{pick(diff)}"]
    if simple:
        ents += [f"jac:rev:{pick(simple)}", f"jac:fwd:{pick(simple)}", f"hess:{pick(simple)}",
                 f"hvp:{pick(simple)}"]
    floats = [p for p, a in zip(params, args) if isinstance(a, float)]
    if floats:
        ents.append(f"gradgrad:{pick(floats)}")
    if os.environ.get("AST_AD_FUZZ_JIT") and all(
            isinstance(a, (float, int)) or (isinstance(a, np.ndarray) and a.dtype.kind in "biuf")
            for a in args):
        # (the compiled path, run --jit: numbers and arrays only; no rng
        # drawn, so the other entries of a seed stay as they were)
        ents.append("vgjit:tuple:" + ",".join(diff))
    return ents


PRIMAL_TIMEOUT = 2.0     # seconds for one plain evaluation (a shrunk program may loop forever)


def run_case(case, entries=None, timeout=30.0, perturb=None, budget_entries=None, perturb_rel=1e-3):
    """Run a Case; returns a Result.  perturb: rng seed to move the inputs slightly
    (relative size perturb_rel)."""
    res = Result(case)
    old = signal.getsignal(signal.SIGALRM) if timeout else None

    def on_alarm(signum, frame):
        # re-arm: if this raise is swallowed (e.g. inside a weakref callback),
        # the next one a second later gets through
        signal.setitimer(signal.ITIMER_REAL, 1.0)
        raise FuzzTimeout()
    if timeout:
        signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    loaded = None
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                loaded = Loaded(case.source)
                f = loaded.mod.f
                args = eval_args(case.args)
            except FuzzTimeout:
                raise
            except Exception as e:
                res.add("primal_invalid", "load", f"{type(e).__name__}: {e}")
                res.cls = "primal_invalid"
                return res
            if perturb is not None:
                args = perturb_args(args, random.Random(perturb), rel=perturb_rel)
            _run(res, f, args, case, entries, loaded.path, budget_entries)
    except FuzzTimeout:
        res.add("timeout", "*", f"more than {timeout}s")
    finally:
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
        if loaded is not None:
            loaded.close()
    if res.cls == "primal_invalid":
        return res
    return res.finish()


def _primal(f, args):
    y = f(*copy.deepcopy(args))
    if isinstance(y, (bool, int, complex)) or not (
            isinstance(y, (float, np.floating)) or (isinstance(y, np.ndarray) and y.dtype.kind == "f")):
        raise TypeError(f"output of type {type(y).__name__} {getattr(y, 'dtype', '')}")
    if not np.all(np.isfinite(y)):
        raise ValueError("non-finite output")
    return y


class PrimalTimeout(Exception):
    pass


def _timed_primal(f, args):
    """_primal with its own short alarm, then the outer alarm is restored."""
    left, _ = signal.getitimer(signal.ITIMER_REAL)
    if not left:
        return _primal(f, args)
    t0 = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, min(left, PRIMAL_TIMEOUT))
    try:
        return _primal(f, args)
    except FuzzTimeout:
        if left > PRIMAL_TIMEOUT:
            raise PrimalTimeout(f"plain evaluation takes more than {PRIMAL_TIMEOUT}s")
        raise
    finally:
        rest = left - (time.perf_counter() - t0)
        signal.setitimer(signal.ITIMER_REAL, max(rest, 0.01))


def _run(res, f, args, case, entries, mod_path, budget_entries):
    import ast_ad
    try:
        y0 = _timed_primal(f, args)
        y1 = _timed_primal(f, args)
    except FuzzTimeout:
        raise
    except Exception as e:
        res.add("primal_invalid", "primal", f"{type(e).__name__}: {e}")
        res.cls = "primal_invalid"
        return
    kind = "scalar" if np.shape(y0) == () else "vector"
    if not same_tree(np.asarray(y0), np.asarray(y1)):
        res.add("primal_invalid", "primal", "not deterministic")
        res.cls = "primal_invalid"
        return
    if np.max(np.abs(y0)) > 1e8:
        res.add("primal_invalid", "primal", "output too large for finite differences")
        res.cls = "primal_invalid"
        return
    rng = random.Random(case.seed if case.seed is not None else hash(case.source) & 0xffffffff)
    nprng = np.random.RandomState(rng.randrange(2 ** 31))
    if entries is None:
        entries = case.entries or default_entries(case, args, rng, kind)
        if budget_entries is not None and len(entries) > budget_entries:
            entries = rng.sample(entries, budget_entries)
    oracle = Oracle(f, args)
    if not same_tree(np.asarray(oracle.y0).ravel(), flat_out(y0)):
        res.add("primal_invalid", "primal", "rebuilding the arguments changes the value")
        res.cls = "primal_invalid"
        return
    ctx = Ctx(res, f, args, case, oracle, y0, kind, nprng, mod_path)
    for ent in entries:
        t = time.perf_counter()
        try:
            ctx.entry(ent)
        except FuzzTimeout:
            raise
        except Exception as e:
            cls, msg = classify_exception(e, mod_path)
            if cls == "refused":
                if ent.startswith("nonscalar:"):
                    pass
                else:
                    res.refusals.append((ent, msg))
            else:
                res.add(cls, ent, msg)
        res.times[ent] = time.perf_counter() - t
    ctx.consistency()


class Ctx:
    def __init__(self, res, f, args, case, oracle, y0, kind, nprng, mod_path):
        self.res, self.f, self.args, self.case = res, f, args, case
        self.o, self.y0, self.kind, self.nprng = oracle, y0, kind, nprng
        self.params = case.params
        self.grads = {}        # param -> [(entry, flat AD gradient)]

    # -- helpers ---------------------------------------------------------
    def idx(self, name):
        return self.params.index(name)

    def fresh_args(self):
        return copy.deepcopy(self.args)

    def check_mutation(self, ent, before, after, what="argument"):
        for i, (b, a) in enumerate(zip(before, after)):
            if not same_tree(b, a):
                self.res.add("mutated_input", ent, f"{what} {self.params[i] if what == 'argument' else i} "
                             f"changed by the call")

    def check_value(self, ent, val):
        y0 = np.asarray(self.y0)
        v = np.asarray(val)
        if v.shape != y0.shape:
            self.res.add("wrong_value", ent, f"value shape {v.shape}, plain Python {y0.shape}")
            return
        if not np.issubdtype(v.dtype, np.floating):
            self.res.add("wrong_value", ent, f"value dtype {v.dtype}")
            return
        tol = VALUE_RTOL * max(1.0, float(np.max(np.abs(y0))) if y0.size else 1.0)
        d = np.abs(v.astype(np.float64) - y0)
        if not np.all(d <= tol):
            k = int(np.argmax(np.where(np.isfinite(d), d, np.inf)))
            self.res.add("wrong_value", ent, f"value {v.ravel()[k]!r} != plain Python {y0.ravel()[k]!r} "
                         f"(element {k}, diff {d.ravel()[k]:.3g})")

    def compare1(self, ent, ad, fd, recheck, label):
        """ad, fd flat vectors; recheck(k) -> (verdict, estimate)."""
        ad = np.asarray(ad, dtype=np.float64).ravel()
        worst = None
        for k in range(len(fd)):
            a, e = ad[k], fd[k]
            if np.isfinite(a) and np.isfinite(e) and abs(a - e) <= self.o.tol1(a, e):
                continue
            verdict, est = recheck(k)
            if verdict == "ok":
                continue
            cls = {"wrong": "wrong_grad", "nonfinite": "nonfinite_grad",
                   "inconclusive": "inconclusive"}[verdict]
            if worst is None or CLASSES.index(cls) < CLASSES.index(worst[0]):
                worst = (cls, f"{label} element {k}: ast_ad {a!r}, finite differences {est!r}", a)
        if worst:
            self.res.add(worst[0], ent, worst[1], ad=worst[2])
            return False
        return True

    def check_grad_of(self, ent, pname, g, label=None):
        """g: AD gradient w.r.t. parameter pname of the scalar output."""
        i = self.idx(pname)
        arg = self.args[i]
        err = check_like(g, arg, label or pname)
        if err:
            self.res.add("bad_shape_or_dtype", ent, err)
            return
        if shares_memory(g, arg):
            self.res.add("grad_aliases_input", ent, f"gradient of {pname} shares memory with the argument")
        flat = flat_like(g, arg)
        cols = self.o.cols(i)
        fd = self.o.jac_cols(cols)[0]
        self.grads.setdefault(pname, []).append((ent, flat))

        def recheck(k):
            d = np.zeros(self.o.n)
            d[cols[k]] = self.o.scale[cols[k]]
            v, e = self.o.recheck1(flat[k] * self.o.scale[cols[k]], d, np.ones(1))
            return v, e / self.o.scale[cols[k]]
        self.compare1(ent, flat, fd, recheck, f"d/d{pname}")

    # -- entries -----------------------------------------------------------
    def entry(self, ent):
        import ast_ad
        parts = ent.split(":")
        kind = parts[0]
        args = self.fresh_args()
        before = copy.deepcopy(args)
        if kind in ("grad", "vg", "regrad", "hess", "hvp", "gradgrad") and np.size(self.y0) != 1:
            # scalar-only entry on a program whose output is an array (a shrunk program can
            # become one): it must refuse
            pname = parts[-1].split(",")[0]
            try:
                if kind == "hvp":
                    out = ast_ad.hvp(self.f, wrt=self.idx(pname))(*args, random_like(self.args[self.idx(pname)],
                                                                                       self.nprng))
                elif kind == "hess":
                    out = ast_ad.hessian(self.f, wrt=self.idx(pname))(*args)
                elif kind == "gradgrad":
                    out = ast_ad.grad(ast_ad.grad(self.f, wrt=self.idx(pname)), wrt=self.idx(pname))(*args)
                else:
                    out = ast_ad.grad(self.f, wrt=self.idx(pname))(*args)
            except ast_ad.DifferentiationError:
                return
            self.res.add("missing_error", ent, f"{kind} of a function returning shape {np.shape(self.y0)} "
                         f"returned {type(out).__name__} {np.shape(out)} instead of raising")
            return
        if kind in ("grad", "vg", "vgjit"):
            form, names = parts[1], parts[2].split(",")
            if form == "int":
                wrt = self.idx(names[0])
            elif form == "name":
                wrt = names[0]
            elif form == "tuple1":
                wrt = (self.idx(names[0]),)
            else:
                wrt = tuple(self.idx(n) for n in names)
            fn = ast_ad.grad(self.f, wrt=wrt) if kind == "grad" else ast_ad.value_and_grad(
                self.f, wrt=wrt, jit=(kind == "vgjit"))
            out = fn(*args)
            self.check_mutation(ent, before, args)
            if kind in ("vg", "vgjit"):
                if not (isinstance(out, tuple) and len(out) == 2):
                    self.res.add("bad_shape_or_dtype", ent, f"value_and_grad returned {type(out).__name__}")
                    return
                val, out = out
                self.check_value(ent, val)
            if isinstance(wrt, tuple):
                if not isinstance(out, tuple) or len(out) != len(wrt):
                    self.res.add("bad_shape_or_dtype", ent,
                                 f"wrt={wrt!r}: expected a tuple of {len(wrt)}, got {type(out).__name__}")
                    return
                for n, g in zip(names, out):
                    self.check_grad_of(ent, n, g)
            else:
                self.check_grad_of(ent, names[0], out)
        elif kind == "regrad":
            name = parts[1]
            fn = ast_ad.grad(self.f, wrt=self.idx(name))
            fn(*args)
            args2 = perturb_args(self.args, random.Random(self.nprng.randint(1 << 30)), rel=0.05)
            try:
                _primal(self.f, args2)
            except Exception:
                return
            o2 = Oracle(self.f, args2)
            a2 = copy.deepcopy(args2)
            g = fn(*a2)
            self.check_mutation(ent, args2, a2)
            save = self.o, self.args
            self.o, self.args = o2, args2
            try:
                self.check_grad_of(ent, name, g, label=f"{name} (second call)")
            finally:
                self.o, self.args = save
                self.grads[name].pop()
        elif kind == "vjp":
            out, vfn = ast_ad.vjp(self.f, *args)
            self.check_mutation(ent, before, args)
            self.check_value(ent, out)
            for rep in range(2):
                ct = random_like(np.asarray(self.y0) if self.kind == "vector" else 1.0, self.nprng)
                if self.kind == "scalar" and rep == 0:
                    ct = 1.0
                ct0 = copy.deepcopy(ct)
                gs = vfn(ct)
                if not same_tree(ct, ct0):
                    self.res.add("mutated_input", ent, "cotangent changed by the vjp function")
                self.check_mutation(ent, before, args)
                if not isinstance(gs, tuple) or len(gs) != len(self.args):
                    self.res.add("bad_shape_or_dtype", ent,
                                 f"vjp function returned {type(gs).__name__} "
                                 f"{len(gs) if hasattr(gs, '__len__') else ''}, expected a tuple of {len(self.args)}")
                    return
                w = flat_out(ct)
                for i, (g, a) in enumerate(zip(gs, self.args)):
                    if not leaves(a):
                        continue
                    pname = self.params[i]
                    err = check_like(g, a, f"vjp[{pname}]")
                    if err:
                        self.res.add("bad_shape_or_dtype", ent, err)
                        continue
                    flat = flat_like(g, a)
                    cols = self.o.cols(i)
                    fd = w @ self.o.jac_cols(cols)
                    if self.kind == "scalar":
                        self.grads.setdefault(pname, []).append((ent, flat / ct if ct else flat))

                    def recheck(k, cols=cols, flat=flat, w=w):
                        d = np.zeros(self.o.n)
                        d[cols[k]] = self.o.scale[cols[k]]
                        v, e = self.o.recheck1(flat[k] * self.o.scale[cols[k]], d, w)
                        return v, e / self.o.scale[cols[k]]
                    if not self.compare1(ent, flat, fd, recheck, f"vjp call {rep + 1} d/d{pname}"):
                        return
        elif kind == "jvp":
            tang = [random_like(a, self.nprng) for a in self.args]
            t0 = copy.deepcopy(tang)
            out, tout = ast_ad.jvp(self.f, tuple(args), tuple(tang))
            self.check_mutation(ent, before, args)
            if not all(same_tree(a, b) for a, b in zip(tang, t0)):
                self.res.add("mutated_input", ent, "tangent changed by jvp")
            self.check_value(ent, out)
            tvec = np.zeros(self.o.n)
            for i, path, leaf, st, n in self.o.segs:
                tvec[st:st + n] = np.asarray(get_leaf(tang[i], path), dtype=np.float64).ravel()
            yshape = np.shape(self.y0)
            tv = np.asarray(tout)
            if tv.shape != yshape or (tv.dtype.kind != "f"):
                self.res.add("bad_shape_or_dtype", ent, f"tangent output {tv.dtype}{tv.shape}, value {yshape}")
                return
            fd = self.o.jac() @ tvec

            def recheck(k):
                w = np.zeros(self.o.m)
                w[k] = 1.0
                return self.o.recheck1(tv.ravel()[k], tvec, w)
            self.compare1(ent, tv.ravel(), fd, recheck, "J.t")
        elif kind == "jac":
            mode, name = parts[1], parts[2]
            i = self.idx(name)
            J = ast_ad.jacobian(self.f, wrt=i, mode=mode)(*args)
            self.check_mutation(ent, before, args)
            a = self.args[i]
            want = np.shape(self.y0) + np.shape(a)
            Jv = np.asarray(J)
            if Jv.shape != want or Jv.dtype != np.float64 or not isinstance(J, (np.ndarray, float, np.floating)):
                self.res.add("bad_shape_or_dtype", ent, f"jacobian {type(J).__name__} {Jv.dtype}{Jv.shape}, "
                             f"expected float64{want}")
                return
            cols = self.o.cols(i)
            Jm = Jv.reshape(self.o.m, len(cols))
            if self.kind == "scalar":
                self.grads.setdefault(name, []).append((ent, Jm[0]))
            fd = self.o.jac_cols(cols)

            def recheck(k):
                r, c = divmod(k, len(cols))
                d = np.zeros(self.o.n)
                d[cols[c]] = self.o.scale[cols[c]]
                w = np.zeros(self.o.m)
                w[r] = 1.0
                v, e = self.o.recheck1(Jm[r, c] * self.o.scale[cols[c]], d, w)
                return v, e / self.o.scale[cols[c]]
            self.compare1(ent, Jm.ravel(), fd.ravel(), recheck, f"J[{name}]")
        elif kind == "hess":
            name = parts[1]
            i = self.idx(name)
            H = ast_ad.hessian(self.f, wrt=i)(*args)
            self.check_mutation(ent, before, args)
            a = self.args[i]
            want = np.shape(a) * 2
            Hv = np.asarray(H)
            if Hv.shape != want or Hv.dtype != np.float64:
                self.res.add("bad_shape_or_dtype", ent, f"hessian {Hv.dtype}{Hv.shape}, expected float64{want}")
                return
            cols = self.o.cols(i)
            k = len(cols)
            Hm = Hv.reshape(k, k)
            fd = self.o.hess(i)
            self.compare2(ent, Hm, fd, cols, name)
        elif kind == "hvp":
            name = parts[1]
            i = self.idx(name)
            a = self.args[i]
            v = random_like(a, self.nprng)
            v0 = copy.deepcopy(v)
            out = ast_ad.hvp(self.f, wrt=i)(*args, v)
            self.check_mutation(ent, before, args)
            if not same_tree(v, v0):
                self.res.add("mutated_input", ent, "vector v changed by hvp")
            err = check_like(out, a, f"hvp[{name}]")
            if err:
                self.res.add("bad_shape_or_dtype", ent, err)
                return
            cols = self.o.cols(i)
            vv = np.asarray(v, dtype=np.float64).ravel()
            ad = np.asarray(out, dtype=np.float64).ravel()
            fdH = self.o.hess(i)
            fd = fdH @ vv
            for k in range(len(cols)):
                tol = self.o.tol2(ad[k], fd[k]) * (1 + np.sum(np.abs(vv)))
                if np.isfinite(ad[k]) and abs(ad[k] - fd[k]) <= tol:
                    continue
                ea = np.zeros(self.o.n)
                ea[cols[k]] = self.o.scale[cols[k]]
                eb = np.zeros(self.o.n)
                eb[cols] = vv
                verdict, est = self.o.recheck2(ad[k] * self.o.scale[cols[k]], ea, eb)
                if verdict == "ok":
                    continue
                cls = {"wrong": "wrong_hessian", "nonfinite": "nonfinite_grad",
                       "inconclusive": "inconclusive"}[verdict]
                self.res.add(cls, ent, f"(H v)[{k}] for {name}: ast_ad {ad[k]!r}, "
                             f"finite differences {est / self.o.scale[cols[k]]!r}", ad=ad[k])
                break
        elif kind == "gradgrad":
            # derivatives compose (README): grad of grad w.r.t. a float argument
            name = parts[1]
            i = self.idx(name)
            g2 = ast_ad.grad(ast_ad.grad(self.f, wrt=i), wrt=i)(*args)
            self.check_mutation(ent, before, args)
            err = check_like(g2, self.args[i], f"grad(grad)[{name}]")
            if err:
                self.res.add("bad_shape_or_dtype", ent, err)
                return
            cols = self.o.cols(i)
            self.compare2(ent, np.asarray(g2, dtype=np.float64).reshape(1, 1), self.o.hess(i), cols, name)
        elif kind == "nonscalar":
            import ast_ad
            name = parts[1]
            try:
                out = ast_ad.grad(self.f, wrt=self.idx(name))(*args)
            except ast_ad.DifferentiationError:
                return
            self.res.add("missing_error", ent, f"grad of a function returning shape {np.shape(self.y0)} "
                         f"returned {type(out).__name__} {np.shape(out)} instead of raising")
        else:
            raise ValueError(f"unknown entry {ent}")

    def compare2(self, ent, Hm, fd, cols, name):
        k = len(cols)
        for a in range(k):
            for b in range(k):
                x, e = Hm[a, b], fd[a, b]
                if np.isfinite(x) and abs(x - e) <= self.o.tol2(x, e):
                    continue
                ea = np.zeros(self.o.n)
                eb = np.zeros(self.o.n)
                sa, sb = self.o.scale[cols[a]], self.o.scale[cols[b]]
                ea[cols[a]] = sa
                eb[cols[b]] = sb
                verdict, est = self.o.recheck2(x * sa * sb, ea, eb)
                if verdict == "ok":
                    continue
                cls = {"wrong": "wrong_hessian", "nonfinite": "nonfinite_grad",
                       "inconclusive": "inconclusive"}[verdict]
                self.res.add(cls, ent, f"H[{a}, {b}] for {name}: ast_ad {x!r}, "
                             f"finite differences {est / (sa * sb)!r}", ad=x)
                return

    def consistency(self):
        """First-order AD results for the same parameter must agree across entries."""
        flagged = {e for c, e, _ in self.res.issues if c in FAILURES}
        for pname, lst in self.grads.items():
            lst = [(e, g) for e, g in lst if e not in flagged]
            for (e1, g1), (e2, g2) in itertools.combinations(lst, 2):
                if g1.shape != g2.shape:
                    continue
                d = np.abs(g1 - g2)
                tol = 1e-8 * np.maximum(1.0, np.maximum(np.abs(g1), np.abs(g2)))
                if not np.all((d <= tol) | (np.isnan(g1) & np.isnan(g2))):
                    k = int(np.argmax(d - tol))
                    self.res.add("inconsistent", e2, f"d/d{pname}[{k}]: {e1} gives {g1[k]!r}, "
                                 f"{e2} gives {g2[k]!r}")
                    return


def confirm(case, res, points=2, timeout=30.0, tiny=2):
    """Re-check numerical failures (a wrong derivative must be a property of the
    program, not of the point):

    * at two points moved by 1e-7 (relative) the same entry must fail again with
      nearly the same AD number: an AD result that jumps under such a move comes
      from a non-differentiable point (np.std of an array whose entries are equal
      up to rounding, a tie) and is not reported;
    * and it must fail again at one of two points moved by 1e-3.
    Otherwise the failure is downgraded to ``inconclusive``."""
    numeric = {"wrong_grad", "wrong_hessian", "nonfinite_grad", "inconsistent"}
    keys = {(c, e) for c, e, _ in res.issues if c in numeric}
    if not keys:
        return res
    ents = sorted({e for _, e in keys})
    why = {}
    stable = set(keys)
    for p in range(tiny):
        r2 = run_case(case, entries=ents, timeout=timeout, perturb=2000 + p, perturb_rel=1e-7)
        for k in keys:
            if k not in stable:
                continue
            a0, a1 = res.numbers.get(k), r2.numbers.get(k)
            if k not in {(c, e) for c, e, _ in r2.issues}:
                stable.discard(k)
                why[k] = "does not fail at a point moved by 1e-7"
            elif a0 is not None and a1 is not None and np.isfinite(a0) and np.isfinite(a1) and \
                    abs(a0 - a1) > 1e-6 + 1e-4 * max(abs(a0), abs(a1)):
                stable.discard(k)
                why[k] = f"AD jumps from {a0!r} to {a1!r} at a point moved by 1e-7"
    seen = set()
    for p in range(points):
        r2 = run_case(case, entries=ents, timeout=timeout, perturb=1000 + p)
        if r2.cls == "primal_invalid":
            continue
        seen |= {(c, e) for c, e, _ in r2.issues}
    for k in keys:
        if k not in seen and k not in why:
            why[k] = "not reproduced at points moved by 1e-3"
    new = []
    for c, e, m in res.issues:
        if (c, e) in why:
            new.append(("inconclusive", e, f"({why[(c, e)]}) {c}: {m}"))
        else:
            new.append((c, e, m))
    res.issues = new
    return res.finish()
