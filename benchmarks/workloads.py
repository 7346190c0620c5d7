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
from dataclasses import dataclass, field
from typing import Callable, Dict, Tuple, Union

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
# pricing: a book of 250 European calls priced one by one with Black-Scholes
# in a Python loop over lists of floats (math.erf / exp / log / sqrt),
# position-weighted sum.  pricing: d/d(vols) (every option's vega, a list);
# pricing_delta: d/d(spot_scale), one float scaling every spot.

def norm_cdf(x):
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def pricing(spots, strikes, vols, rates, maturities, weights):
    total = 0.0
    for k in range(len(spots)):
        S = spots[k]
        K = strikes[k]
        sigma = vols[k]
        r = rates[k]
        T = maturities[k]
        sqrt_t = math.sqrt(T)
        d1 = (math.log(S / K) + (r + 0.5 * sigma * sigma) * T) / (sigma * sqrt_t)
        d2 = d1 - sigma * sqrt_t
        price = S * norm_cdf(d1) - K * math.exp(-r * T) * norm_cdf(d2)
        total = total + weights[k] * price
    return total


_SQRT2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def pricing_vg(spots, strikes, vols, rates, maturities, weights):
    # Reverse mode by hand, one option at a time, vega written in place.  The
    # chain rule as written, with the forward values reused:
    #   d d1 / d sigma = sqrt(T) - d1 / sigma,   d d2 / d sigma = -d1 / sigma,
    #   d price / d sigma = S phi(d1) (sqrt(T) - d1/sigma) + K e^-rT phi(d2) d1/sigma.
    # (The Black-Scholes identity S phi(d1) = K e^-rT phi(d2) would give the
    # textbook vega S phi(d1) sqrt(T) with one exp less; it is a fact about
    # this formula, not something a differentiator can know, so the
    # reference does not use it.)
    total = 0.0
    vega = [0.0] * len(spots)
    for k in range(len(spots)):
        S = spots[k]
        K = strikes[k]
        sigma = vols[k]
        r = rates[k]
        T = maturities[k]
        sqrt_t = math.sqrt(T)
        sig_sqrt_t = sigma * sqrt_t
        d1 = (math.log(S / K) + (r + 0.5 * sigma * sigma) * T) / sig_sqrt_t
        d2 = d1 - sig_sqrt_t
        k_disc = K * math.exp(-r * T)
        price = (S * (0.5 * (1.0 + math.erf(d1 / _SQRT2)))
                 - k_disc * (0.5 * (1.0 + math.erf(d2 / _SQRT2))))
        w = weights[k]
        total = total + w * price
        d1_sig = d1 / sigma
        vega[k] = w * _INV_SQRT_2PI * (S * math.exp(-0.5 * d1 * d1) * (sqrt_t - d1_sig)
                                       + k_disc * math.exp(-0.5 * d2 * d2) * d1_sig)
    return total, vega


def pricing_delta(spots, strikes, vols, rates, maturities, weights, spot_scale):
    total = 0.0
    for k in range(len(spots)):
        S = spot_scale * spots[k]
        K = strikes[k]
        sigma = vols[k]
        r = rates[k]
        T = maturities[k]
        sqrt_t = math.sqrt(T)
        d1 = (math.log(S / K) + (r + 0.5 * sigma * sigma) * T) / (sigma * sqrt_t)
        d2 = d1 - sigma * sqrt_t
        price = S * norm_cdf(d1) - K * math.exp(-r * T) * norm_cdf(d2)
        total = total + weights[k] * price
    return total


