"""scipy.stats distributions called as users call them: values equal to
SciPy's, and every mode up to second order against finite differences
(check_grads), with respect to the data and to the parameters."""
import numpy as np
import pytest

import ast_ad

stats = pytest.importorskip("scipy.stats")

X = np.array([0.3, 0.7, 1.1])
P = np.array([0.3, -0.7, 1.1])
C = np.array([[2.0, 0.3, 0.1], [0.3, 1.5, 0.2], [0.1, 0.2, 1.0]])


def normal_data(x):
    return np.sum(stats.norm.logpdf(x, 0.5, 2.0)) + np.sum(stats.norm.cdf(x, 0.2))


def normal_params(p):
    return (np.sum(stats.norm.logpdf(X, p[0], p[1] ** 2 + 0.5))
            + np.sum(stats.norm.pdf(X * p[2])) + np.sum(stats.norm.logcdf(X, p[0], 1.5)))


def gamma_beta(p):
    return (np.sum(stats.gamma.logpdf(X, p[0] + 2.0, scale=p[1] ** 2 + 1.0))
            + np.sum(stats.beta.logpdf(X / 2.0, p[0] + 1.5, p[2] + 2.0))
            + np.sum(stats.gamma.pdf(X, 2.5, scale=p[2] ** 2 + 0.5)))


def student_expon(p):
    return (np.sum(stats.t.logpdf(X, p[0] + 3.0, p[1], 1.5))
            + np.sum(stats.expon.logpdf(X, scale=p[2] + 2.0))
            + np.sum(stats.expon.cdf(X, scale=p[2] + 2.0)))


def poisson_rate(p):
    return np.sum(stats.poisson.logpmf(np.array([1, 2, 3]), p ** 2 + 0.5))


def mvn(m):
    return (stats.multivariate_normal.logpdf(X, m, C)
            + np.sum(stats.multivariate_normal.logpdf(np.stack([X, 2.0 * X]), m,
                                                      C + np.outer(m, m))))


def dirichlet_conc(a):
    return stats.dirichlet.logpdf(np.array([0.2, 0.3, 0.5]), a ** 2 + 1.0)


CASES = [(normal_data, X), (normal_params, P), (gamma_beta, P), (student_expon, P),
         (poisson_rate, P), (mvn, P), (dirichlet_conc, P)]


@pytest.mark.parametrize("f, x", CASES, ids=[c[0].__name__ for c in CASES])
def test_value_is_scipys(f, x):
    value, _ = ast_ad.value_and_grad(f)(x)
    assert value == pytest.approx(f(x), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("f, x", CASES, ids=[c[0].__name__ for c in CASES])
def test_every_mode_matches_finite_differences(f, x):
    ast_ad.check_grads(f, modes=("fwd", "rev"), order=2, wrt=0)(x)


def test_outside_the_support_is_scipys_value():
    def f(scale):
        return np.sum(stats.expon.logpdf(np.array([-1.0, 1.0]), scale=scale))
    value, g = ast_ad.value_and_grad(f)(2.0)
    assert value == f(2.0) == -np.inf


# ------------------------------------------------ outsider findings

def mvn_logpdf(x, m, S):
    return stats.multivariate_normal.logpdf(x, m, S)


def mvn_sum(x, m, c):
    return np.sum(stats.multivariate_normal.logpdf(x, m, c))


def mvn_default(x, m):
    return stats.multivariate_normal.logpdf(x, m)


@pytest.mark.parametrize("f, args", [
    (mvn_logpdf, (X, P, C)),
    # SciPy reads the lower triangle only: a matrix that is not symmetric
    (mvn_logpdf, (X, P, C + np.array([[0.0, 0.0, 0.7], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]))),
    (mvn_sum, (np.stack([X, P, X * 2.0]), P, C)),
    (mvn_sum, (X, P, 2.0)),                       # a number: times the identity
    (mvn_sum, (X, P, np.array([1.0, 2.0, 3.0]))),  # a vector: the diagonal
    (mvn_default, (X, P)),
    (mvn_sum, (0.3, 0.1, 2.0)),                   # one coordinate
    (mvn_sum, (np.array([0.3, 0.5]), 0.1, 2.0)),
])
def test_multivariate_normal_reads_cov_as_scipy_does(f, args):
    import fdcheck
    wrt = tuple(range(len(args)))
    value, g = ast_ad.value_and_grad(f, wrt=wrt)(*args)
    assert value == pytest.approx(f(*args), rel=1e-12)
    for a, b in zip(g, fdcheck.fd_grad(f, args, wrt)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


def std_normal_logcdf(x):
    return stats.norm.logcdf(x)


@pytest.mark.parametrize("x", [-40.0, -10.0, 0.5, 40.0])
def test_norm_logcdf_in_the_tails(x):
    # d/dx log Phi(x) = phi(x) / Phi(x) ~ -x far below 0; both underflow there
    value, g = ast_ad.value_and_grad(std_normal_logcdf)(x)
    assert value == stats.norm.logcdf(x)
    phi_over_Phi = np.exp(stats.norm.logpdf(x) - stats.norm.logcdf(x))
    assert g == pytest.approx(phi_over_Phi, rel=1e-10, abs=1e-300)
    h = ast_ad.hessian(std_normal_logcdf)(x)
    expected = -phi_over_Phi * (x + phi_over_Phi)       # (log Phi)''
    assert h == pytest.approx(expected, rel=1e-6, abs=1e-12)
