"""Seeded generator of random programs in ast_ad's documented subset.

Written from the README ("API" and "What is supported") only.  A program is
a small module (``import math``, ``import numpy as np``, optional helper
functions, then ``def f(...)``) plus argument values, both as source text
(:class:`Case`), so that a case can be written to a file, shrunk and replayed.

The generator tracks, for every live variable, its shape, whether it is an
ndarray (in-place updates and methods are only used on those) and the
"memory groups" it may share with other variables.  Whole aliases
(``a = x; a += 1.0``, helpers updating their argument, rows of a loop
updated in place) are generated on purpose: the README says they follow
Python.  Writing through an object that a live view, list or comprehension
still holds ("frozen" groups) is generated in about 30% of the programs
(chosen by seed; feature ``shared_writes``): the README says those follow
NumPy too, or are refused with a located error -- never a silent difference.

Values: functions with restricted domains are called on expressions that
keep them in their domain (``np.log(e ** 2 + 1.0)``), and loops have small
fixed trip counts, so most programs run.  A program whose plain evaluation
raises or is not finite is skipped by the runner.
"""
import ast
import random
from dataclasses import dataclass, field, replace

SHAPES = [(), (2,), (3,), (2, 3), (3, 2), (3, 1), (1, 3), (3, 3)]
ARRAY_SHAPES = [s for s in SHAPES if s]
MAX_LINES = 17      # stop adding statements to f beyond this (programs of 5-25 lines)
LEAF_ONLY = -100     # depth sentinel: operands must be existing variables
CONSTS = ["0.5", "1.5", "2.0", "0.25", "0.75", "1.0", "3.0", "0.1", "1.25", "0.3"]


def bcast(a, b):
    """NumPy broadcast of two shapes, or None."""
    out = []
    for i in range(1, max(len(a), len(b)) + 1):
        x = a[-i] if i <= len(a) else 1
        y = b[-i] if i <= len(b) else 1
        if x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:
            return None
    return tuple(reversed(out))


def subshapes(s):
    """Shapes of SHAPES that broadcast into s (result exactly s)."""
    return [t for t in SHAPES if bcast(t, s) == s]


def size(s):
    n = 1
    for d in s:
        n *= d
    return n


@dataclass
class Var:
    name: str
    shape: tuple = ()
    nd: bool = False            # an ndarray (not a Python/NumPy scalar)
    groups: frozenset = frozenset()
    kind: str = "val"           # val | list | tuple | dict | int | fn
    elem_shape: tuple = ()      # list/tuple elements
    elem_nd: bool = False
    length: int = None          # list/tuple length if known
    used: int = None            # only indices < used are read (unused elements)
    keys: tuple = ()            # dict: ((key, shape, nd, used), ...)
    bound: int = 0              # int: values are in range(bound)
    is_row: bool = False        # row of an array being iterated (may write through)
    nonempty: bool = True


@dataclass
class Expr:
    src: str
    shape: tuple
    nd: bool = False
    alias: frozenset = frozenset()   # groups the value may share memory with
    view: bool = False               # partial view / unknown sharing (freezes)


@dataclass
class Helper:
    name: str
    params: list                 # [(name, shape)]
    out: object                  # shape, or ("tuple", [shapes]) or None
    default: str = None          # name of a scalar param with a default
    mutates: tuple = ()          # indices of params updated in place
    returns_alias: bool = False


@dataclass
class Case:
    """A program and its arguments, as text."""
    source: str                  # module source, defines f
    params: list                 # parameter names of f
    args: list                   # one Python expression (text) per parameter
    kind: str = "scalar"         # scalar | vector (output of f)
    seed: int = None
    entries: list = None         # entry specs to run (None: runner decides)
    note: str = ""

    def to_dict(self):
        return dict(source=self.source, params=list(self.params), args=list(self.args),
                    kind=self.kind, seed=self.seed, entries=self.entries, note=self.note)


class Env:
    def __init__(self, gen, ret_shape, in_helper=False):
        self.gen = gen
        self.vars = {}
        self.frozen = gen.frozen          # shared, permanent
        self.ro = set()
        self.ret_shape = ret_shape
        self.loop_depth = 0
        self.depth = 0
        self.in_loop = False
        self.in_helper = in_helper
        self.helpers = gen.helpers
        self.can_return = not in_helper

    def copy(self):
        e = Env.__new__(Env)
        e.__dict__.update(self.__dict__)
        e.vars = dict(self.vars)
        e.ro = set(self.ro)
        return e

    def vals(self, pred=lambda v: True):
        return [v for v in self.vars.values() if v.kind == "val" and pred(v)]

    def can_mutate(self, v):
        if not v.nd or v.kind != "val":
            return False
        if "inplace_args" in self.gen.off and v.groups & self.gen.param_groups:
            return False
        if v.groups & self.frozen and not self.gen.shared_writes:
            return False
        if not v.is_row and (v.groups & self.ro):
            return False
        return True


FEATURES = {
    # name: what it switches off (for --disable, to look past a frequent bug)
    "inplace_args": "in-place updates of argument arrays (and their aliases)",
    "row_writes": "in-place updates of the rows of a for loop over an array",
    "alias": "a = x; a += ... statements",
    "mutating_helpers": "helpers that update their argument in place",
    "helpers": "helper functions",
    "containers": "list/tuple/dict arguments",
    "loops": "for and while loops",
    "branches": "if statements and conditional expressions",
    "lists": "list building, comprehensions, generator expressions",
    "item_assign": "item and slice assignment",
    "aug_assign": "augmented assignment",
    "shared_writes": "in-place updates of arrays that views, lists or comprehensions still hold",
}