def pricing_delta_vg(spots, strikes, vols, rates, maturities, weights, spot_scale):
    # Forward mode by hand (one input): dS / d spot_scale = spots[k],
    # d d1 / dS = d d2 / dS = 1 / (S sigma sqrt(T)), so
    # d price / dS = N(d1) + (S phi(d1) - K e^-rT phi(d2)) / (S sigma sqrt(T)).
    # (As in pricing_vg, the identity that makes the bracket zero is not used.)
    total = 0.0
    delta = 0.0
    for k in range(len(spots)):
        S0 = spots[k]
        S = spot_scale * S0
        K = strikes[k]
        sigma = vols[k]
        r = rates[k]
        T = maturities[k]
        sqrt_t = math.sqrt(T)
        sig_sqrt_t = sigma * sqrt_t
        d1 = (math.log(S / K) + (r + 0.5 * sigma * sigma) * T) / sig_sqrt_t
        d2 = d1 - sig_sqrt_t
        n_d1 = 0.5 * (1.0 + math.erf(d1 / _SQRT2))
        k_disc = K * math.exp(-r * T)
        price = S * n_d1 - k_disc * (0.5 * (1.0 + math.erf(d2 / _SQRT2)))
        w = weights[k]
        total = total + w * price
        dprice_ds = n_d1 + _INV_SQRT_2PI * (S * math.exp(-0.5 * d1 * d1)
                                            - k_disc * math.exp(-0.5 * d2 * d2)) / (S * sig_sqrt_t)
        delta = delta + w * dprice_ds * S0
    return total, delta


def _pricing_lists(seed, n):
    rng = np.random.default_rng(seed)
    spots = (100.0 * np.exp(0.2 * rng.standard_normal(n))).tolist()
    strikes = rng.uniform(70.0, 130.0, n).tolist()
    vols = rng.uniform(0.1, 0.5, n).tolist()
    rates = rng.uniform(0.0, 0.05, n).tolist()
    maturities = rng.uniform(0.1, 3.0, n).tolist()
    weights = rng.uniform(-2.0, 2.0, n).tolist()
    return spots, strikes, vols, rates, maturities, weights


def pricing_args():
    return _pricing_lists(5, 250)


def pricing_delta_args():
    return _pricing_lists(5, 250) + (1.05,)


# --------------------------------------------------------------------------
# nbody: 5 bodies in the plane, 50 steps of symplectic Euler with softened
# gravity; positions and velocities are flat Python lists of floats
# (x0, y0, x1, y1, ...), accelerations accumulated with acc[2*i] += ...;
# loss: total energy at the end.  d/d(initial positions), a list.

NBODY_EPS = 0.01       # softening: r^2 + eps


def nbody_energy(pos, vel, masses, dt, n_steps):
    n = len(masses)
    x = list(pos)
    v = list(vel)
    for step in range(n_steps):
        acc = [0.0] * (2 * n)
        for i in range(n):
            for j in range(n):
                if i != j:
                    dx = x[2 * j] - x[2 * i]
                    dy = x[2 * j + 1] - x[2 * i + 1]
                    r2 = dx * dx + dy * dy + NBODY_EPS
                    inv_r3 = 1.0 / (r2 * math.sqrt(r2))
                    acc[2 * i] += masses[j] * dx * inv_r3
                    acc[2 * i + 1] += masses[j] * dy * inv_r3
        for i in range(2 * n):
            v[i] += dt * acc[i]
            x[i] += dt * v[i]
    kinetic = 0.0
    for i in range(n):
        kinetic += 0.5 * masses[i] * (v[2 * i] ** 2 + v[2 * i + 1] ** 2)
    potential = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            dx = x[2 * j] - x[2 * i]
            dy = x[2 * j + 1] - x[2 * i + 1]
            potential -= masses[i] * masses[j] / math.sqrt(dx * dx + dy * dy + NBODY_EPS)
    return kinetic + potential


