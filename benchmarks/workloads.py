"""Benchmark workloads for ast_ad.

Each workload is a plain primal function, written the way a NumPy user would
write it, plus a hand-written value-and-gradient that serves as the
reference: the same value, and the gradient computed the way a careful person
would (forward values reused, nothing computed twice).

The module only defines functions: ``run.py`` re-executes this file to get
fresh, never-transformed copies of the primal functions (for the first-call
transformation time) and to run the very same primal source under peer
frameworks (with ``np`` and ``math`` swapped for their equivalents).  Keep
module-level code free of side effects and data.

Every hand-written ``*_vg`` returns ``(value, gradient)``, where gradient is a
tuple when ``wrt`` is a tuple, mirroring ``ast_ad.value_and_grad``.
"""

import math
from dataclasses import dataclass
from typing import Callable, Tuple, Union

import numpy as np


# --------------------------------------------------------------------------
# baydin: the example of Baydin et al., "Automatic differentiation in
# machine learning: a survey": f(x1, x2) = ln(x1) + x1*x2 - sin(x2).

def baydin(x1, x2):
    return math.log(x1) + x1 * x2 - math.sin(x2)


def baydin_vg(x1, x2):
    value = math.log(x1) + x1 * x2 - math.sin(x2)
    return value, (1.0 / x1 + x2, x1 - math.cos(x2))


def baydin_args():
    return (2.0, 5.0)


# --------------------------------------------------------------------------
# poly_horner: p(x) by Horner's rule, coefficients highest degree first
# (numpy.polyval's order), as a Python list of floats.

def horner(coeffs, x):
    result = 0.0
    for c in coeffs:
        result = result * x + c
    return result


def horner_vg(coeffs, x):
    # p' follows the same recurrence: (p*x + c)' = p'*x + p.
    p = 0.0
    dp = 0.0
    for c in coeffs:
        dp = dp * x + p
        p = p * x + c
    return p, dp


def horner_args():
    rng = np.random.default_rng(1)
    coeffs = rng.standard_normal(51).tolist()
    return (coeffs, 0.7)


# --------------------------------------------------------------------------
# rk4: dy/dt = -k*y + sin(t), y(0) = y0, 200 classical Runge-Kutta steps.

def dydt(t, y, k):
    return -k * y + math.sin(t)


def rk4(k, y0, dt, n_steps):
    t = 0.0
    y = y0
    for i in range(n_steps):
        k1 = dydt(t, y, k)
        k2 = dydt(t + dt / 2, y + dt / 2 * k1, k)
        k3 = dydt(t + dt / 2, y + dt / 2 * k2, k)
        k4 = dydt(t + dt, y + dt * k3, k)
        y = y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        t = t + dt
    return y


def rk4_vg(k, y0, dt, n_steps):
    # Two inputs, one output and a long loop: forward sensitivities are the
    # natural hand-written choice (no trajectory to store).  With
    # f = -k*y + sin(t):  df/dy = -k,  df/dk = -y.
    # Suffix _k is d/dk, suffix _y is d/dy0.  Each distinct sin(t) is
    # computed once: sin(t + dt) of one step is sin(t) of the next (the same
    # floating-point t, since the primal also advances t by t = t + dt).
    h2 = dt / 2
    h6 = dt / 6
    t = 0.0
    y = y0
    y_k = 0.0
    y_y = 1.0
    sin_t = math.sin(t)
    for i in range(n_steps):
        sin_mid = math.sin(t + h2)
        sin_end = math.sin(t + dt)

        k1 = -k * y + sin_t
        k1_k = -y - k * y_k
        k1_y = -k * y_y

        u = y + h2 * k1
        u_k = y_k + h2 * k1_k
        u_y = y_y + h2 * k1_y
        k2 = -k * u + sin_mid
        k2_k = -u - k * u_k
        k2_y = -k * u_y

        u = y + h2 * k2
        u_k = y_k + h2 * k2_k
        u_y = y_y + h2 * k2_y
        k3 = -k * u + sin_mid
        k3_k = -u - k * u_k
        k3_y = -k * u_y

        u = y + dt * k3
        u_k = y_k + dt * k3_k
        u_y = y_y + dt * k3_y
        k4 = -k * u + sin_end
        k4_k = -u - k * u_k
        k4_y = -k * u_y

        y = y + h6 * (k1 + 2 * k2 + 2 * k3 + k4)
        y_k = y_k + h6 * (k1_k + 2 * k2_k + 2 * k3_k + k4_k)
        y_y = y_y + h6 * (k1_y + 2 * k2_y + 2 * k3_y + k4_y)
        t = t + dt
        sin_t = sin_end
    return y, (y_k, y_y)


