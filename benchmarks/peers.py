"""Optional peer frameworks: autograd, JAX (eager and jit), PyTorch (eager);
and ast_ad's own compiled path (``jit=True``, with Numba) as one more column.

None of them is required.  ``load()`` returns the peers that import, and a
note naming those that do not; run.py then adds one column per loaded peer.

Every peer runs the *same primal source* as ast_ad: ``workloads.py`` is
executed again (see fresh.py) with ``np`` replaced by the framework's NumPy
namespace (autograd.numpy, jax.numpy, or a thin torch adapter below) and
``math`` by a shim that calls the ``math`` function on Python floats (e.g.
``math.sin(t)`` of rk4's time, which is never differentiated) and the
framework's function on anything else.

``Peer.prepare(workload, args)`` returns ``(fn, call_args)``; ``fn(*call_args)``
computes ``(value, gradient)`` (gradient a tuple when wrt is a tuple) and, for
JAX, waits for the result.  Conversion of array inputs to the framework's
type is done once, in ``prepare``, not per call; creating fresh leaf tensors
(torch) is part of each call, as it is for a user.  JAX runs in float64
(jax_enable_x64) so that all contenders compute in the same precision.
"""

import importlib
import importlib.util
import math
import types

import numpy as np

from fresh import fresh_namespace

_MATH_NAMES = ("sin", "cos", "tan", "log", "exp", "sqrt", "tanh")


def math_shim(backend, erf):
    """`math` for a framework: math.f on Python numbers, the framework's f
    on anything else.  `erf` is the framework's error function (it is not in
    its NumPy namespace)."""
    ns = types.SimpleNamespace(pi=math.pi, e=math.e)
    for name in _MATH_NAMES + ("erf",):
        on_float = getattr(math, name)
        on_other = erf if name == "erf" else getattr(backend, name)

        def fn(x, on_float=on_float, on_other=on_other):
            if isinstance(x, (float, int)):
                return on_float(x)
            return on_other(x)

        fn.__name__ = name
        setattr(ns, name, fn)
    return ns


def _wrt_tuple(wrt):
    return wrt if isinstance(wrt, tuple) else (wrt,)


class Peer:
    key = ""        # results.json key
    column = ""     # table column header
    modules = ()    # importable modules needed

    def setup(self):
        """Import and configure; raise if unusable."""

    def prepare(self, workload, args):
        raise NotImplementedError

    def to_numpy(self, x):
        return np.asarray(x, dtype=np.float64)


class AutogradPeer(Peer):
    key, column, modules = "autograd", "autograd ×primal", ("autograd",)

    def setup(self):
        import autograd
        import autograd.numpy as anp
        import autograd.scipy.special as aspecial
        self.autograd, self.anp, self.erf = autograd, anp, aspecial.erf

    def prepare(self, workload, args):
        ns = fresh_namespace({"np": self.anp, "math": math_shim(self.anp, self.erf)})
        f = ns[workload.primal.__name__]
        return self.autograd.value_and_grad(f, argnum=workload.wrt), args


class _JaxBase(Peer):
    modules = ("jax",)

    def setup(self):
        import jax
        jax.config.update("jax_enable_x64", True)
        import jax.numpy as jnp
        import jax.scipy.special as jspecial
        self.jax, self.jnp, self.erf = jax, jnp, jspecial.erf

    def _function(self, workload, args):
        ns = fresh_namespace({"np": self.jnp, "math": math_shim(self.jnp, self.erf)})
        f = ns[workload.primal.__name__]
        call_args = tuple(self.jnp.asarray(a) if isinstance(a, np.ndarray) else a
                          for a in args)
        return f, call_args

    def to_numpy(self, x):
        return np.asarray(x, dtype=np.float64)


class JaxEagerPeer(_JaxBase):
    key, column = "jax_eager", "jax eager ×primal"

    def prepare(self, workload, args):
        f, call_args = self._function(workload, args)
        vg = self.jax.value_and_grad(f, argnums=workload.wrt)
        block = self.jax.block_until_ready

        def fn(*a):
            return block(vg(*a))
        return fn, call_args


class JaxJitPeer(_JaxBase):
    key, column = "jax_jit", "jax jit ×primal"

    def prepare(self, workload, args):
        f, call_args = self._function(workload, args)
        # Python ints (rk4's n_steps) drive Python control flow: static.
        static = tuple(i for i, a in enumerate(args)
                       if isinstance(a, int) and not isinstance(a, bool))
        vg = self.jax.jit(self.jax.value_and_grad(f, argnums=workload.wrt),
                          static_argnums=static)
        block = self.jax.block_until_ready

        def fn(*a):
            return block(vg(*a))
        return fn, call_args