def nbody_energy_vg(pos, vel, masses, dt, n_steps):
    # Reverse mode by hand.  The forward pass is the primal's, statement for
    # statement, plus a copy of the positions of each step (the acceleration
    # depends on positions only; velocities are not needed backwards).  Per
    # pair it keeps nothing: the backward pass recomputes dx, dy, r2 from the
    # stored positions, which is cheaper than storing them.
    n = len(masses)
    m2 = 2 * n
    x = list(pos)
    v = list(vel)
    xs = []
    for step in range(n_steps):
        xs.append(x[:])
        acc = [0.0] * m2
        for i in range(n):
            for j in range(n):
                if i != j:
                    dx = x[2 * j] - x[2 * i]
                    dy = x[2 * j + 1] - x[2 * i + 1]
                    r2 = dx * dx + dy * dy + NBODY_EPS
                    inv_r3 = 1.0 / (r2 * math.sqrt(r2))
                    acc[2 * i] += masses[j] * dx * inv_r3
                    acc[2 * i + 1] += masses[j] * dy * inv_r3
        for i in range(m2):
            v[i] += dt * acc[i]
            x[i] += dt * v[i]
    # Energy and its adjoints bx (positions), bv (velocities).
    kinetic = 0.0
    bv = [0.0] * m2
    for i in range(n):
        vx = v[2 * i]
        vy = v[2 * i + 1]
        kinetic += 0.5 * masses[i] * (vx * vx + vy * vy)
        bv[2 * i] = masses[i] * vx
        bv[2 * i + 1] = masses[i] * vy
    potential = 0.0
    bx = [0.0] * m2
    for i in range(n):
        for j in range(i + 1, n):
            dx = x[2 * j] - x[2 * i]
            dy = x[2 * j + 1] - x[2 * i + 1]
            inv_r = 1.0 / math.sqrt(dx * dx + dy * dy + NBODY_EPS)
            mm = masses[i] * masses[j]
            potential -= mm * inv_r
            c = mm * inv_r * inv_r * inv_r     # d(-mm / r) / d(dx) = mm dx / r^3
            gx = c * dx
            gy = c * dy
            bx[2 * j] += gx
            bx[2 * j + 1] += gy
            bx[2 * i] -= gx
            bx[2 * i + 1] -= gy
    # Backwards through the steps: x' = x + dt v',  v' = v + dt a(x).
    for step in range(n_steps - 1, -1, -1):
        x = xs[step]
        ba = [0.0] * m2
        for i in range(m2):
            bv[i] += dt * bx[i]      # through x' = x + dt v'  (bx' passes to x)
            ba[i] = dt * bv[i]       # through v' = v + dt a   (bv' passes to v)
        for i in range(n):
            bax = ba[2 * i]
            bay = ba[2 * i + 1]
            xi = x[2 * i]
            yi = x[2 * i + 1]
            for j in range(n):
                if i != j:
                    dx = x[2 * j] - xi
                    dy = x[2 * j + 1] - yi
                    r2 = dx * dx + dy * dy + NBODY_EPS
                    inv_r = 1.0 / math.sqrt(r2)
                    f = inv_r / r2                    # r2^(-3/2)
                    # a_i += m_j d f(r2):  d/dd = m_j (f I - 3 r2^(-5/2) d d^T)
                    t = 3.0 * f / r2 * (dx * bax + dy * bay)
                    gx = masses[j] * (f * bax - t * dx)
                    gy = masses[j] * (f * bay - t * dy)
                    bx[2 * j] += gx
                    bx[2 * j + 1] += gy
                    bx[2 * i] -= gx
                    bx[2 * i + 1] -= gy
    return kinetic + potential, bx


def nbody_args():
    rng = np.random.default_rng(6)
    n = 5
    pos = rng.uniform(-1.0, 1.0, 2 * n).tolist()
    vel = (0.3 * rng.standard_normal(2 * n)).tolist()
    masses = rng.uniform(0.5, 1.5, n).tolist()
    return (pos, vel, masses, 0.01, 50)


