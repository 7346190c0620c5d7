"""Simulations written the way people write them in NumPy / plain Python.

Outsider test programs for ast_ad (see tests/test_outside.py).
"""
import math

import numpy as np


# 1. RK4 integration of Lotka-Volterra, loss against observations
def lotka_volterra(y, theta):
    a, b, c, d = theta[0], theta[1], theta[2], theta[3]
    prey, pred = y[0], y[1]
    return np.array([a * prey - b * prey * pred, c * prey * pred - d * pred])


def rk4_loss(theta, y0, obs, dt=0.05, n_steps=40):
    y = y0
    loss = 0.0
    for k in range(n_steps):
        k1 = lotka_volterra(y, theta)
        k2 = lotka_volterra(y + 0.5 * dt * k1, theta)
        k3 = lotka_volterra(y + 0.5 * dt * k2, theta)
        k4 = lotka_volterra(y + dt * k3, theta)
        y = y + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
        if (k + 1) % 10 == 0:
            loss = loss + np.sum((y - obs[(k + 1) // 10 - 1]) ** 2)
    return loss


# 1b. RK4 trajectory as a vector function (stack of states)
def rk4_trajectory(y0, theta, dt=0.1, n_steps=10):
    ys = [y0]
    y = y0
    for _ in range(n_steps):
        k1 = lotka_volterra(y, theta)
        k2 = lotka_volterra(y + 0.5 * dt * k1, theta)
        k3 = lotka_volterra(y + 0.5 * dt * k2, theta)
        k4 = lotka_volterra(y + dt * k3, theta)
        y = y + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
        ys.append(y)
    return np.stack(ys)


# 2. explicit Euler for a damped oscillator, plain floats
def euler_oscillator(k, c, x0=1.0, v0=0.0, dt=0.01, steps=200):
    x, v = x0, v0
    for _ in range(steps):
        a = -k * x - c * v
        x, v = x + dt * v, v + dt * a
    return x


# 3. n-body (2-D, softened gravity), nested loops, acc[i] += ... into lists
def nbody_energy_after(pos0, vel0, masses, dt=0.01, steps=5, soft=0.1):
    n = len(masses)
    pos = [p.copy() for p in pos0]
    vel = [v.copy() for v in vel0]
    for _ in range(steps):
        acc = [np.zeros(2) for _ in range(n)]
        for i in range(n):
            for j in range(n):
                if i != j:
                    d = pos[j] - pos[i]
                    r2 = d @ d + soft ** 2
                    acc[i] += masses[j] * d / r2 ** 1.5
        for i in range(n):
            vel[i] = vel[i] + dt * acc[i]
            pos[i] = pos[i] + dt * vel[i]
    kinetic = sum(0.5 * m * (v @ v) for m, v in zip(masses, vel))
    potential = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            d = pos[j] - pos[i]
            potential -= masses[i] * masses[j] / np.sqrt(d @ d + soft ** 2)
    return kinetic + potential


# 4. explicit heat-equation steps with slicing; boundary kept by a helper that
#    updates the array in place
def fix_boundary(u, left, right):
    u[0] = left
    u[-1] = right


def heat_solve(u0, alpha, steps=20):
    u = u0.copy()
    for _ in range(steps):
        lap = np.zeros_like(u)
        lap[1:-1] = u[2:] - 2.0 * u[1:-1] + u[:-2]
        u = u + alpha * lap
        fix_boundary(u, 0.0, 0.0)
    return u


# 5. spring-mass chain (np.diff), symplectic Euler, final energy
def spring_chain_energy(x0, k, m=1.0, dt=0.05, steps=30):
    x = x0.copy()
    v = np.zeros_like(x)
    for _ in range(steps):
        stretch = np.diff(x) - 1.0
        f = np.zeros_like(x)
        f[:-1] += k * stretch
        f[1:] -= k * stretch
        v += dt * f / m
        x += dt * v
    return 0.5 * m * np.sum(v ** 2) + 0.5 * k * np.sum((np.diff(x) - 1.0) ** 2)


# 5b. same chain without np.diff (x[1:] - x[:-1])
def spring_chain_energy_slices(x0, k, m=1.0, dt=0.05, steps=30):
    x = x0.copy()
    v = np.zeros_like(x)
    for _ in range(steps):
        stretch = x[1:] - x[:-1] - 1.0
        f = np.zeros_like(x)
        f[:-1] += k * stretch
        f[1:] -= k * stretch
        v += dt * f / m
        x += dt * v
    return 0.5 * m * np.sum(v ** 2) + 0.5 * k * np.sum((x[1:] - x[:-1] - 1.0) ** 2)


# 6. damped pendulum, math module, floats, while loop on time
def pendulum_final_angle(length, damping, theta0=0.5, g=9.81, dt=0.01, t_end=1.0):
    theta, omega, t = theta0, 0.0, 0.0
    while t < t_end - 1e-12:
        alpha = -g / length * math.sin(theta) - damping * omega
        omega += dt * alpha
        theta += dt * omega
        t += dt
    return theta


# 7. Black-Scholes calls over a list of strikes with math.erf; calibration loss
def norm_cdf(x):
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def bs_call(S, K, T, r, sigma):
    d1 = (math.log(S / K) + (r + 0.5 * sigma ** 2) * T) / (sigma * math.sqrt(T))
    d2 = d1 - sigma * math.sqrt(T)
    return S * norm_cdf(d1) - K * math.exp(-r * T) * norm_cdf(d2)


def bs_calibration_loss(sigma, S, strikes, market, T=0.5, r=0.01):
    loss = 0.0
    for K, price in zip(strikes, market):
        diff = bs_call(S, K, T, r, sigma) - price
        loss += diff * diff
    return loss


# 8. Kalman filter log-likelihood, 2x2 matrices, np.linalg.inv / det / solve
def kalman_loglik(q, r, obs, dt=0.1):
    F = np.array([[1.0, dt], [0.0, 1.0]])
    H = np.array([[1.0, 0.0]])
    Q = q * np.array([[dt ** 3 / 3, dt ** 2 / 2], [dt ** 2 / 2, dt]])
    R = np.array([[r]])
    x = np.zeros(2)
    P = np.eye(2)
    ll = 0.0
    for z in obs:
        x = F @ x
        P = F @ P @ F.T + Q
        S = H @ P @ H.T + R
        K = P @ H.T @ np.linalg.inv(S)
        innov = np.array([z]) - H @ x
        ll = ll - 0.5 * (np.log(np.linalg.det(S)) + innov @ np.linalg.solve(S, innov)
                         + math.log(2 * math.pi))
        x = x + K @ innov
        P = (np.eye(2) - K @ H) @ P
    return ll


# 8b. the same filter in scalar form (what you write when linalg is refused)
def kalman_loglik_scalar(q, r, obs, dt=0.1):
    x0, x1 = 0.0, 0.0
    p00, p01, p11 = 1.0, 0.0, 1.0
    ll = 0.0
    for z in obs:
        x0 = x0 + dt * x1
        p00, p01, p11 = (p00 + 2 * dt * p01 + dt * dt * p11 + q * dt ** 3 / 3,
                         p01 + dt * p11 + q * dt ** 2 / 2,
                         p11 + q * dt)
        s = p00 + r
        k0, k1 = p00 / s, p01 / s
        innov = z - x0
        ll -= 0.5 * (math.log(s) + innov * innov / s + math.log(2 * math.pi))
        x0, x1 = x0 + k0 * innov, x1 + k1 * innov
        p00, p01, p11 = (1 - k0) * p00, (1 - k0) * p01, p11 - k1 * p01
    return ll


# 9. Newton iterations inside the function: implicit root of x^3 + a x - b = 0
def newton_root_loss(a, b, x0=1.0, iters=30):
    x = x0
    for _ in range(iters):
        fx = x ** 3 + a * x - b
        dfx = 3 * x ** 2 + a
        x = x - fx / dfx
    return x ** 2 + math.sin(x)


# 10. projectile with quadratic drag until it lands (while on the state)
def projectile_range(v0, angle, drag, dt=0.01, g=9.81):
    x, y = 0.0, 0.0
    vx, vy = v0 * math.cos(angle), v0 * math.sin(angle)
    while y >= 0.0:
        speed = math.hypot(vx, vy)
        vx = vx - dt * drag * speed * vx
        vy = vy - dt * (g + drag * speed * vy)
        x = x + dt * vx
        y = y + dt * vy
    return x