class TorchPeer(Peer):
    key, column, modules = "torch", "torch eager ×primal", ("torch",)

    def setup(self):
        import torch
        torch.set_num_threads(1)
        self.torch = torch
        self.np_adapter = self._numpy_adapter(torch)

    @staticmethod
    def _numpy_adapter(torch):
        """The few NumPy functions the workloads use, in torch terms."""
        f64 = torch.float64

        def _reduce(op):
            def reduce(a, axis=None, keepdims=False):
                if axis is None:
                    return op(a)
                return op(a, dim=axis, keepdim=keepdims)
            return reduce

        def _elementwise(op, on_float):
            def fn(x):
                if isinstance(x, (int, float)):
                    return on_float(x)
                return op(x)
            return fn

        def array(x):
            if isinstance(x, (list, tuple)):
                return torch.stack([array(e) for e in x])
            return torch.as_tensor(x, dtype=f64)

        return types.SimpleNamespace(
            dot=torch.matmul, tanh=torch.tanh, exp=_elementwise(torch.exp, math.exp),
            log=_elementwise(torch.log, math.log), sin=torch.sin, cos=torch.cos,
            sqrt=_elementwise(torch.sqrt, math.sqrt), pi=math.pi,
            sum=_reduce(torch.sum), mean=_reduce(torch.mean),
            max=_reduce(torch.amax),
            zeros=lambda shape: torch.zeros(shape, dtype=f64),
            eye=lambda n: torch.eye(n, dtype=f64),
            array=array,
            linalg=types.SimpleNamespace(inv=torch.linalg.inv, det=torch.linalg.det),
        )

    def prepare(self, workload, args):
        torch = self.torch
        ns = fresh_namespace({"np": self.np_adapter,
                              "math": math_shim(torch, torch.special.erf)})
        f = ns[workload.primal.__name__]
        wrt = _wrt_tuple(workload.wrt)
        single = not isinstance(workload.wrt, tuple)
        def convert(a):
            if isinstance(a, np.ndarray):
                return torch.from_numpy(a)
            if isinstance(a, list) and a and isinstance(a[0], np.ndarray):
                return [torch.from_numpy(e) for e in a]
            return a
        call_args = tuple(convert(a) for a in args)

        def fn(*a):
            a = list(a)
            leaves = []
            groups = []           # per wrt argument: its leaves, or a list of them
            for i in wrt:
                x = a[i]
                if isinstance(x, list) and x and isinstance(x[0], torch.Tensor):
                    leaf = [e.detach().requires_grad_(True) for e in x]
                    leaves.extend(leaf)
                elif isinstance(x, torch.Tensor):
                    leaf = x.detach().requires_grad_(True)
                    leaves.append(leaf)
                elif isinstance(x, list):   # a list of floats: one 0-d leaf each
                    leaf = [torch.tensor(e, dtype=torch.float64, requires_grad=True)
                            for e in x]
                    leaves.extend(leaf)
                    # The function gets clones: `x[i] += ...` on a list element
                    # is in place for a tensor, which autograd forbids on a leaf.
                    a[i] = [e.clone() for e in leaf]
                    groups.append(leaf)
                    continue
                else:                       # a float
                    leaf = torch.tensor(x, dtype=torch.float64, requires_grad=True)
                    leaves.append(leaf)
                a[i] = leaf
                groups.append(leaf)
            out = f(*a)
            flat = iter(torch.autograd.grad(out, leaves))
            grads = tuple([next(flat) for _ in g] if isinstance(g, list) else next(flat)
                          for g in groups)
            return out.detach(), (grads[0] if single else grads)
        return fn, call_args

    def to_numpy(self, x):
        if isinstance(x, self.torch.Tensor):
            x = x.detach().numpy()
        elif isinstance(x, (list, tuple)):
            x = [float(e) for e in x]
        return np.asarray(x, dtype=np.float64)


class AstAdJitPeer(Peer):
    """ast_ad's own compiled path, ``value_and_grad(f, jit=True)`` (Numba),
    in a column beside the peers.  It runs the workload's own function (as
    the ast_ad column does); a list of numbers is passed as a NumPy array
    (compiled code takes numbers and arrays), anything else as it is."""
    key, column, modules = "ast_ad_jit", "ast_ad jit ×primal", ("numba",)

    def setup(self):
        import ast_ad
        self.ast_ad = ast_ad

    def prepare(self, workload, args):
        call_args = tuple(np.array(a, dtype=np.float64) if isinstance(a, list) and a
                          and all(isinstance(v, float) for v in a) else a for a in args)
        return self.ast_ad.value_and_grad(workload.primal, wrt=workload.wrt,
                                          jit=True), call_args


ALL_PEERS = (AutogradPeer, JaxEagerPeer, JaxJitPeer, TorchPeer, AstAdJitPeer)


def load(enabled=True):
    """Return (list of ready Peer objects, list of note strings)."""
    if not enabled:
        return [], ["peers disabled (--no-peers)"]
    ready, missing, broken = [], [], []
    for cls in ALL_PEERS:
        peer = cls()
        if not all(importlib.util.find_spec(m) is not None for m in peer.modules):
            if peer.modules[0] not in missing:
                missing.append(peer.modules[0])
            continue
        try:
            peer.setup()
        except Exception as exc:  # a broken install must not stop the run
            broken.append(f"{peer.key} ({type(exc).__name__}: {exc})")
            continue
        ready.append(peer)
    notes = []
    if missing:
        notes.append("peers not installed, columns omitted: " + ", ".join(missing)
                     + " (optional; `pip install -e .[bench]` for autograd and JAX,"
                       " `pip install torch` for PyTorch)")
    if broken:
        notes.append("peers that failed to import, columns omitted: " + "; ".join(broken))
    return ready, notes