# --------------------------------------------------------------------------
# lstm: one LSTM layer, batch 16, 8 inputs, hidden 32, a Python loop over 30
# time steps, linear read-out of the last hidden state, squared error.
# Gates in one (.., 4H) pre-activation, order i, f, o, g.
# d/d(Wx, Wh, b, Wy).

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def lstm_loss(Wx, Wh, b, Wy, xs, y):
    H = Wh.shape[0]
    h = np.zeros((xs.shape[1], H))
    c = np.zeros((xs.shape[1], H))
    for x in xs:
        z = x @ Wx + h @ Wh + b
        i = sigmoid(z[:, :H])
        f = sigmoid(z[:, H:2 * H])
        o = sigmoid(z[:, 2 * H:3 * H])
        g = np.tanh(z[:, 3 * H:])
        c = f * c + i * g
        h = o * np.tanh(c)
    pred = h @ Wy
    return np.mean((pred - y) ** 2)


def lstm_loss_vg(Wx, Wh, b, Wy, xs, y):
    # Backpropagation through time.  The forward pass is the primal's, plus
    # per step the previous hidden and cell states, the gates and tanh(c);
    # the backward loop does only the sequential part (dz of each step), and
    # the weight gradients are three contractions over all steps at the end.
    T, batch, _ = xs.shape
    H = Wh.shape[0]
    h = np.zeros((batch, H))
    c = np.zeros((batch, H))
    hs = np.empty((T, batch, H))         # h before step t
    cs = np.empty((T, batch, H))         # c before step t
    gates = np.empty((T, batch, 4 * H))  # sigmoid(i, f, o), tanh(g)
    tcs = np.empty((T, batch, H))        # tanh(c) after step t
    for t in range(T):
        hs[t] = h
        cs[t] = c
        z = xs[t] @ Wx + h @ Wh + b
        a = gates[t]
        i = a[:, :H] = sigmoid(z[:, :H])
        f = a[:, H:2 * H] = sigmoid(z[:, H:2 * H])
        o = a[:, 2 * H:3 * H] = sigmoid(z[:, 2 * H:3 * H])
        g = a[:, 3 * H:] = np.tanh(z[:, 3 * H:])
        c = f * c + i * g
        tc = tcs[t] = np.tanh(c)
        h = o * tc
    pred = h @ Wy
    diff = pred - y
    value = np.mean(diff * diff)
    d_pred = (2.0 / diff.size) * diff
    gWy = h.T @ d_pred
    dh = d_pred @ Wy.T
    dc = np.zeros((batch, H))
    dZ = np.empty((T, batch, 4 * H))
    for t in range(T - 1, -1, -1):
        a = gates[t]
        i = a[:, :H]
        g = a[:, 3 * H:]
        tc = tcs[t]
        dc = dc + dh * a[:, 2 * H:3 * H] * (1.0 - tc * tc)
        dz = dZ[t]
        dz[:, :H] = dc * g                        # d i
        dz[:, H:2 * H] = dc * cs[t]               # d f
        dz[:, 2 * H:3 * H] = dh * tc              # d o
        s = a[:, :3 * H]
        dz[:, :3 * H] *= s * (1.0 - s)            # through the sigmoids
        dz[:, 3 * H:] = dc * i * (1.0 - g * g)    # through tanh
        dc = dc * a[:, H:2 * H]
        dh = dz @ Wh.T
    dZ2 = dZ.reshape(T * batch, 4 * H)
    gWx = xs.reshape(T * batch, -1).T @ dZ2
    gWh = hs.reshape(T * batch, H).T @ dZ2
    gb = dZ2.sum(axis=0)
    return value, (gWx, gWh, gb, gWy)


def lstm_args():
    rng = np.random.default_rng(7)
    T, batch, n_in, H, n_out = 30, 16, 8, 32, 4
    xs = rng.standard_normal((T, batch, n_in))
    Wx = rng.standard_normal((n_in, 4 * H)) / np.sqrt(n_in)
    Wh = rng.standard_normal((H, 4 * H)) / np.sqrt(H)
    b = 0.1 * rng.standard_normal(4 * H)
    Wy = rng.standard_normal((H, n_out)) / np.sqrt(H)
    y = rng.standard_normal((batch, n_out))
    return (Wx, Wh, b, Wy, xs, y)


