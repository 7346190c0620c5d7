"""Sensitivities of an ODE solution by differentiating the solver.

The scalar initial-value problem

    dy/dt = -k * y + sin(t),    y(0) = y0,    t in [0, 2]

is integrated with 200 classical Runge-Kutta (RK4) steps in a plain Python
loop over floats; each step calls the helper ``dydt`` four times.
``ast_ad.grad(final_state, wrt=("k", "y0"))`` differentiates the whole
solver, loop and helper calls included, giving dy(T)/dk and dy(T)/dy0 of the
*discrete* solution.  Both are checked against central finite differences,
and the generated code is printed so the forward loop that records its
tape and the backward loop that replays it can be read.

Run it with ``python examples/ode_rk4.py``.
"""
import math

import ast_ad

N_STEPS = 200
T_END = 2.0


def dydt(t, y, k):
    return -k * y + math.sin(t)


def rk4_step(t, y, h, k):
    k1 = dydt(t, y, k)
    k2 = dydt(t + 0.5 * h, y + 0.5 * h * k1, k)
    k3 = dydt(t + 0.5 * h, y + 0.5 * h * k2, k)
    k4 = dydt(t + h, y + h * k3, k)
    return y + h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)


def final_state(k, y0):
    h = T_END / N_STEPS
    y = y0
    t = 0.0
    for i in range(N_STEPS):
        y = rk4_step(t, y, h, k)
        t = t + h
    return y


def exact_final_state(k, y0, T=T_END):
    """Closed-form solution, to show the integrator is accurate."""
    c = 1.0 / (k * k + 1.0)
    particular = c * (k * math.sin(T) - math.cos(T))
    return particular + (y0 + c) * math.exp(-k * T)


def central_difference(f, k, y0, which, eps=1e-6):
    if which == "k":
        return (f(k + eps, y0) - f(k - eps, y0)) / (2 * eps)
    return (f(k, y0 + eps) - f(k, y0 - eps)) / (2 * eps)


def main():
    k, y0 = 0.7, 1.5
    print(f"dy/dt = -k*y + sin(t),  y(0) = y0,  {N_STEPS} RK4 steps to t = {T_END}")
    print(f"at k = {k}, y0 = {y0}")
    print()

    yT = final_state(k, y0)
    print("== Final state ==")
    print(f"y(T) by RK4        = {yT:.12f}")
    print(f"y(T) closed form   = {exact_final_state(k, y0):.12f}")
    print()

    d_final = ast_ad.grad(final_state, wrt=("k", "y0"))
    dk, dy0 = d_final(k, y0)
    fd_k = central_difference(final_state, k, y0, "k")
    fd_y0 = central_difference(final_state, k, y0, "y0")
    rel_k = abs(dk - fd_k) / abs(fd_k)
    rel_y0 = abs(dy0 - fd_y0) / abs(fd_y0)
    print("== Gradient (ast_ad) vs central finite differences ==")
    print(f"dy(T)/dk  = {dk:.12f}   FD {fd_k:.12f}   rel. diff {rel_k:.1e}")
    print(f"dy(T)/dy0 = {dy0:.12f}   FD {fd_y0:.12f}   rel. diff {rel_y0:.1e}")
    # for a linear ODE dy(T)/dy0 is the decay factor of the discrete flow,
    # close to exp(-k T)
    print(f"exp(-k*T) = {math.exp(-k * T_END):.12f}   (exact-flow value of dy(T)/dy0)")
    assert rel_k < 1e-6, (dk, fd_k)
    assert rel_y0 < 1e-6, (dy0, fd_y0)
    print()

    print("== Generated gradient code (forward loop with its tape, then the backward loop) ==")
    print(d_final.source.rstrip())
    print()
    print("OK: the AD gradient agrees with finite differences to better than 1e-6")


if __name__ == "__main__":
    main()