def rk4_args():
    return (0.5, 1.0, 0.01, 200)


# --------------------------------------------------------------------------
# logistic_regression: mean logistic loss with labels in {-1, +1},
# X of 1000 x 20.

def logistic_loss(w, b, X, y):
    z = np.dot(X, w) + b
    return np.mean(np.log(1.0 + np.exp(-y * z)))


def logistic_loss_vg(w, b, X, y):
    z = np.dot(X, w) + b
    e = np.exp(-y * z)
    one_plus_e = 1.0 + e
    value = np.mean(np.log(one_plus_e))
    # dL/dz_i = -y_i * e_i / (1 + e_i) / n
    dz = (-y / len(y)) * (e / one_plus_e)
    return value, (np.dot(dz, X), np.sum(dz))


def logistic_args():
    rng = np.random.default_rng(2)
    n, d = 1000, 20
    X = rng.standard_normal((n, d))
    w_true = rng.standard_normal(d)
    y = np.where(X @ w_true + 0.5 * rng.standard_normal(n) > 0, 1.0, -1.0)
    w = 0.1 * rng.standard_normal(d)
    b = 0.1
    return (w, b, X, y)


# --------------------------------------------------------------------------
# mlp: one tanh hidden layer, softmax cross-entropy against one-hot labels Y,
# mean over the batch.

def mlp_loss(W1, b1, W2, b2, X, Y):
    h = np.tanh(X @ W1 + b1)
    logits = h @ W2 + b2
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.mean(np.sum(Y * log_probs, axis=1))


def mlp_loss_vg(W1, b1, W2, b2, X, Y):
    batch = X.shape[0]
    h = np.tanh(X @ W1 + b1)
    logits = h @ W2 + b2
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    e = np.exp(shifted)
    sum_e = np.sum(e, axis=1, keepdims=True)
    log_probs = shifted - np.log(sum_e)
    value = -np.sum(Y * log_probs) / batch
    # Rows of Y are one-hot (sum to 1), so dL/dlogits = (softmax - Y) / batch.
    d_logits = (e / sum_e - Y) / batch
    d_h = d_logits @ W2.T
    d_pre = d_h * (1.0 - h * h)
    return value, (X.T @ d_pre, np.sum(d_pre, axis=0),
                   h.T @ d_logits, np.sum(d_logits, axis=0))


def _mlp_args(seed, batch, n_in, n_hidden, n_out):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((batch, n_in))
    Y = np.eye(n_out)[rng.integers(0, n_out, size=batch)]
    W1 = rng.standard_normal((n_in, n_hidden)) / np.sqrt(n_in)
    b1 = 0.1 * rng.standard_normal(n_hidden)
    W2 = rng.standard_normal((n_hidden, n_out)) / np.sqrt(n_hidden)
    b2 = 0.1 * rng.standard_normal(n_out)
    return (W1, b1, W2, b2, X, Y)


def mlp_args():
    return _mlp_args(3, batch=256, n_in=64, n_hidden=256, n_out=10)


def mlp_small_args():
    return _mlp_args(4, batch=8, n_in=4, n_hidden=16, n_out=3)


# --------------------------------------------------------------------------
# Registry.

@dataclass(frozen=True)
class Workload:
    name: str
    primal: Callable           # plain function, returns a scalar
    hand_vg: Callable          # hand-written (value, gradient)
    make_args: Callable[[], tuple]  # deterministic (fixed seed)
    wrt: Union[int, Tuple[int, ...]]  # positions, as passed to value_and_grad
    description: str


WORKLOADS = (
    Workload("baydin", baydin, baydin_vg, baydin_args, (0, 1),
             "ln(x1) + x1*x2 - sin(x2), floats; d/d(x1, x2)"),
    Workload("poly_horner", horner, horner_vg, horner_args, 1,
             "Horner, 51 coefficients (list), float x; d/dx"),
    Workload("rk4", rk4, rk4_vg, rk4_args, (0, 1),
             "dy/dt = -k*y + sin(t), 200 RK4 steps, floats; d y(T) / d(k, y0)"),
    Workload("logistic_regression", logistic_loss, logistic_loss_vg,
             logistic_args, (0, 1),
             "mean logistic loss, X 1000x20; d/d(w, b)"),
    Workload("mlp", mlp_loss, mlp_loss_vg, mlp_args, (0, 1, 2, 3),
             "batch 256, 64 -> 256 tanh -> 10, softmax CE; d/d(W1, b1, W2, b2)"),
    Workload("mlp_small", mlp_loss, mlp_loss_vg, mlp_small_args, (0, 1, 2, 3),
             "batch 8, 4 -> 16 tanh -> 3, softmax CE; d/d(W1, b1, W2, b2)"),
)