# --------------------------------------------------------------------------
# mixture: mean negative log-likelihood of 500 points under a 1-D mixture of
# K = 5 Gaussians, with the logsumexps written by hand (max subtracted).
# d/d(means, log_scales, logits).

def mixture_nll(means, log_scales, logits, x):
    m = np.max(logits)
    log_w = logits - m - np.log(np.sum(np.exp(logits - m)))
    z = (x[:, None] - means) / np.exp(log_scales)
    log_p = log_w - log_scales - 0.5 * np.log(2.0 * np.pi) - 0.5 * z * z
    top = np.max(log_p, axis=1, keepdims=True)
    ll = top[:, 0] + np.log(np.sum(np.exp(log_p - top), axis=1))
    return -np.mean(ll)


def mixture_nll_vg(means, log_scales, logits, x):
    n = x.shape[0]
    m = np.max(logits)
    e_w = np.exp(logits - m)
    sum_w = np.sum(e_w)
    log_w = logits - m - np.log(sum_w)
    scale = np.exp(log_scales)
    z = (x[:, None] - means) / scale
    log_p = log_w - log_scales - 0.5 * np.log(2.0 * np.pi) - 0.5 * z * z
    top = np.max(log_p, axis=1, keepdims=True)
    e = np.exp(log_p - top)
    sum_e = np.sum(e, axis=1)
    value = -np.mean(top[:, 0] + np.log(sum_e))
    # d value / d log_p = -responsibilities / n; the maxima drop out.
    r = e * (-1.0 / n / sum_e)[:, None]
    r_k = r.sum(axis=0)                      # total adjoint of log_w (and of -log_scales)
    rz = r * z
    g_means = rz.sum(axis=0) / scale                    # d(-z^2/2)/d mean = z / s
    g_log_scales = -r_k + (rz * z).sum(axis=0)          # d(-z^2/2)/d log s = z^2
    g_logits = r_k - (e_w / sum_w) * r_k.sum()
    return value, (g_means, g_log_scales, g_logits)


def mixture_args():
    rng = np.random.default_rng(8)
    K, n = 5, 500
    centers = np.array([-4.0, -1.5, 0.0, 2.0, 5.0])
    x = centers[rng.integers(0, K, n)] + rng.standard_normal(n)
    means = centers + 0.3 * rng.standard_normal(K)
    log_scales = 0.2 * rng.standard_normal(K)
    logits = 0.5 * rng.standard_normal(K)
    return (means, log_scales, logits, x)


# --------------------------------------------------------------------------
# kalman: negative log-likelihood (up to a constant) of 100 observations
# y_t in R^2 under the linear Gaussian model x_t = F x_{t-1} + noise(Q),
# y_t = H x_t + noise(R), by the Kalman filter.  2x2 matrices throughout.
# kalman uses np.linalg.inv and np.linalg.det; kalman_inv2 writes the 2x2
# inverse and determinant out by hand.  d/d(F, Q, R).

def kalman_nll(F, Q, R, H, ys):
    x = np.zeros(2)
    P = np.eye(2)
    nll = 0.0
    for y in ys:
        x = F @ x
        P = F @ P @ F.T + Q
        S = H @ P @ H.T + R
        S_inv = np.linalg.inv(S)
        v = y - H @ x
        nll = nll + 0.5 * (np.log(np.linalg.det(S)) + v @ S_inv @ v)
        K = P @ H.T @ S_inv
        x = x + K @ v
        P = P - K @ H @ P
    return nll


def inv2(A):
    det = A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]
    inv = np.array([[A[1, 1], -A[0, 1]], [-A[1, 0], A[0, 0]]]) / det
    return inv, det


def kalman_inv2_nll(F, Q, R, H, ys):
    x = np.zeros(2)
    P = np.eye(2)
    nll = 0.0
    for y in ys:
        x = F @ x
        P = F @ P @ F.T + Q
        S = H @ P @ H.T + R
        S_inv, det = inv2(S)
        v = y - H @ x
        nll = nll + 0.5 * (np.log(det) + v @ S_inv @ v)
        K = P @ H.T @ S_inv
        x = x + K @ v
        P = P - K @ H @ P
    return nll


