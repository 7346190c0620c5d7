"""Higher-order derivatives by differentiating generated code again.

``ast_ad.grad`` returns ordinary Python functions with source, so they can be
differentiated in turn:

* the seed document's example  d^2(x^3)/dx^2 = 6x = 12  at x = 2, as
  ``grad(grad(f))``, and the third derivative  d^3(x^3)/dx^3 = 6  as
  ``grad(grad(grad(f)))``;
* the second derivative of a function with a loop,
  g(x) = sum_{i=1..5} sin(i x), against central differences of g' and
  against the closed form  -sum i^2 sin(i x);
* a Hessian-vector product ``ast_ad.hvp(h)(x, v)`` (H v without forming H)
  against the full Hessian ``ast_ad.hessian(h)(x) @ v`` and against central
  differences of the gradient along v;
* the generated source of ``grad(grad(f))`` for the cubic.

Run it with ``python examples/higher_order.py``.
"""
import math

import numpy as np

import ast_ad


def cube(x):
    return x ** 3


def wave(x):
    total = 0.0
    for i in range(1, 6):
        total = total + math.sin(x * i)
    return total


def h(x):
    """A smooth function of a vector with a dense Hessian."""
    return np.log(np.sum(np.exp(x))) + 0.25 * np.sum(x ** 4) + x[0] * x[1] * x[2]


def main():
    d2_cube = ast_ad.grad(ast_ad.grad(cube))
    d3_cube = ast_ad.grad(ast_ad.grad(ast_ad.grad(cube)))
    print("== f(x) = x**3 at x = 2 ==")
    print(f"f''(2)  = {d2_cube(2.0)}   (6x = 12)")
    print(f"f'''(2) = {d3_cube(2.0)}   (6)")
    assert d2_cube(2.0) == 12.0 and d3_cube(2.0) == 6.0
    print()

    print("== g(x) = sum_{i=1..5} sin(i x), a loop, at x = 0.3 ==")
    x, eps = 0.3, 1e-5
    d_wave = ast_ad.grad(wave)
    d2_wave = ast_ad.grad(d_wave)
    exact = -sum(i * i * math.sin(i * x) for i in range(1, 6))
    fd = (d_wave(x + eps) - d_wave(x - eps)) / (2 * eps)
    second = d2_wave(x)
    print(f"g''(x) by grad(grad(g))   = {second:.12f}")
    print(f"g''(x) by FD of grad(g)   = {fd:.12f}")
    print(f"g''(x) closed form        = {exact:.12f}")
    print(f"wave second derivative rel. diff to FD: {abs(second - fd) / abs(fd):.1e}")
    assert abs(second - exact) < 1e-12 * max(1.0, abs(exact))
    assert abs(second - fd) < 1e-7 * abs(fd)
    print()

    print("== Hessian-vector product of h(x) = logsumexp(x) + sum(x^4)/4 + x0 x1 x2 ==")
    x = np.array([0.5, -1.0, 2.0, 0.25])
    v = np.array([1.0, 2.0, -0.5, 3.0])
    grad_h = ast_ad.grad(h)
    Hv = ast_ad.hvp(h)(x, v)
    H = ast_ad.hessian(h)(x)
    fd = (grad_h(x + eps * v) - grad_h(x - eps * v)) / (2 * eps)
    print(f"hvp(h)(x, v)      = {Hv}")
    print(f"hessian(h)(x) @ v = {H @ v}")
    print(f"FD of grad along v = {fd}")
    d_full = np.max(np.abs(Hv - H @ v))
    d_fd = np.max(np.abs(Hv - fd)) / np.max(np.abs(fd))
    print(f"hvp vs hessian @ v max abs difference: {d_full:.1e}")
    print(f"hvp vs FD max rel. difference: {d_fd:.1e}")
    assert H.shape == (4, 4) and np.allclose(H, H.T, atol=1e-12)
    assert d_full < 1e-12 and d_fd < 1e-7
    print()

    print("== Generated source of grad(grad(x**3)) ==")
    print(d2_cube.source.rstrip())


if __name__ == "__main__":
    main()