class Gen:
    def __init__(self, seed, disable=()):
        self.seed = seed
        self.off = set(disable)
        unknown = self.off - set(FEATURES)
        if unknown:
            raise ValueError(f"unknown features {sorted(unknown)}; known: {sorted(FEATURES)}")
        self.param_groups = set()
        self.r = random.Random(seed)
        # (drawn from a stream of its own, so that the programs of the other
        # seeds stay what they were)
        self.shared_writes = "shared_writes" not in self.off and \
            random.Random(f"shared_writes {seed}").random() < 0.3
        self.frozen = set()
        self.ngroup = 0
        self.names = {}
        self.helpers = []
        self.int_params = []

    # -- small utilities -------------------------------------------------
    def group(self):
        self.ngroup += 1
        return frozenset([self.ngroup])

    def fresh(self, prefix):
        n = self.names.get(prefix, 0)
        self.names[prefix] = n + 1
        return f"{prefix}{n}"

    def p(self, x):
        return self.r.random() < x

    def choice(self, xs):
        return self.r.choice(xs)

    def wchoice(self, pairs):
        total = sum(w for w, _ in pairs)
        t = self.r.random() * total
        for w, x in pairs:
            t -= w
            if t <= 0:
                return x
        return pairs[-1][1]

    def const(self):
        return self.choice(CONSTS)

    # -- expressions -----------------------------------------------------
    def leaf_cands(self, env, shape):
        cands = []
        for v in env.vars.values():
            if v.kind == "val" and v.shape == shape:
                cands.append(Expr(v.name, shape, v.nd, v.groups, v.is_row))
            elif v.kind in ("list", "tuple") and v.elem_shape == shape and v.nonempty:
                hi = v.used if v.used is not None else (v.length or 1)
                k = self.r.randrange(hi)
                if v.length is None:
                    k = self.choice([0, -1]) if k else 0
                cands.append(Expr(f"{v.name}[{k}]", shape, v.elem_nd, v.groups))
            elif v.kind == "int" and shape == ():
                cands.append(Expr(f"({v.name} * 0.5)", ()))
            elif v.kind == "dict":
                for key, s, nd, used in v.keys:
                    if s == shape and used:
                        cands.append(Expr(f'{v.name}["{key}"]', shape, nd, v.groups))
        return cands

    def leaf(self, env, shape):
        """A variable or container element of exactly this shape, or None."""
        cands = self.leaf_cands(env, shape)
        if not cands:
            return None
        real = [c for c in cands if not c.src.startswith("(")]
        if real and self.p(0.8):
            return self.choice(real)
        return self.choice(cands)

    def expr(self, env, shape, depth=2):
        """An expression of exactly this shape."""
        if depth <= LEAF_ONLY:
            return self.leaf(env, shape)
        if depth <= 0 or self.p(0.25):
            e = self.leaf(env, shape)
            if e is not None and self.p(0.85):
                return e
            if shape == () and self.p(0.3):
                return Expr(self.const(), ())
            if depth <= 0:
                return self.derive(env, shape)
        makers = [
            (3, self.e_unary), (5, self.e_binop), (2, self.e_reduce), (1.5, self.e_index),
            (1, self.e_matmul), (0.7, self.e_reshape), (0.6, self.e_pair), (0.5, self.e_stack),
            (0.6, self.e_cond), (0.8, self.e_helper), (0.5, self.e_gen), (0.6, self.e_leafy),
            (0.3, self.e_misc),
        ]
        if "branches" in self.off:
            makers = [m for m in makers if m[1] != self.e_cond]
        if "lists" in self.off:
            makers = [m for m in makers if m[1] != self.e_gen]
        if "helpers" in self.off:
            makers = [m for m in makers if m[1] != self.e_helper]
        for _ in range(6):
            mk = self.wchoice(makers)
            e = mk(env, shape, depth - 1)
            if e is not None:
                assert e.shape == shape, (mk, e, shape)
                return e
        return self.derive(env, shape)

    def has_src(self, env, t, d):
        return d > LEAF_ONLY or self.leaf(env, t) is not None

    def derive(self, env, shape):
        """Anything of this shape built from some variable (fallback)."""
        for mk in self.r.sample([self.e_index, self.e_reduce, self.e_reshape, self.e_matmul], 4):
            e = mk(env, shape, LEAF_ONLY)
            if e is not None:
                return e
        vs = env.vals()
        if not vs:
            if shape == ():
                return Expr(self.const(), ())
            return Expr(f"np.ones({shape!r})", shape, True)
        v = self.choice(vs)
        e = Expr(v.name, v.shape, v.nd, v.groups, v.is_row)
        if e.shape == shape:
            return e
        if bcast(e.shape, shape) == shape:
            if self.p(0.5):
                return Expr(f"({e.src} * np.ones({shape!r}))", shape, True)
            return Expr(f"np.broadcast_to({e.src}, {shape!r})", shape, True, e.alias, True)
        red = self.reduce_to_scalar(e)
        if shape == ():
            return red
        return Expr(f"({red.src} + np.zeros({shape!r}))", shape, True)

    def reduce_to_scalar(self, e):
        if e.shape == ():
            return e
        s = e.src
        n = size(e.shape)
        opts = [f"np.sum({s})", f"np.mean({s})", f"np.max({s})", f"np.min({s})",
                f"{s}.sum()", f"{s}.mean()", f"np.linalg.norm({s})", f"np.ptp({s})",
                f"np.nansum({s})", f"np.quantile({s}, 0.3)", f"np.sum(np.cumprod({s}))"]
        if n <= 3:
            opts.append(f"np.prod({s})")
        if n >= 2:
            opts += [f"np.var({s})", f"{s}.std()"]
        if len(e.shape) == 1:
            opts += [f"{s}[{self.r.randrange(-e.shape[0], e.shape[0])}]", f"sum({s})",
                     f"max({s})", f"np.dot({s}, {s})"]
        else:
            opts.append(f"{s}[{self.r.randrange(e.shape[0])}, {self.r.randrange(e.shape[1])}]")
        return Expr(self.choice(opts), ())

    def e_leafy(self, env, shape, d):
        return self.leaf(env, shape)

    def e_unary(self, env, shape, d):
        a = self.expr(env, shape, d)
        s = a.src
        nd = shape != ()
        np_forms = [
            "np.sin({})", "np.cos({})", "np.tanh({})", "np.exp(np.tanh({}))", "np.exp(-{} ** 2)",
            "np.log({} ** 2 + 1.0)", "np.log1p({} ** 2)", "np.sqrt({} ** 2 + 0.5)", "np.arctan({})",
            "np.expm1(np.tanh({}))", "np.square({})", "np.cbrt({} ** 2 + 1.0)", "np.abs({})",
            "abs({})", "(-{})", "np.sinh(np.tanh({}))", "np.cosh(np.tanh({}))",
            "np.arcsin(0.9 * np.tanh({}))", "np.arccos(0.5 * np.sin({}))", "np.reciprocal({} ** 2 + 1.0)",
            "np.clip({}, -1.0, 1.0)", "np.exp2(np.tanh({}))", "np.log2({} ** 2 + 1.0)",
            "np.log10({} ** 2 + 2.0)", "np.tan(0.5 * np.tanh({}))", "np.negative({})",
            "({} ** 2)", "({} ** 3)", "(({} ** 2 + 0.5) ** 0.5)", "(({} ** 2 + 1.0) ** -1.5)",
            "np.power({} ** 2 + 1.0, 0.7)", "({} % 1.5)", "(+{})", "np.exp({})",
            "np.arcsinh({})", "np.arctanh(0.9 * np.tanh({}))", "np.arccosh({} ** 2 + 1.5)",
            "np.sinc({})", "np.deg2rad({})", "np.fabs({})", "np.float_power({} ** 2 + 1.0, 1.5)",
            "np.nan_to_num({})",
        ]
        math_forms = [
            "math.sin({})", "math.cos({})", "math.tanh({})", "math.exp(math.tanh({}))",
            "math.log({} ** 2 + 1.0)", "math.log1p({} ** 2)", "math.sqrt({} ** 2 + 0.5)",
            "math.atan({})", "math.erf({})", "math.erfc({})", "math.fabs({})", "math.expm1(math.tanh({}))",
            "math.sinh(math.tanh({}))", "math.cosh({})", "math.asin(0.5 * math.tanh({}))",
            "math.acos(0.5 * math.tanh({}))", "math.pow({} ** 2 + 1.0, 1.5)", "math.log2({} ** 2 + 1.0)",
            "math.log10({} ** 2 + 1.0)", "math.tan(0.5 * math.tanh({}))", "pow({}, 2)", "float({})",
            "abs({})", "math.exp({})", "math.asinh({})", "math.degrees({})",
        ]
        forms = np_forms + (math_forms if shape == () else [])
        f = self.choice(forms)
        return Expr(f.format(s), shape, nd)

    def e_binop(self, env, shape, d):
        subs = subshapes(shape)
        if shape == (3, 3) and self.p(0.3):
            sa, sb = self.choice([((3, 1), (1, 3)), ((3, 1), (3,)), ((1, 3), (3, 1))])
        else:
            sa = shape
            sb = self.choice(subs) if self.p(0.6) else shape
            if self.p(0.5):
                sa, sb = sb, sa
        a = self.expr(env, sa, d)
        b = self.expr(env, sb, d)
        op = self.wchoice([(3, "+"), (2, "-"), (3, "*"), (1, "/"), (0.3, "%"), (0.3, "//")])
        nd = shape != ()
        if op == "/":
            if self.p(0.5):
                return Expr(f"({a.src} / ({b.src} ** 2 + 1.0))", shape, nd)
            return Expr(f"({a.src} / {self.choice(['2.0', '3.0', '0.5', '4.0'])} + {b.src})", shape, nd)
        if op == "%":
            return Expr(f"({a.src} % 1.5 + {b.src})", shape, nd)
        if op == "//":
            return Expr(f"(({a.src} // 1.0) * 0.5 + {b.src})", shape, nd)
        return Expr(f"({a.src} {op} {b.src})", shape, nd)

    def e_pair(self, env, shape, d):
        a = self.expr(env, shape, d)
        b = self.expr(env, self.choice(subshapes(shape)), d)
        nd = shape != ()
        forms = ["np.maximum({}, {})", "np.minimum({}, {})", "np.logaddexp({}, {})",
                 "np.hypot({}, {})", "np.arctan2({}, {} ** 2 + 1.0)",
                 "np.where({0} > {1}, {0}, {1} * 2.0)", "np.power({} ** 2 + 1.0, np.tanh({}))",
                 "np.fmax({}, {})", "np.fmin({}, {})", "np.logaddexp2({}, {})"]
        if shape == ():
            forms += ["max({}, {})", "min({}, {})", "math.atan2({}, {} ** 2 + 1.0)",
                      "math.hypot({}, {})", "max({0}, {1}, 0.5)", "min({0}, {1} * 2.0, 1.5)"]
        f = self.choice(forms)
        e = Expr(f.format(a.src, b.src), shape, nd)
        if f.startswith(("max(", "min(")):
            e.alias = a.alias | b.alias
            e.nd = a.nd or b.nd
        return e

    def e_reduce(self, env, shape, d):
        opts = []
        fn = ["sum", "mean", "max", "min", "prod", "var", "std", "ptp", "nansum", "nanmean"]
        if shape == ():
            ts = [t for t in ARRAY_SHAPES if self.has_src(env, t, d)]
            if not ts:
                return None
            a = self.expr(env, self.choice(ts), d)
            return self.reduce_to_scalar(a)
        for t in ARRAY_SHAPES:
            if len(t) != 2:
                continue
            for ax in (0, 1):
                rest = t[1 - ax]
                if (rest,) == shape:
                    opts.append((t, ax, False))
                kd = (1, t[1]) if ax == 0 else (t[0], 1)
                if kd == shape:
                    opts.append((t, ax, True))
        opts = [o for o in opts if self.has_src(env, o[0], d)]
        if not opts:
            return None
        t, ax, kd = self.choice(opts)
        a = self.expr(env, t, d)
        f = self.choice(fn)
        if f == "std" and t[ax] == 1:
            f = "sum"
        kds = ", keepdims=True" if kd else ""
        form = self.r.randrange(4)
        if f in ("ptp", "nansum", "nanmean"):       # (NumPy functions only)
            src = f"np.{f}({a.src}, axis={ax}{kds})"
        elif form == 0 and not kd and f == "sum" and ax == 0:
            src = f"sum({a.src})"
        elif form == 1:
            src = f"{a.src}.{f}(axis={ax}{kds})"
        elif form == 2 and f in ("sum", "max") and not kd:
            src = f"np.linalg.norm({a.src}, axis={ax})" if f == "sum" else f"np.{f}({a.src}, {ax})"
        else:
            src = f"np.{f}({a.src}, axis={ax}{kds})"
        return Expr(src, shape, True)

    def e_index(self, env, shape, d):
        r = self.r
        opts = []   # (source shape, template)
        if shape == ():
            for t in ARRAY_SHAPES:
                if len(t) == 1:
                    opts.append((t, "{}[%d]" % r.randrange(-t[0], t[0])))
                else:
                    i, j = r.randrange(t[0]), r.randrange(t[1])
                    opts.append((t, "{}[%d, %d]" % (i, j)))
                    opts.append((t, "{}[%d][%d]" % (i, j)))
        else:
            n = shape[0]
            if len(shape) == 1:
                for t in ARRAY_SHAPES:
                    if len(t) == 2 and t[1] == n:
                        opts.append((t, "{}[%d]" % r.randrange(-t[0], t[0])))
                    if len(t) == 2 and t[0] == n:
                        opts.append((t, "{}[:, %d]" % r.randrange(t[1])))
                if n == 2:
                    opts += [((3,), "{}[1:]"), ((3,), "{}[:2]"), ((3,), "{}[::2]"), ((3,), "{}[-2:]"),
                             ((3,), "{}[[2, 0]]"), ((2,), "{}[::-1]")]
                if n == 3:
                    opts += [((3,), "{}[::-1]"), ((3,), "{}[[0, 2, 0]]"), ((2,), "{}[[1, 0, 1]]"),
                             ((3,), "{}[np.array([2, 1, 0])]")]
            else:
                table = {
                    (2, 3): [((3, 3), "{}[1:]"), ((3, 3), "{}[:2]"), ((2, 3), "{}[::-1]"),
                             ((2, 3), "{}[:, ::-1]"), ((3, 3), "{}[[0, 2]]")],
                    (3, 2): [((3, 3), "{}[:, 1:]"), ((3, 3), "{}[:, :2]"), ((3, 2), "{}[::-1]")],
                    (3, 1): [((3, 3), "{}[:, 0:1]"), ((3, 2), "{}[:, -1:]"), ((3,), "{}[:, None]")],
                    (1, 3): [((3, 3), "{}[0:1]"), ((2, 3), "{}[-1:]"), ((3,), "{}[None, :]")],
                    (3, 3): [((3, 3), "{}[::-1, ::-1]"), ((3, 3), "{}[[2, 0, 1]]")],
                }
                opts = table.get(shape, [])
        opts = [o for o in opts if self.has_src(env, o[0], d)]
        if not opts:
            return None
        t, tmpl = self.choice(opts)
        a = self.leaf(env, t) if self.p(0.7) or d <= LEAF_ONLY else None
        if a is None:
            a = self.expr(env, t, d)
            src = f"({a.src})" if not a.src.isidentifier() else a.src
        else:
            src = a.src
        view = shape != () and "[[" not in tmpl and "np.array" not in tmpl
        return Expr(tmpl.format(src), shape, shape != (), a.alias if view else frozenset(), view)

    def e_matmul(self, env, shape, d):
        table = {
            (): [((3,), (3,)), ((2,), (2,))],
            (3,): [((3, 3), (3,)), ((3, 2), (2,)), ((2,), (2, 3)), ((3,), (3, 3))],
            (2,): [((2, 3), (3,)), ((3,), (3, 2))],
            (2, 3): [((2, 3), (3, 3))],
            (3, 3): [((3, 2), (2, 3)), ((3, 1), (1, 3)), ((3, 3), (3, 3))],
            (3, 2): [((3, 3), (3, 2))],
            (3, 1): [((3, 3), (3, 1))],
            (1, 3): [((1, 3), (3, 3))],
        }
        opts = [o for o in table[shape] if self.has_src(env, o[0], d) and self.has_src(env, o[1], d)]
        if not opts:
            return None
        ta, tb = self.choice(opts)
        a = self.expr(env, ta, d)
        b = self.expr(env, tb, d)
        forms = ["({} @ {})", "np.dot({}, {})", "np.matmul({}, {})"]
        if ta != () and a.src.isidentifier():
            forms.append("{}.dot({})")
        if len(ta) == 1 and len(tb) == 1 and shape == (3, 3):
            pass
        src = self.choice(forms).format(a.src, b.src)
        if shape == (3, 3) and self.p(0.3) and self.has_src(env, (3,), d):
            va, vb = self.expr(env, (3,), d), self.expr(env, (3,), d)
            src = f"np.outer({va.src}, {vb.src})"
        return Expr(src, shape, shape != ())

    def e_reshape(self, env, shape, d):
        table = {
            (3, 2): [((2, 3), "{}.T"), ((2, 3), "np.transpose({})"), ((2, 3), "{}.reshape(3, 2)"),
                     ((2, 3), "np.rot90({})"), ((2, 3), "np.moveaxis({}, 0, 1)"),
                     ((3, 2), "np.flipud({})"), ((2, 3), "np.einsum('ij->ji', {})")],
            (2, 3): [((3, 2), "{}.T"), ((3, 2), "{}.transpose()"), ((3, 2), "{}.reshape(2, 3)"),
                     ((2, 3), "np.fliplr({})"), ((2, 3), "np.flip({})"),
                     ((3, 2), "np.swapaxes({}, 0, 1)")],
            (3, 1): [((1, 3), "{}.T"), ((3,), "{}.reshape(3, 1)"), ((3,), "np.expand_dims({}, 1)"),
                     ((3,), "np.reshape({}, (3, 1))")],
            (1, 3): [((3, 1), "{}.T"), ((3,), "{}.reshape(1, 3)"), ((3,), "np.expand_dims({}, 0)")],
            (3,): [((3, 1), "{}.ravel()"), ((1, 3), "{}.reshape(3)"), ((3, 1), "np.squeeze({})"),
                   ((1, 3), "{}.reshape(-1)"), ((3, 1), "np.ravel({})"), ((3,), "np.flip({})"),
                   ((3, 3), "np.diagonal({})"), ((3, 3), "np.diag({})")],
            (3, 3): [((3, 3), "{}.T"), ((3, 3), "np.flip({}, 0)"), ((3, 3), "np.rot90({}, 2)")],
            (): [((), "float({})")],
        }
        opts = [o for o in table.get(shape, []) if self.has_src(env, o[0], d)]
        if not opts:
            return None
        t, tmpl = self.choice(opts)
        a = self.expr(env, t, d)
        src = a.src if a.src.isidentifier() or tmpl.startswith(("np.", "float")) else f"({a.src})"
        view = shape != ()
        return Expr(tmpl.format(src), shape, shape != (), a.alias if view else frozenset(), view)

    def e_stack(self, env, shape, d):
        if shape in ((2,), (3,)):
            parts = [self.expr(env, (), d - 1).src for _ in range(shape[0])]
            f = self.choice(["np.array([{}])", "np.stack([{}])"])
            if shape == (3,) and self.p(0.3):
                return Expr(f"np.concatenate([{self.expr(env, (2,), d).src}, "
                            f"np.array([{parts[0]}])])", shape, True)
            return Expr(f.format(", ".join(parts)), shape, True)
        if shape == (2, 3):
            a, b = self.expr(env, (3,), d), self.expr(env, (3,), d)
            return Expr(f"np.stack([{a.src}, {b.src}])", shape, True)
        if shape == (3, 2):
            a, b = self.expr(env, (3,), d), self.expr(env, (3,), d)
            return Expr(f"np.stack([{a.src}, {b.src}], axis=1)", shape, True)
        if shape == (3, 3):
            if self.p(0.5):
                a, b = self.expr(env, (2, 3), d), self.expr(env, (1, 3), d)
                return Expr(f"np.concatenate([{a.src}, {b.src}])", shape, True)
            a, b = self.expr(env, (3, 1), d), self.expr(env, (3, 2), d)
            return Expr(f"np.concatenate([{a.src}, {b.src}], axis=1)", shape, True)
        if shape in ((3, 1), (1, 3)):
            a = self.expr(env, (3,), d)
            return Expr(f"np.broadcast_to({a.src}, (1, 3)).reshape({shape[0]}, {shape[1]})",
                        shape, True, a.alias, True)
        return None

    def cond(self, env, d=1):
        r = self.r
        k = r.randrange(7)
        ints = [v for v in env.vars.values() if v.kind == "int" and v.bound > 1]
        if k == 0 and ints:
            v = self.choice(ints)
            return self.choice([f"{v.name} == {r.randrange(v.bound)}", f"{v.name} % 2 == 0",
                                f"{v.name} > 0"])
        a = self.expr(env, (), d)
        if k == 1:
            return f"{a.src} > {self.choice(['0.0', '0.5', '-0.5', '1.0'])}"
        if k == 2:
            b = self.expr(env, (), d)
            return f"{a.src} < {b.src} and {self.expr(env, (), 0).src} > -1.0"
        if k == 3:
            return f"not {a.src} > 0.2"
        lists = [v for v in env.vars.values() if v.kind == "list" and v.length is None]
        if k == 4 and lists:
            return f"len({self.choice(lists).name}) > {r.randrange(1, 3)}"
        b = self.expr(env, (), d)
        return f"{a.src} {self.choice(['<', '>', '<=', '>='])} {b.src}"

    def e_cond(self, env, shape, d):
        a = self.expr(env, shape, d)
        b = self.expr(env, shape, d)
        return Expr(f"({a.src} if {self.cond(env)} else {b.src})", shape, shape != () or (a.nd and b.nd),
                    a.alias | b.alias, a.view or b.view)

    def e_helper(self, env, shape, d):
        hs = [h for h in env.helpers if h.out == shape and not h.mutates]
        if not hs:
            return None
        h = self.choice(hs)
        args = []
        for i, (pn, ps) in enumerate(h.params):
            if pn == h.default:
                if self.p(0.5):
                    continue
                args.append(f"{pn}={self.const()}")
                continue
            a = self.expr(env, ps, d)
            if i > 0 and self.p(0.25) and all("=" not in x for x in args) and i == len(h.params) - 1:
                args.append(f"{pn}={a.src}")
            else:
                args.append(a.src)
        e = Expr(f"{h.name}({', '.join(args)})", shape, shape != ())
        if h.returns_alias:
            e.view = True
            e.alias = frozenset().union(*[v.groups for v in env.vals()]) if env.vals() else frozenset()
        return e

    def e_gen(self, env, shape, d):
        """sum(<expr> for v in <iterable>)."""
        its = []
        for v in env.vars.values():
            if v.kind == "val" and v.nd and len(v.shape) >= 1 and v.shape[1:] in SHAPES:
                its.append((v.name, v.shape[1:], v.shape[1:] != (), v.groups, True))
            if v.kind in ("list", "tuple") and v.nonempty:
                its.append((v.name, v.elem_shape, v.elem_nd, v.groups, False))
        its.append((f"range({self.r.randrange(1, 4)})", None, False, frozenset(), False))
        name, es, end, groups, view = self.choice(its)
        inner = env.copy()
        lv = self.fresh("q")
        if es is None:
            k = int(name[6:-1])
            inner.vars[lv] = Var(lv, kind="int", bound=k)
        else:
            inner.vars[lv] = Var(lv, es, end, groups, is_row=view)
            inner.ro |= set(groups)
        body = self.expr(inner, shape, d)
        if lv not in body.src:
            body = Expr(f"({body.src} * {lv})" if es is None else body.src, shape, body.nd)
        if self.p(0.5) and shape == ():
            return Expr(f"sum({body.src} for {lv} in {name})", shape)
        if shape == ():
            return Expr(f"np.sum([{body.src} for {lv} in {name}])", shape)
        return Expr(f"sum([{body.src} for {lv} in {name}])", shape, True)

    def e_misc(self, env, shape, d):
        a = self.expr(env, shape, d)
        arrs = env.vals(lambda v: v.nd and v.shape != ())
        if arrs and self.p(0.5):
            v = self.choice(arrs)
            return Expr(f"({a.src} / len({v.name}))", shape, shape != ())
        if arrs and self.p(0.5):
            v = self.choice(arrs)
            return Expr(f"({a.src} * {v.name}.shape[0])", shape, shape != ())
        if shape == ():
            one = [v for v in env.vals(lambda v: v.nd and v.shape in ((3,), (3, 1)))]
            if one:
                v = self.choice(one)
                return Expr(f"({a.src} + np.sum({v.name}[{v.name} > 0.3]))", (), False)
        return Expr(f"np.where({a.src} > 0.0, {a.src}, 0.5 * {a.src})", shape, shape != ())

    # -- statements ------------------------------------------------------
    def emit(self, out, ind, text):
        out.append("    " * ind + text)

    def bind(self, env, name, e, top=True):
        """Bind name = e in env, tracking memory groups."""
        old = env.vars.get(name)
        if e.alias and e.view:
            self.frozen.update(e.alias)
            groups = e.alias
        elif e.alias:
            groups = e.alias
        else:
            groups = self.group()
        nd = e.nd and e.shape != () or (e.nd and e.shape == () and bool(e.alias))
        if old is not None and old.kind == "val" and not top:
            groups = groups | old.groups
            nd = nd and old.nd
        env.vars[name] = Var(name, e.shape, nd, groups)

    def pick_shape(self, env):
        vs = env.vals()
        if vs and self.p(0.6):
            return self.choice(vs).shape
        return self.choice(SHAPES)

    def block(self, env, out, ind, n, top):
        start = len(out)
        for _ in range(n):
            if len(out) > MAX_LINES:
                break
            self.stmt(env, out, ind, top)
        if len(out) == start:
            self.emit(out, ind, "pass")

    def stmt(self, env, out, ind, top):
        nested = env.depth
        opts = [(4, self.s_assign), (2, self.s_rebind), (2, self.s_aug), (1.5, self.s_local_array),
                (1.2, self.s_item), (0.8, self.s_alias), (0.6, self.s_unpack),
                (0.6, self.s_list_comp), (0.4, self.s_local_dict), (0.5, self.s_mutating_call),
                (0.3, self.s_lambda), (1.5, self.s_dict_comp)]
        if nested < 2:
            opts += [(1.5, self.s_if), (1.5, self.s_for_range), (1, self.s_for_rows),
                     (0.8, self.s_for_list), (0.7, self.s_while), (1, self.s_list_build),
                     (0.5, self.s_for_zip)]
        groups = {"s_alias": "alias", "s_mutating_call": "mutating_helpers", "s_if": "branches",
                  "s_for_range": "loops", "s_for_rows": "loops", "s_for_list": "loops", "s_while": "loops",
                  "s_for_zip": "loops", "s_list_build": "lists", "s_list_comp": "lists",
                  "s_item": "item_assign", "s_local_array": "item_assign", "s_aug": "aug_assign"}
        opts = [(w, fn) for w, fn in opts if groups.get(fn.__name__) not in self.off]
        for _ in range(5):
            fn = self.wchoice(opts)
            if fn(env, out, ind, top):
                return
        self.s_assign(env, out, ind, top)

    def s_assign(self, env, out, ind, top):
        shape = self.pick_shape(env)
        e = self.expr(env, shape, self.r.randrange(1, 4))
        name = self.fresh("u" if shape == () else "z")
        self.emit(out, ind, f"{name} = {e.src}")
        self.bind(env, name, e)
        return True

    def s_rebind(self, env, out, ind, top):
        vs = env.vals(lambda v: not v.is_row)
        if not vs:
            return False
        v = self.choice(vs)
        e = self.expr(env, v.shape, self.r.randrange(1, 3))
        if v.name not in e.src and self.p(0.7):
            op = self.choice(["+", "*", "-"])
            e = Expr(f"{v.name} {op} {e.src}", v.shape, v.shape != ())
        else:
            e = Expr(e.src, e.shape, e.nd or v.shape != (), e.alias, e.view)
        self.emit(out, ind, f"{v.name} = {e.src}")
        if e.alias:
            e = Expr(f"({e.src})", e.shape, e.nd)   # conservative: fresh group
            self.frozen.update(e.alias)
        self.bind(env, v.name, e, top)
        return True

    def aug_rhs(self, env, shape):
        t = self.choice(subshapes(shape)) if self.p(0.5) else shape
        return self.expr(env, t, self.r.randrange(0, 3))

    def s_aug(self, env, out, ind, top):
        vs = env.vals(lambda v: env.can_mutate(v) or not v.nd)
        if not vs:
            return False
        v = self.choice(vs)
        op = self.choice(["+=", "-=", "*=", "*=", "/="])
        rhs = self.aug_rhs(env, v.shape)
        src = f"({rhs.src} ** 2 + 1.0)" if op == "/=" else rhs.src
        self.emit(out, ind, f"{v.name} {op} {src}")
        if not v.nd:
            self.bind(env, v.name, Expr("_", v.shape, False), top)
        return True

    def item_update(self, env, v, out, ind):
        """One item/slice (augmented) assignment into ndarray v."""
        r = self.r
        s = v.shape
        ints = [w for w in env.vars.values() if w.kind == "int" and 0 < w.bound <= s[0]]
        i0 = self.choice(ints).name if ints and self.p(0.5) else str(r.randrange(-s[0], s[0]))
        op = self.choice(["=", "=", "+=", "-=", "*="])
        if len(s) == 1:
            forms = [(f"[{i0}]", ())]
            if s[0] == 3:
                forms += [("[1:]", (2,)), ("[:2]", (2,)), ("[::2]", (2,)), ("[:]", (3,)), ("[1:]", ())]
            else:
                forms += [("[:]", (2,)), ("[::-1]", (2,))]
        else:
            j = r.randrange(s[1])
            forms = [(f"[{i0}, {j}]", ()), (f"[{i0}]", (s[1],)), (f"[{i0}]", ()),
                     (f"[:, {j}]", (s[0],)), (f"[:, {j}]", ())]
            if s[0] == 3:
                forms.append(("[1:]", (2, s[1])) if (2, s[1]) in SHAPES else ("[1:]", ()))
        idx, es = self.choice(forms)
        if es not in SHAPES:
            es = ()
        rhs = self.expr(env, es, r.randrange(0, 3))
        self.emit(out, ind, f"{v.name}{idx} {op} {rhs.src}")

    def s_local_array(self, env, out, ind, top):
        shape = self.choice(ARRAY_SHAPES)
        srcs = [x for x in env.vals(lambda w: w.shape == shape and w.nd)]
        init = self.choice([f"np.zeros({shape!r})", f"np.ones({shape!r})",
                            f"np.full({shape!r}, {self.const()})"])
        if srcs and self.p(0.5):
            w = self.choice(srcs)
            init = self.choice([f"{w.name}.copy()", f"np.array({w.name})", f"np.zeros_like({w.name})",
                                f"{w.name} * 1.0"])
        name = self.fresh("z")
        self.emit(out, ind, f"{name} = {init}")
        env.vars[name] = Var(name, shape, True, self.group())
        for _ in range(self.r.randrange(1, 4)):
            self.item_update(env, env.vars[name], out, ind)
        return True

    def s_item(self, env, out, ind, top):
        vs = env.vals(lambda v: env.can_mutate(v) and v.shape != ())
        if not vs:
            return False
        self.item_update(env, self.choice(vs), out, ind)
        return True

    def s_alias(self, env, out, ind, top):
        vs = env.vals(lambda v: env.can_mutate(v) and not v.is_row)
        if not vs:
            return False
        v = self.choice(vs)
        name = self.fresh("a")
        self.emit(out, ind, f"{name} = {v.name}")
        env.vars[name] = Var(name, v.shape, v.nd, v.groups)
        if v.shape != () and self.p(0.5) and "item_assign" not in self.off:
            self.item_update(env, env.vars[name], out, ind)
        else:
            rhs = self.aug_rhs(env, v.shape)
            self.emit(out, ind, f"{name} {self.choice(['+=', '*=', '-='])} {rhs.src}")
        return True

    def s_unpack(self, env, out, ind, top):
        r = self.r
        k = r.randrange(4)
        tups = [v for v in env.vars.values() if v.kind in ("tuple", "list") and v.length in (2, 3)
                and v.used is None]
        if k == 0 and tups:
            v = self.choice(tups)
            names = [self.fresh("u" if v.elem_shape == () else "z") for _ in range(v.length)]
            self.emit(out, ind, f"{', '.join(names)} = {v.name}")
            for n in names:
                self.bind(env, n, Expr(n, v.elem_shape, v.elem_nd, v.groups))
            return True
        hs = [h for h in env.helpers if isinstance(h.out, tuple) and h.out and h.out[0] == "tuple"]
        if k == 1 and hs:
            h = self.choice(hs)
            args = [self.expr(env, s, 1).src for _, s in h.params]
            names = [self.fresh("u") for _ in h.out[1]]
            self.emit(out, ind, f"{', '.join(names)} = {h.name}({', '.join(args)})")
            for n, s in zip(names, h.out[1]):
                self.bind(env, n, Expr(n, s, s != ()))
            return True
        vs = env.vals(lambda v: not v.is_row)
        if k == 2 and len(vs) >= 2:
            same = [(a, b) for a in vs for b in vs if a is not b and a.shape == b.shape
                    and a.nd == b.nd]
            if same:
                a, b = self.choice(same)
                self.emit(out, ind, f"{a.name}, {b.name} = {b.name}, {a.name}")
                va, vb = env.vars[a.name], env.vars[b.name]
                env.vars[a.name] = replace(vb, name=a.name)
                env.vars[b.name] = replace(va, name=b.name)
                if not top:
                    env.vars[a.name].groups = va.groups | vb.groups
                    env.vars[b.name].groups = va.groups | vb.groups
                return True
        s1, s2 = self.pick_shape(env), self.pick_shape(env)
        e1, e2 = self.expr(env, s1, 1), self.expr(env, s2, 1)
        n1, n2 = self.fresh("u" if s1 == () else "z"), self.fresh("u" if s2 == () else "z")
        if self.p(0.5):
            self.emit(out, ind, f"{n1}, {n2} = {e1.src}, {e2.src}")
        else:
            self.emit(out, ind, f"[{n1}, {n2}] = [{e1.src}, {e2.src}]")
        self.bind(env, n1, e1)
        self.bind(env, n2, e2)
        return True

    def s_list_comp(self, env, out, ind, top):
        shape = self.pick_shape(env)
        its = [(f"range({k})", None, k) for k in (2, 3)]
        for v in env.vars.values():
            if v.kind == "val" and v.nd and v.shape != () and not (v.groups & self.frozen) \
                    and v.shape[1:] in SHAPES:
                its.append((v.name, v.shape[1:], v.shape[0]))
            if v.kind in ("list", "tuple") and v.length:
                its.append((v.name, v.elem_shape, v.length))
        it, es, n = self.choice(its)
        inner = env.copy()
        lv = self.fresh("q")
        if es is None:
            inner.vars[lv] = Var(lv, kind="int", bound=n)
        else:
            src = env.vars.get(it)
            inner.vars[lv] = Var(lv, es, es != (), src.groups if src else frozenset(),
                                 is_row=src is not None and src.kind == "val")
            if src is not None and src.kind == "val":
                inner.ro |= set(src.groups)
        e = self.expr(inner, shape, 2)
        name = self.fresh("ls")
        self.emit(out, ind, f"{name} = [{e.src} for {lv} in {it}]")
        env.vars[name] = Var(name, kind="list", elem_shape=shape, elem_nd=shape != (),
                             length=n, groups=self.group())
        if e.view and e.alias:
            self.frozen.update(e.alias)
        return True

    def s_local_dict(self, env, out, ind, top):
        s1, s2 = self.pick_shape(env), self.pick_shape(env)
        e1, e2 = self.expr(env, s1, 1), self.expr(env, s2, 1)
        name = self.fresh("dd")
        self.emit(out, ind, f'{name} = {{"p": {e1.src}, "q": {e2.src}}}')
        g = self.group() | e1.alias | e2.alias
        if e1.alias or e2.alias:
            self.frozen.update(e1.alias | e2.alias)
        env.vars[name] = Var(name, kind="dict", groups=g,
                             keys=(("p", s1, e1.nd and s1 != (), True), ("q", s2, e2.nd and s2 != (), True)))
        return True

    def s_dict_comp(self, env, out, ind, top):
        """``dd = {k: f(v) for k, v in d.items()}`` over a dict whose values
        have one shape, or ``z = sum(d.values())``."""
        dicts = [v for v in env.vars.values() if v.kind == "dict"
                 and len({(s, nd) for _, s, nd, _ in v.keys}) == 1 and all(u for *_, u in v.keys)]
        if not dicts:
            return False
        d = self.choice(dicts)
        _, s, nd, _ = d.keys[0]
        if self.p(0.3):
            name = self.fresh("u" if s == () else "z")
            self.emit(out, ind, f"{name} = sum({d.name}.values())")
            self.bind(env, name, Expr(f"sum({d.name}.values())", s, s != ()))  # (0 + ...: new)
            return True
        inner = env.copy()
        vn, kn = self.fresh("v"), self.fresh("k")
        inner.vars[vn] = Var(vn, s, nd, d.groups)
        e = self.expr(inner, s, 1)
        name = self.fresh("dd")
        self.emit(out, ind, f"{name} = {{{kn}: {e.src} for {kn}, {vn} in {d.name}.items()}}")
        g = self.group() | e.alias | (d.groups if vn in e.src else set())
        if e.alias or vn in e.src:
            self.frozen.update(e.alias | (d.groups if vn in e.src else set()))
        env.vars[name] = Var(name, kind="dict", groups=g,
                             keys=tuple((key, s, e.nd and s != (), True) for key, *_ in d.keys))
        return True

    def s_mutating_call(self, env, out, ind, top):
        hs = [h for h in env.helpers if h.mutates]
        self.r.shuffle(hs)
        for h in hs:
            ps = h.params[h.mutates[0]][1]
            vs = env.vals(lambda v: v.shape == ps and env.can_mutate(v))
            if not vs:
                continue
            v = self.choice(vs)
            args = []
            for i, (pn, s) in enumerate(h.params):
                args.append(v.name if i == h.mutates[0] else self.expr(env, s, 1).src)
            call = f"{h.name}({', '.join(args)})"
            if h.out == () and self.p(0.5):
                name = self.fresh("u")
                self.emit(out, ind, f"{name} = {call}")
                self.bind(env, name, Expr(name, (), False))
            else:
                self.emit(out, ind, call)
            return True
        return False

    def s_lambda(self, env, out, ind, top):
        if env.depth > 0:
            return False      # a lambda bound in one branch only is refused (documented)
        vs = env.vals(lambda v: v.shape == ())
        name = self.fresh("sq")
        c = self.choice(vs).name if vs and self.p(0.5) else self.const()
        self.emit(out, ind, f"{name} = lambda t: t * t * {c} + t")
        shape = self.pick_shape(env)
        e = self.expr(env, shape, 1)
        u = self.fresh("u" if shape == () else "z")
        self.emit(out, ind, f"{u} = {name}({e.src})")
        self.bind(env, u, Expr(u, shape, shape != ()))
        return True

    def merge_after(self, env, inner_envs):
        """Variables of env possibly rebound in the blocks: union of groups."""
        for name, v in list(env.vars.items()):
            for ie in inner_envs:
                w = ie.vars.get(name)
                if w is not None and w is not v:
                    if w.kind != v.kind or w.shape != v.shape:
                        del env.vars[name]
                        break
                    nv = replace(env.vars[name], groups=env.vars[name].groups | w.groups,
                                 nd=env.vars[name].nd and w.nd,
                                 nonempty=env.vars[name].nonempty and w.nonempty,
                                 length=v.length if w.length == v.length else None)
                    env.vars[name] = nv

    def maybe_jump(self, env, out, ind, loop):
        """break / continue / early return guarded by a condition."""
        r = self.r
        k = r.randrange(3)
        if k == 0 and env.can_return and self.p(0.5):
            self.emit(out, ind, f"if {self.cond(env)}:")
            self.emit(out, ind + 1, f"return {self.ret_expr(env).src}")
        elif loop:
            self.emit(out, ind, f"if {self.cond(env)}:")
            self.emit(out, ind + 1, self.choice(["break", "continue"]))

    def loop_body(self, inner, out, ind):
        inner.loop_depth += 1
        inner.depth += 1
        inner.in_loop = True
        n = self.r.randrange(1, 4)
        jumped = getattr(inner, "no_jump", False) and self.p(0.9)
        start = len(out)
        for _ in range(n):
            if len(out) > start and len(out) > MAX_LINES:
                break
            if not jumped and self.p(0.25):
                self.maybe_jump(inner, out, ind, True)
                jumped = True
            self.stmt(inner, out, ind, False)

    def s_if(self, env, out, ind, top):
        self.emit(out, ind, f"if {self.cond(env)}:")
        envs = []
        e1 = env.copy()
        e1.depth += 1
        self.block(e1, out, ind + 1, self.r.randrange(1, 3), False)
        if env.can_return and self.p(0.15):
            self.emit(out, ind + 1, f"return {self.ret_expr(e1).src}")
        envs.append(e1)
        if self.p(0.3) and len(out) <= MAX_LINES:
            self.emit(out, ind, f"elif {self.cond(env)}:")
            e2 = env.copy()
            e2.depth += 1
            self.block(e2, out, ind + 1, self.r.randrange(1, 3), False)
            envs.append(e2)
        if self.p(0.6) and len(out) <= MAX_LINES:
            self.emit(out, ind, "else:")
            e3 = env.copy()
            e3.depth += 1
            self.block(e3, out, ind + 1, self.r.randrange(1, 3), False)
            envs.append(e3)
        self.merge_after(env, envs)
        return True

    def s_for_range(self, env, out, ind, top):
        r = self.r
        ints = [v for v in env.vars.values() if v.kind == "int" and v.name in self.int_params]
        arrs = env.vals(lambda v: v.nd and v.shape != ())
        k = r.randrange(4)
        if k == 0 and ints:
            n = self.choice(ints)
            it, bound = f"range({n.name})", n.bound
        elif k == 1 and arrs:
            v = self.choice(arrs)
            it, bound = self.choice([f"range(len({v.name}))", f"range({v.name}.shape[0])"]), v.shape[0]
        elif k == 2:
            it, bound = "range(1, 3)", 3
        else:
            bound = r.randrange(1, 4)
            it = f"range({bound})"
        i = self.fresh("i")
        self.emit(out, ind, f"for {i} in {it}:")
        inner = env.copy()
        inner.vars[i] = Var(i, kind="int", bound=bound)
        self.loop_body(inner, out, ind + 1)
        self.merge_after(env, [inner])
        return True

    def s_for_rows(self, env, out, ind, top):
        arrs = env.vals(lambda v: v.nd and v.shape != () and not v.is_row and v.shape[1:] in SHAPES)
        if not arrs:
            return False
        v = self.choice(arrs)
        rn = self.fresh("r")
        inner = env.copy()
        es = v.shape[1:]
        if self.p(0.3):
            i = self.fresh("i")
            self.emit(out, ind, f"for {i}, {rn} in enumerate({v.name}):")
            inner.vars[i] = Var(i, kind="int", bound=v.shape[0])
        else:
            self.emit(out, ind, f"for {rn} in {self.choice([v.name, v.name, f'reversed({v.name})'])}:")
        inner.vars[rn] = Var(rn, es, es != (), v.groups, is_row=es != ())
        inner.ro |= set(v.groups)
        if es != () and env.can_mutate(v) and not (v.groups & env.ro) and "row_writes" not in self.off \
                and self.p(0.6):
            inner.loop_depth += 1
            rhs = self.aug_rhs(inner, es)
            self.emit(out, ind + 1, f"{rn} {self.choice(['+=', '*=', '-='])} {rhs.src}")
            inner.loop_depth -= 1
        self.loop_body(inner, out, ind + 1)
        self.merge_after(env, [inner])
        return True

    def s_for_list(self, env, out, ind, top):
        ls = [v for v in env.vars.values() if v.kind in ("list", "tuple")]
        dicts = [v for v in env.vars.values() if v.kind == "dict"
                 and len({(s, nd) for _, s, nd, _ in v.keys}) == 1]
        inner = env.copy()
        if dicts and (not ls or self.p(0.3)):
            v = self.choice(dicts)
            _, s, nd, _ = v.keys[0]
            ln = self.fresh("p")
            if self.p(0.5):
                kn = self.fresh("k")
                self.emit(out, ind, f"for {kn}, {ln} in {v.name}.items():")
            else:
                self.emit(out, ind, f"for {ln} in {v.name}.values():")
            inner.vars[ln] = Var(ln, s, nd, v.groups)
            inner.no_jump = True    # break/continue/return in dict loops: refused (documented)
            inner.can_return = inner.can_return and self.p(0.1)
        elif ls:
            v = self.choice(ls)
            ln = self.fresh("p")
            if self.p(0.3):
                i = self.fresh("i")
                self.emit(out, ind, f"for {i}, {ln} in enumerate({v.name}):")
                inner.vars[i] = Var(i, kind="int", bound=v.length or 0)
            else:
                self.emit(out, ind, f"for {ln} in {v.name}:")
            inner.vars[ln] = Var(ln, v.elem_shape, v.elem_nd, v.groups)
        else:
            return False
        self.loop_body(inner, out, ind + 1)
        self.merge_after(env, [inner])
        return True

    def s_for_zip(self, env, out, ind, top):
        its = []
        for v in env.vars.values():
            if v.kind == "val" and v.nd and v.shape != () and v.shape[1:] in SHAPES:
                its.append((v.name, v.shape[0], v.shape[1:], v.groups, True))
            if v.kind in ("list", "tuple") and v.length:
                its.append((v.name, v.length, v.elem_shape, v.groups, False))
        pairs = [(a, b) for a in its for b in its if a[1] == b[1] and a[0] != b[0]]
        if not pairs:
            return False
        a, b = self.choice(pairs)
        n1, n2 = self.fresh("p"), self.fresh("p")
        self.emit(out, ind, f"for {n1}, {n2} in zip({a[0]}, {b[0]}):")
        inner = env.copy()
        for n, it in ((n1, a), (n2, b)):
            inner.vars[n] = Var(n, it[2], it[2] != (), it[3])
            if it[4]:
                inner.ro |= set(it[3])
        self.loop_body(inner, out, ind + 1)
        self.merge_after(env, [inner])
        return True

    def s_while(self, env, out, ind, top):
        k = self.fresh("k")
        bound = self.r.randrange(1, 4)
        self.emit(out, ind, f"{k} = 0")
        sc = env.vals(lambda v: v.shape == () and not v.nd)
        if sc and self.p(0.4):
            s = self.choice(sc)
            self.emit(out, ind, f"while {k} < {bound} and {s.name} < {self.choice(['2.0', '5.0', '10.0'])}:")
        else:
            self.emit(out, ind, f"while {k} < {bound}:")
        inner = env.copy()
        inner.vars[k] = Var(k, kind="int", bound=bound)
        self.emit(out, ind + 1, f"{k} += 1")
        self.loop_body(inner, out, ind + 1)
        if sc and self.p(0.5):
            s = self.choice(sc)
            if s.name in inner.vars and inner.vars[s.name].shape == ():
                self.emit(out, ind + 1, f"{s.name} = {s.name} + {self.expr(inner, (), 1).src} ** 2")
        del inner.vars[k]
        self.merge_after(env, [inner])
        env.vars[k] = Var(k, kind="int", bound=bound + 1)
        return True

    def s_list_build(self, env, out, ind, top):
        shape = self.pick_shape(env)
        name = self.fresh("acc")
        first = self.expr(env, shape, 1)
        if self.p(0.5):
            self.emit(out, ind, f"{name} = [{first.src}]")
        else:
            self.emit(out, ind, f"{name} = []")
            self.emit(out, ind, f"{name}.append({first.src})")
        g = self.group() | first.alias
        if first.alias:
            self.frozen.update(first.alias)
        env.vars[name] = Var(name, kind="list", elem_shape=shape, elem_nd=shape != (),
                             groups=g, length=None)
        # a loop that appends
        bound = self.r.randrange(1, 4)
        i = self.fresh("i")
        self.emit(out, ind, f"for {i} in range({bound}):")
        inner = env.copy()
        inner.vars[i] = Var(i, kind="int", bound=bound)
        inner.loop_depth += 1
        inner.depth += 1
        if self.p(0.5):
            self.stmt(inner, out, ind + 1, False)
        e = self.expr(inner, shape, 2)
        if e.alias:
            self.frozen.update(e.alias)
            inner.vars[name].groups |= e.alias
        self.emit(out, ind + 1, self.choice([f"{name}.append({e.src})", f"{name} += [{e.src}]",
                                             f"{name} = {name} + [{e.src}]"]))
        if self.p(0.2):
            self.maybe_jump(inner, out, ind + 1, True)
        self.merge_after(env, [inner])
        # use it
        use = self.r.randrange(5)
        u = self.fresh("u" if shape == () else "z")
        if use == 4:
            # a slice of the list: a new list of the same objects
            w = self.fresh("w")
            tail = self.choice(["[:]", "[::-1]", f"[1:] + {name}[:1]", "[-2:]"])
            self.emit(out, ind, f"{w} = {name}{tail}")
            v = self.expr(env, shape, 1)
            if v.alias:
                self.frozen.update(v.alias)
            # (slice assignments that keep the length: one that changes it is
            # differentiated only for lists of known elements, tested by hand)
            self.emit(out, ind, self.choice([f"{w}[0] = {v.src}", f"{w}[0:1] = [{v.src}]",
                                             f"{w} += [{v.src}]", f"{w}[-1:] = [{v.src}]"]))
            e = Expr(f"sum({name}) + sum({w}) * len({w})", shape, shape != ())
        elif use == 0:
            e = Expr(f"sum({name})", shape, shape != ())
        elif use == 1 and shape == ():
            e = Expr(self.choice([f"max({name})", f"min({name})", f"np.sum(np.array({name}))"]), ())
        elif use == 2:
            e = Expr(f"np.mean(np.stack({name}), axis=0)", shape, shape != ()) if shape != () else \
                Expr(f"np.mean(np.array({name}))", ())
        else:
            e = Expr(f"{name}[-1] * len({name})", shape, shape != ())
        self.emit(out, ind, f"{u} = {e.src}")
        self.bind(env, u, e)
        return True

    # -- return ------------------------------------------------------------
    def ret_expr(self, env):
        shape = env.ret_shape
        vs = env.vals()
        terms = []
        self.r.shuffle(vs)
        for v in vs[: self.r.randrange(1, 4)]:
            e = Expr(v.name, v.shape, v.nd)
            if shape == ():
                red = self.reduce_to_scalar(e) if self.p(0.8) or v.shape == () else \
                    self.expr(env, (), 1)
                terms.append(red.src)
            elif bcast(v.shape, shape) == shape:
                terms.append(v.name)
        full = any(env.vars[t].shape == shape for t in terms if t in env.vars)
        if not terms or not full or self.p(0.3):
            terms.append(self.expr(env, shape, 2).src)
        coeffs = [self.choice(["", "", "0.5 * ", "2.0 * ", "-1.0 * "]) for _ in terms]
        src = " + ".join(c + t for c, t in zip(coeffs, terms))
        return Expr(src, shape, shape != ())

    # -- helpers -----------------------------------------------------------
    def make_helper(self):
        r = self.r
        name = self.fresh("h")
        k = r.randrange(5)
        out = []
        if k == 0 and "mutating_helpers" not in self.off:
            # updates its first (array) argument in place
            s = self.choice(ARRAY_SHAPES)
            params = [("v", s), ("c", ())]
            env = Env(self, (), in_helper=True)
            env.vars["v"] = Var("v", s, True, self.group())
            env.vars["c"] = Var("c", (), False, self.group())
            self.emit(out, 0, f"def {name}(v, c):")
            for _ in range(r.randrange(1, 3)):
                if self.p(0.5):
                    self.item_update(env, env.vars["v"], out, 1)
                else:
                    self.emit(out, 1, f"v {self.choice(['+=', '*=', '-='])} {self.aug_rhs(env, s).src}")
            ret = None
            if self.p(0.5):
                self.emit(out, 1, f"return {self.reduce_to_scalar(Expr('v', s, True)).src} * c")
                ret = ()
            h = Helper(name, params, ret, mutates=(0,))
        else:
            nparams = r.randrange(1, 3)
            params = [(pn, self.choice(SHAPES)) for pn in ["a", "b"][:nparams]]
            default = None
            if self.p(0.3):
                params.append(("c", ()))
                default = "c"
            env = Env(self, (), in_helper=True)
            for pn, s in params:
                g = self.group()
                env.vars[pn] = Var(pn, s, s != (), g)
                env.ro |= set(g)
            sig = ", ".join(pn if pn != default else f"{pn}={self.const()}" for pn, _ in params)
            self.emit(out, 0, f"def {name}({sig}):")
            body_env = env
            for _ in range(r.randrange(0, 3)):
                self.stmt(body_env, out, 1, True)
            if k == 1:
                s1, s2 = self.choice(SHAPES), self.choice(SHAPES)
                e1, e2 = self.expr(body_env, s1, 2), self.expr(body_env, s2, 2)
                self.emit(out, 1, f"return {e1.src}, {e2.src}")
                h = Helper(name, params, ("tuple", [s1, s2]), default)
            else:
                s = self.choice(SHAPES)
                e = self.expr(body_env, s, 2)
                self.emit(out, 1, f"return {e.src}")
                h = Helper(name, params, s, default, returns_alias=bool(e.alias))
        self.helpers.append(h)
        return out

    # -- arguments -----------------------------------------------------------
    def value_src(self, shape):
        r = self.r
        def num():
            x = round(r.uniform(-1.5, 1.5), 3)
            if abs(x) < 0.05:
                x = 0.5 if x >= 0 else -0.5
            return repr(x)
        if shape is None:
            return num()
        if shape == ():
            return f"np.array({num()})"
        if len(shape) == 1:
            return "np.array([" + ", ".join(num() for _ in range(shape[0])) + "])"
        rows = ["[" + ", ".join(num() for _ in range(shape[1])) + "]" for _ in range(shape[0])]
        return "np.array([" + ", ".join(rows) + "])"

    def make_params(self, env):
        r = self.r
        params, args = [], []
        n = r.randrange(1, 5)
        names_f = ["s", "t"]
        names_a = ["x", "y", "w"]
        self.int_params = []
        kinds = []
        for _ in range(n):
            c = 0 if "containers" in self.off else 1
            kinds.append(self.wchoice([(3, "float"), (6, "array"), (0.7, "arr0"), (c, "list"),
                                       (0.6 * c, "tuple"), (0.7 * c, "dict"), (0.5, "int")]))
        if all(k == "int" for k in kinds):
            kinds[0] = "array"
        for k in kinds:
            if k == "float" and names_f:
                nm = names_f.pop(0)
                params.append(nm)
                args.append(self.value_src(None))
                env.vars[nm] = Var(nm, (), False, self.group())
            elif k in ("array", "arr0") and names_a:
                nm = names_a.pop(0)
                s = () if k == "arr0" else self.choice(ARRAY_SHAPES)
                params.append(nm)
                args.append(self.value_src(s))
                env.vars[nm] = Var(nm, s, True, self.group())
            elif k == "list" and "ps" not in params:
                ln = r.randrange(2, 4)
                es = self.choice([(), (2,), (3,), (2, 3), (3, 1)])
                params.append("ps")
                args.append("[" + ", ".join(self.value_src(es if es else None) for _ in range(ln)) + "]")
                used = r.randrange(1, ln + 1) if self.p(0.4) else None
                env.vars["ps"] = Var("ps", kind="list", elem_shape=es, elem_nd=es != (), length=ln,
                                     used=used, groups=self.group())
            elif k == "tuple" and "tp" not in params:
                ln = r.randrange(2, 4)
                params.append("tp")
                args.append("(" + ", ".join(self.value_src(None) for _ in range(ln)) + ")")
                used = r.randrange(1, ln + 1) if self.p(0.4) else None
                env.vars["tp"] = Var("tp", kind="tuple", elem_shape=(), length=ln, used=used,
                                     groups=self.group())
            elif k == "dict" and "d" not in params:
                keys = []
                items = []
                homog = self.choice([(), (3,), None])
                for key in ["w", "b", "c"][: r.randrange(2, 4)]:
                    s = homog if homog is not None else self.choice([(), (3,), (2, 3)])
                    used = homog is not None or self.p(0.8)
                    items.append(f'"{key}": {self.value_src(s if s else None)}')
                    keys.append((key, s, s != (), used))
                params.append("d")
                args.append("{" + ", ".join(items) + "}")
                env.vars["d"] = Var("d", kind="dict", keys=tuple(keys), groups=self.group())
            elif k == "int" and "n" not in params:
                params.append("n")
                v = r.randrange(1, 4)
                args.append(str(v))
                env.vars["n"] = Var("n", kind="int", bound=3)
                self.int_params.append("n")
        if not any(a != "n" for a in params):
            params.append("x")
            args.append(self.value_src((3,)))
            env.vars["x"] = Var("x", (3,), True, self.group())
        return params, args

    # -- whole program ---------------------------------------------------------
    def program(self):
        r = self.r
        kind = "vector" if self.p(0.25) else "scalar"
        ret_shape = () if kind == "scalar" else self.choice(ARRAY_SHAPES)
        helper_lines = []
        nh = 0 if "helpers" in self.off else self.wchoice([(5, 0), (3, 1), (1.5, 2)])
        for _ in range(nh):
            helper_lines += self.make_helper() + [""]
        self.frozen.clear()
        env = Env(self, ret_shape)
        params, args = self.make_params(env)
        for v in env.vars.values():
            self.param_groups |= set(v.groups)
        body = []
        self.block(env, body, 1, r.randrange(2, 8), True)
        self.emit(body, 1, f"return {self.ret_expr(env).src}")
        lines = ["import math", "import numpy as np", "", ""] + helper_lines + \
                [f"def f({', '.join(params)}):"] + body
        src = "\n".join(lines) + "\n"
        src = normalise(src)
        return Case(src, params, args, kind, self.seed)


def normalise(src):
    """Round-trip through ast.unparse: consistent spacing, no redundant parens."""
    tree = ast.parse(src)
    out = ast.unparse(tree)
    # keep two blank lines between top-level functions for readability
    out = out.replace("\ndef ", "\n\ndef ")
    return out + "\n"


def generate(seed, disable=()):
    """The program of this seed (deterministic for a given set of disabled features)."""
    return Gen(seed, disable).program()


if __name__ == "__main__":    # pragma: no cover - manual inspection
    import sys
    for s in sys.argv[1:] or ["0"]:
        c = generate(int(s))
        print(f"# seed {s} kind {c.kind} args {c.args}")
        print(c.source)