def _linalg_inv_det(S):
    return np.linalg.inv(S), np.linalg.det(S)


def _kalman_vg(F, Q, R, H, ys, inv_det):
    # Reverse mode by hand; per step the forward pass stores what the
    # backward step reads: x and P before the step, the predicted P, S^-1, v
    # and the gain K.  Matrices are not assumed symmetric (the gradient is
    # that of the function as written, for any F, Q, R).
    x = np.zeros(2)
    P = np.eye(2)
    nll = 0.0
    HT = H.T
    tape = []
    for y in ys:
        xp = F @ x
        Pp = F @ P @ F.T + Q
        PHT = Pp @ HT
        S = H @ PHT + R
        S_inv, det = inv_det(S)
        v = y - H @ xp
        Siv = S_inv @ v
        nll = nll + 0.5 * (np.log(det) + v @ Siv)
        K = PHT @ S_inv
        tape.append((x, P, Pp, PHT, S_inv, v, Siv, K))
        x = xp + K @ v
        P = Pp - K @ (H @ Pp)
    gF = np.zeros((2, 2))
    gQ = np.zeros((2, 2))
    gR = np.zeros((2, 2))
    bx = np.zeros(2)
    bP = np.zeros((2, 2))
    for x, P, Pp, PHT, S_inv, v, Siv, K in reversed(tape):
        # P' = Pp - K H Pp
        HPp = H @ Pp
        bPp = bP - (K @ H).T @ bP
        bK = -bP @ HPp.T
        # x' = xp + K v
        bxp = bx
        bK += np.outer(bx, v)
        bv = K.T @ bx
        # K = Pp H^T S^-1
        bPp += bK @ (HT @ S_inv).T
        bSi = PHT.T @ bK
        # nll += (log det S + v^T S^-1 v) / 2
        SiT = S_inv.T
        bS = 0.5 * SiT
        bv += 0.5 * (Siv + SiT @ v)
        bSi += 0.5 * np.outer(v, v)
        # S^-1:  dS^-1 = -S^-1 dS S^-1
        bS -= SiT @ bSi @ SiT
        # v = y - H xp
        bxp = bxp - HT @ bv
        # S = H Pp H^T + R
        gR += bS
        bPp += HT @ bS @ H
        # Pp = F P F^T + Q
        gQ += bPp
        FP = F @ P
        gF += bPp @ F @ P.T + bPp.T @ FP
        bP = F.T @ bPp @ F
        # xp = F x
        gF += np.outer(bxp, x)
        bx = F.T @ bxp
    return nll, (gF, gQ, gR)


def kalman_nll_vg(F, Q, R, H, ys):
    return _kalman_vg(F, Q, R, H, ys, _linalg_inv_det)


def kalman_inv2_nll_vg(F, Q, R, H, ys):
    return _kalman_vg(F, Q, R, H, ys, inv2)


def kalman_args():
    rng = np.random.default_rng(9)
    F = np.array([[0.95, 0.10], [-0.05, 0.90]])
    Q = np.array([[0.05, 0.01], [0.01, 0.04]])
    R = np.array([[0.20, 0.02], [0.02, 0.30]])
    H = np.array([[1.0, 0.0], [0.5, 1.0]])
    x = np.zeros(2)
    ys = np.empty((100, 2))
    for t in range(100):
        x = F @ x + rng.multivariate_normal(np.zeros(2), Q)
        ys[t] = H @ x + rng.multivariate_normal(np.zeros(2), R)
    return (F, Q, R, H, ys)


# --------------------------------------------------------------------------
# conv1d: a "valid" 1-D convolution (correlation) by slicing, a 9-tap kernel
# over 1032 samples, tanh, squared error against 1024 targets.
# d/d(w, x).

def conv1d_loss(w, x, y):
    n = y.shape[0]
    out = sum(w[k] * x[k:k + n] for k in range(w.shape[0]))
    return np.sum((np.tanh(out) - y) ** 2)


def conv1d_loss_vg(w, x, y):
    n = y.shape[0]
    taps = w.shape[0]
    out = sum(w[k] * x[k:k + n] for k in range(taps))
    a = np.tanh(out)
    diff = a - y
    value = np.sum(diff * diff)
    d_out = 2.0 * diff * (1.0 - a * a)
    # d w[k] = <d_out, x[k:k+n]>: one matrix-vector product over a strided
    # (taps, n) view of x;  d x[k:k+n] += w[k] d_out.
    windows = np.lib.stride_tricks.sliding_window_view(x, n)
    gw = windows @ d_out
    gx = np.zeros_like(x)
    for k in range(taps):
        gx[k:k + n] += w[k] * d_out
    return value, (gw, gx)


def conv1d_args():
    rng = np.random.default_rng(10)
    taps, n = 9, 1024
    x = rng.standard_normal(n + taps - 1)
    w = 0.3 * rng.standard_normal(taps)
    y = np.tanh(np.convolve(x, rng.standard_normal(taps), mode="valid") * 0.3)
    return (w, x, y)


# --------------------------------------------------------------------------
# loss_params_list: mlp_small with its parameters in one list argument,
# params = [W1, b1, W2, b2] (the README's idiom).  d/d(params): a list.

def mlp_params_loss(params, X, Y):
    W1, b1, W2, b2 = params
    h = np.tanh(X @ W1 + b1)
    logits = h @ W2 + b2
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.mean(np.sum(Y * log_probs, axis=1))


def mlp_params_loss_vg(params, X, Y):
    W1, b1, W2, b2 = params
    value, (gW1, gb1, gW2, gb2) = mlp_loss_vg(W1, b1, W2, b2, X, Y)
    return value, [gW1, gb1, gW2, gb2]


def mlp_params_args():
    W1, b1, W2, b2, X, Y = mlp_small_args()
    return ([W1, b1, W2, b2], X, Y)


# --------------------------------------------------------------------------
# binomial: a European call priced on a Cox-Ross-Rubinstein tree of 60
# steps, by backward induction over one list updated from its own
# neighbours (vals[j] = disc * (p * vals[j] + (1 - p) * vals[j + 1])).

def binomial_call(S, K, r, sigma, T, n):
    dt = T / n
    u = math.exp(sigma * math.sqrt(dt))
    d = 1.0 / u
    p = (math.exp(r * dt) - d) / (u - d)
    disc = math.exp(-r * dt)
    vals = []
    for j in range(n + 1):
        vals.append(max(S * u ** (n - j) * d ** j - K, 0.0))
    for i in range(n - 1, -1, -1):
        for j in range(i + 1):
            vals[j] = disc * (p * vals[j] + (1 - p) * vals[j + 1])
    return vals[0]


def binomial_call_vg(S, K, r, sigma, T, n):
    # Reverse mode by hand.  The forward pass keeps every level of the tree
    # (the backward pass needs vals[j] and vals[j + 1] of each update); the
    # backward pass accumulates the adjoints of one level into a list, in
    # place, and the sensitivities to p and to the leaves.
    dt = T / n
    sq = math.sqrt(dt)
    u = math.exp(sigma * sq)
    d = 1.0 / u
    p = (math.exp(r * dt) - d) / (u - d)
    disc = math.exp(-r * dt)
    up = [u ** (n - j) for j in range(n + 1)]
    down = [d ** j for j in range(n + 1)]
    vals = [max(S * up[j] * down[j] - K, 0.0) for j in range(n + 1)]
    levels = []
    for i in range(n - 1, -1, -1):
        levels.append(vals[:i + 2])
        for j in range(i + 1):
            vals[j] = disc * (p * vals[j] + (1 - p) * vals[j + 1])
    value = vals[0]
    bvals = [0.0] * (n + 1)
    bvals[0] = 1.0
    bp = 0.0
    for i in range(n):           # the outer loop backwards: i = 0, 1, ..., n - 1
        old = levels[n - 1 - i]
        for j in range(i, -1, -1):
            b = disc * bvals[j]
            bvals[j] = b * p
            bvals[j + 1] += b * (1 - p)
            bp += b * (old[j] - old[j + 1])
    bS = bu = bd = 0.0
    for j in range(n + 1):
        payoff = S * up[j] * down[j] - K
        if payoff >= 0.0:
            bx = bvals[j]
            bS += bx * up[j] * down[j]
            if n - j:
                bu += bx * S * down[j] * (n - j) * up[j] / u
            if j:
                bd += bx * S * up[j] * j * down[j] / d
    # p = (e^{r dt} - d) / (u - d)
    bu -= bp * p / (u - d)
    bd += bp * (p - 1.0) / (u - d)
    # d = 1 / u
    bu -= bd / (u * u)
    return value, (bS, bu * u * sq)


def binomial_args():
    return (101.3, 100.0, 0.05, 0.25, 1.0, 60)


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
    # peers not run on this workload: {peer key: why}
    skip_peers: Dict[str, str] = field(default_factory=dict)


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
    # Programs of shapes ast_ad was not tuned for (issue 13).
    Workload("pricing", pricing, pricing_vg, pricing_args, 2,
             "Black-Scholes loop over lists of 250 floats, math.erf; d/d(vols), a list"),
    Workload("pricing_delta", pricing_delta, pricing_delta_vg, pricing_delta_args, 6,
             "same book, every spot scaled by one float; d/d(spot_scale)"),
    Workload("nbody", nbody_energy, nbody_energy_vg, nbody_args, 0,
             "5 bodies, 50 steps, lists of floats, acc[2*i] += ...; d E / d(positions)",
             skip_peers={"jax_jit": "XLA compilation of the unrolled loops (50 steps x 20 "
                         "pairs of scalar operations, and their gradient) took more "
                         "than 120 s and went on in the background past 24 GiB of "
                         "memory, until the kernel killed the process; with 1, 2, 4, 8 "
                         "steps it took 1.1, 2.3, 6.6, 23.7 s and 0.3-1.8 GB"}),
    Workload("lstm", lstm_loss, lstm_loss_vg, lstm_args, (0, 1, 2, 3),
             "LSTM, 30-step Python loop, batch 16, 8 -> 32; d/d(Wx, Wh, b, Wy)"),
    Workload("mixture", mixture_nll, mixture_nll_vg, mixture_args, (0, 1, 2),
             "1-D Gaussian mixture, K=5, 500 points, stable logsumexp; "
             "d/d(means, log_scales, logits)"),
    Workload("kalman", kalman_nll, kalman_nll_vg, kalman_args, (0, 1, 2),
             "Kalman filter NLL, 2x2, 100 steps, np.linalg.inv/det; d/d(F, Q, R)"),
    Workload("kalman_inv2", kalman_inv2_nll, kalman_inv2_nll_vg, kalman_args, (0, 1, 2),
             "same filter, 2x2 inverse and determinant written out; d/d(F, Q, R)"),
    Workload("conv1d", conv1d_loss, conv1d_loss_vg, conv1d_args, (0, 1),
             "sum(w[k] * x[k:k+n]), 9 taps, n 1024, tanh, squared error; d/d(w, x)"),
    Workload("binomial", binomial_call, binomial_call_vg, binomial_args, (0, 3),
             "CRR binomial tree, 60 steps, list updated from its neighbours; d/d(S, sigma)",
             skip_peers={"jax_jit": "Python's max() of the traced payoff cannot be traced "
                         "(TracerBoolConversionError); jax.numpy.maximum would be another "
                         "program"}),
    Workload("loss_params_list", mlp_params_loss, mlp_params_loss_vg, mlp_params_args, 0,
             "mlp_small with params = [W1, b1, W2, b2] in one list; d/d(params)"),
)
