"""The outsider programs with their seeded inputs and what to check.

Each `setup(rng)` returns `(function, args)`.  Inputs are small so that
finite differences stay cheap on a shared machine.
"""
import functools
import math

import numpy as np

import out_models as M
import out_more as X
import out_sci as P
import out_sims as S
import out_stats as T
from harness import Case


def labels(rng, n, k):
    return rng.integers(0, k, size=n)


# ------------------------------------------------------------------ models
def s_logistic(rng):
    X = rng.normal(size=(12, 3)); y = (rng.random(12) > 0.5).astype(float)
    return M.logistic_loss, (rng.normal(size=3), 0.3, X, y)


def s_logistic_h(rng):
    f, a = s_logistic(rng)
    return f, a


def logistic_grad_w(w, b, X, y, lam=0.1):
    p = 1 / (1 + np.exp(-(X @ w + b)))
    return X.T @ (p - y) / len(y) + lam * w


def s_softmax_reg(rng):
    X = rng.normal(size=(10, 4))
    return M.softmax_regression_loss, (0.5 * rng.normal(size=(4, 3)), rng.normal(size=3), X, labels(rng, 10, 3))


def mlp_params_list(rng, d=3, h=5, o=2):
    return [rng.normal(size=(d, h)) * 0.7, rng.normal(size=h) * 0.1,
            rng.normal(size=(h, o)) * 0.7, rng.normal(size=o) * 0.1]


def s_mlp_list(rng):
    p = mlp_params_list(rng)
    return M.mlp_list_loss, (p, rng.normal(size=(6, 3)), rng.normal(size=(6, 2)))


def mlp_params_dict(rng, d=3, h=5, o=3):
    return {"W1": rng.normal(size=(d, h)), "b1": rng.normal(size=h) * 0.1,
            "W2": rng.normal(size=(h, o)), "b2": rng.normal(size=o) * 0.1}


def s_mlp_dict(rng):
    return M.mlp_dict_loss, (mlp_params_dict(rng), rng.normal(size=(6, 3)), labels(rng, 6, 3))


def s_mlp_dict_own(rng):
    return M.mlp_dict_loss_own_lse, (mlp_params_dict(rng), rng.normal(size=(6, 3)), labels(rng, 6, 3))


def s_rnn(rng):
    H, D, O, Tn = 4, 2, 1, 5
    params = {"Wx": rng.normal(size=(H, D)) * 0.5, "Wh": rng.normal(size=(H, H)) * 0.5,
              "b": rng.normal(size=H) * 0.1, "Wo": rng.normal(size=(O, H))}
    return M.rnn_loss, (params, rng.normal(size=(Tn, D)), rng.normal(size=(Tn, O)))


def s_lstm(rng):
    H, D, Tn = 3, 2, 4
    W = rng.normal(size=(4 * H, D + H)) * 0.5
    b = rng.normal(size=4 * H) * 0.1
    xs = [rng.normal(size=D) for _ in range(Tn)]
    return M.lstm_loss, (W, b, xs, rng.normal(size=H))


def s_gru(rng):
    H, D = 3, 2
    params = [rng.normal(size=s) * 0.5 for s in [(H, D), (H, H)] * 3]
    return M.gru_loss, (params, rng.normal(size=(4, D)))


def s_conv1d(rng):
    return M.conv1d, (rng.normal(size=9), rng.normal(size=3))


def s_conv1d_comp(rng):
    return M.conv1d_comprehension_loss, (rng.normal(size=9), rng.normal(size=3), rng.normal(size=7))


def s_attention(rng):
    return M.attention, (rng.normal(size=(3, 4)), rng.normal(size=(5, 4)), rng.normal(size=(5, 2)))


def s_batchnorm(rng):
    return M.batchnorm_loss, (rng.normal(size=(6, 3)), 1 + 0.1 * rng.normal(size=3),
                              0.1 * rng.normal(size=3), rng.normal(size=(6, 3)))


def s_vae(rng):
    D, Z = 4, 2
    enc = (rng.normal(size=(Z, D)) * 0.5, rng.normal(size=(Z, D)) * 0.3)
    dec = rng.normal(size=(D, Z))
    x = rng.random(D) * 0.8 + 0.1
    return M.vae_loss, (enc, dec, x, rng.normal(size=Z))


def s_elastic(rng):
    X = rng.normal(size=(10, 4))
    return M.elastic_net_loss, (rng.normal(size=4), X, rng.normal(size=10))


def s_huber(rng):
    X = rng.normal(size=(15, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + rng.standard_t(2, size=15)
    return M.huber_loss, (rng.normal(size=3), X, y)


def s_xent(rng):
    onehot = np.eye(3)[labels(rng, 5, 3)]
    return M.cross_entropy_onehot, (rng.normal(size=(5, 3)), onehot)


def s_einsum(rng):
    return M.bilinear_einsum_loss, (rng.normal(size=(3, 2)), rng.normal(size=(5, 3)),
                                    rng.normal(size=(5, 2)), rng.normal(size=5))


def s_svm(rng):
    X = rng.normal(size=(12, 3)); y = np.sign(rng.normal(size=12))
    return M.svm_hinge_loss, (rng.normal(size=3) * 0.5, X, y)


def s_polyfeat(rng):
    x = rng.normal(size=8)
    return M.poly_features_loss, (rng.normal(size=4), x, np.sin(2 * x))


def s_softmax_vec(rng):
    return M.softmax_vec, (rng.normal(size=5),)


# ------------------------------------------------------------- simulations
def s_rk4(rng):
    theta = np.array([1.0, 0.4, 0.3, 0.8]) * (1 + 0.05 * rng.normal(size=4))
    obs = np.array([[2.0, 1.0], [2.2, 1.4], [2.0, 1.9], [1.6, 2.1]])
    return S.rk4_loss, (theta, np.array([2.0, 1.0]), obs)


def s_rk4_traj(rng):
    return S.rk4_trajectory, (np.array([2.0, 1.0]) + 0.1 * rng.normal(size=2),
                              np.array([1.0, 0.4, 0.3, 0.8]))


def s_euler(rng):
    return S.euler_oscillator, (2.0 + rng.random(), 0.3)


def s_nbody(rng):
    n = 3
    pos0 = [rng.normal(size=2) for _ in range(n)]
    vel0 = [0.3 * rng.normal(size=2) for _ in range(n)]
    masses = [1.0, 0.5, 0.8]
    return S.nbody_energy_after, (pos0, vel0, masses)


def s_heat(rng):
    u0 = np.sin(np.linspace(0, np.pi, 8)) + 0.1 * rng.normal(size=8)
    return S.heat_solve, (u0, 0.2)


def s_spring(rng):
    return S.spring_chain_energy, (np.arange(5.0) * 1.1 + 0.05 * rng.normal(size=5), 3.0)


def s_spring_slices(rng):
    return S.spring_chain_energy_slices, (np.arange(5.0) * 1.1 + 0.05 * rng.normal(size=5), 3.0)


def s_pendulum(rng):
    return S.pendulum_final_angle, (1.0 + 0.1 * rng.random(), 0.2)


def s_bs(rng):
    strikes = [80.0, 90.0, 100.0, 110.0, 120.0]
    market = [21.5, 12.9, 6.3, 2.4, 0.8]
    return S.bs_calibration_loss, (0.25, 100.0, strikes, market)


def s_kalman(rng):
    t = np.arange(8) * 0.1
    obs = list(np.sin(t) + 0.1 * rng.normal(size=8))
    return S.kalman_loglik, (0.5, 0.05, obs)


def s_kalman_scalar(rng):
    t = np.arange(8) * 0.1
    obs = [float(v) for v in np.sin(t) + 0.1 * rng.normal(size=8)]
    return S.kalman_loglik_scalar, (0.5, 0.05, obs)


def s_newton(rng):
    return S.newton_root_loss, (1.5, 2.0 + rng.random())


def s_projectile(rng):
    return S.projectile_range, (20.0, 0.7, 0.02)


# -------------------------------------------------------------- statistics
def s_gauss(rng):
    return T.gaussian_loglik, (0.3, -0.2, rng.normal(size=20) * 1.3 + 0.5)


def s_gmm(rng):
    x = np.concatenate([rng.normal(-2, 0.5, 8), rng.normal(1.5, 1.0, 8)])
    return T.gmm_loglik, (np.array([-1.5, 1.0]), np.array([-0.5, 0.1]), np.array([0.2, -0.1]), x)


def s_gmm_own(rng):
    f, a = s_gmm(rng)
    return T.gmm_loglik_own_lse, a


def s_poisson(rng):
    X = rng.normal(size=(15, 3)) * 0.5
    counts = rng.poisson(np.exp(X @ np.array([0.5, -0.3, 0.2]))).astype(float)
    return T.poisson_nll, (rng.normal(size=3) * 0.1, X, counts)


def s_gp(rng):
    X = rng.normal(size=(6, 2))
    y = np.sin(X[:, 0]) + 0.1 * rng.normal(size=6)
    return T.gp_log_marginal, (np.array([0.1, -0.2, -1.0]), X, y)


def s_gp_slogdet(rng):
    f, a = s_gp(rng)
    return T.gp_log_marginal_slogdet, a


def s_ridge(rng):
    X = rng.normal(size=(10, 3)); Xv = rng.normal(size=(6, 3))
    w = np.array([1.0, -1.0, 0.5])
    return T.ridge_validation_loss, (0.2, X, X @ w + 0.3 * rng.normal(size=10),
                                     Xv, Xv @ w + 0.3 * rng.normal(size=6))


def s_wls(rng):
    X = rng.normal(size=(8, 2))
    return T.wls_estimate, (rng.random(8) + 0.5, X, rng.normal(size=8))


def s_kde(rng):
    return T.kde_mean_logpdf, (0.6, rng.normal(size=4), rng.normal(size=10))


def s_kde_plain(rng):
    return T.kde_mean_logpdf_plain, (0.6, rng.normal(size=4), rng.normal(size=10))


def s_lse_list(rng):
    return T.logsumexp_list, ([float(v) for v in rng.normal(size=5)],)


def s_student(rng):
    return T.student_t_nll, (0.1, 0.2, rng.standard_t(4, size=12))


# ------------------------------------------------- plain scientific python
def s_horner(rng):
    return P.horner, ([float(c) for c in rng.normal(size=6)], 0.7)


def s_poly_slope(rng):
    return P.poly_and_slope_sum, ([float(c) for c in rng.normal(size=5)], 0.9)


def s_trap(rng):
    return P.trapezoid_integral, (0.7, 1.3)


def s_trap_vec(rng):
    return P.trapezoid_vec, (np.array([0.7, 1.3]),)


def s_bisect(rng):
    return P.cube_root_bisect, (5.0 + rng.random(),)


def s_fixed_point(rng):
    return P.fixed_point_cos, (0.8,)


def fixed_point_grad(a):
    x = P.fixed_point_cos(a)
    return -math.sin(a * x) * x / (1 + a * math.sin(a * x))


def s_helpers(rng):
    X = rng.normal(size=(7, 3))
    return P.regularised_objective, (rng.normal(size=3), X, rng.normal(size=7), [0.1, 0.2, 0.3])


def s_inplace_helpers(rng):
    return P.inplace_helpers_loss, (rng.normal(size=(4, 2)), rng.normal(size=(4, 3)))


def s_rosen(rng):
    return P.rosenbrock, (rng.normal(size=4),)


def rosen_grad(x):
    g = np.zeros_like(x)
    g[:-1] = -400 * x[:-1] * (x[1:] - x[:-1] ** 2) - 2 * (1 - x[:-1])
    g[1:] += 200 * (x[1:] - x[:-1] ** 2)
    return g


def s_tv(rng):
    y = np.repeat([0.0, 1.0, 0.3], 3) + 0.1 * rng.normal(size=9)
    return P.tv_denoise, (y + 0.05 * rng.normal(size=9), y)


def s_masked(rng):
    x = rng.normal(size=10)
    x[np.abs(np.abs(x) - 0.2) < 0.05] += 0.3   # keep away from the thresholds
    return P.masked_loss, (x,)


def s_piecewise(rng):
    t = np.linspace(-2, 2, 11) + 0.013
    return P.piecewise_model_loss, (np.array([0.8, 0.1, 0.37]), t, np.tanh(t))


def s_wealth(rng):
    return P.wealth_loss, (np.array([0.3, 0.5, 0.2]), 0.02 * rng.normal(size=(10, 3)))


def s_matpoly(rng):
    return P.matrix_poly_trace, (0.5 * rng.normal(size=(3, 3)), [1.0, 0.5, 0.25, 0.125])


def s_matpoly_diag(rng):
    return P.matrix_poly_diag_sum, (0.5 * rng.normal(size=(3, 3)), [1.0, 0.5, 0.25, 0.125])


def s_lambda(rng):
    X = rng.normal(size=(6, 2)); y = rng.normal(size=6)
    return (lambda w: P.least_squares(w, X=X, y=y)), (rng.normal(size=2),)


def s_partial(rng):
    X = rng.normal(size=(6, 2)); y = rng.normal(size=6)
    return functools.partial(P.least_squares, X=X, y=y), (rng.normal(size=2),)


def s_stats_dict(rng):
    ys = {"a": rng.normal(size=6), "b": rng.normal(size=6) + 1.0}
    return P.standardised_stats_loss, (rng.normal(size=6), ys)


def s_mmd(rng):
    return P.mmd_rbf, (rng.normal(size=(4, 2)), rng.normal(size=(5, 2)) + 0.5)


def s_unrolled(rng):
    A = np.array([[3.0, 0.5], [0.5, 1.0]])
    return P.unrolled_gd_loss, (0.1, A, np.array([1.0, -1.0]), rng.normal(size=2))


# ------------------------------------------------------------ more idioms
def s_nbody_vec(rng):
    return X.nbody_vectorised_potential, (rng.normal(size=(4, 2)), np.array([1.0, 0.5, 0.8, 1.2]))


def s_nbody_vec_naive(rng):
    return X.nbody_vectorised_potential_naive, s_nbody_vec(rng)[1]


def s_nbody_vec_naive2(rng):
    return X.nbody_vectorised_potential_naive_noerrstate, s_nbody_vec(rng)[1]


def s_vander(rng):
    t = np.linspace(-1.0, 1.0, 5)          # contains 0.0 exactly
    return X.poly_vandermonde_fit, (rng.normal(size=4), t, np.cos(t))


def s_taylor(rng):
    return X.taylor_value, (0.0, rng.normal(size=4))


def s_prod(rng):
    p = rng.random(4) * 0.5 + 0.25
    p[2] = 0.0                              # one impossible event
    return X.all_events_loss, (p, rng.normal(size=4))


def s_std(rng):
    return X.sample_std_loss, (rng.normal(size=6),)


def s_cos(rng):
    return X.cosine_similarity_loss, (rng.normal(size=(3, 4)), rng.normal(size=(3, 4)))


def s_scatter(rng):
    return X.scatter_add_loss, (rng.normal(size=4) + 1.0, np.array([0, 2, 2, 1]), 3)


def s_embbag(rng):
    return X.embedding_bag_loss, (rng.normal(size=(5, 3)), np.array([1, 3, 1, 4, 1]), rng.normal(size=3))


def s_roll(rng):
    return X.periodic_heat, (rng.normal(size=6), 0.2)


def s_posaxis(rng):
    return X.positional_axis_loss, (rng.normal(size=(3, 4)),)


def s_lp(rng):
    z = np.array([0.7, -0.4, 1.3, -1.1, 0.2])
    return X.lp_pool_loss, (z, 2.5)


def s_deep(rng):
    sizes = [3, 4, 4, 1]
    layers = [(rng.normal(size=(a, b)) * 0.6, rng.normal(size=b) * 0.1) for a, b in zip(sizes[:-1], sizes[1:])]
    return X.deep_mlp_loss, (layers, rng.normal(size=(5, 3)), rng.normal(size=5))


def s_mlp32(rng):
    f32 = np.float32
    return X.mlp32_loss, (rng.normal(size=(3, 4)).astype(f32), rng.normal(size=4).astype(f32),
                          rng.normal(size=(6, 3)).astype(f32), rng.normal(size=6).astype(f32))


def s_one_el(rng):
    return X.one_element_loss, (rng.normal(size=3), rng.normal(size=3))


def s_kwonly(rng):
    Xd = rng.normal(size=(5, 2)); y = rng.normal(size=5)
    return X.kwonly_loss, (rng.normal(size=2),), {"X": Xd, "y": y}


def s_method(rng):
    m = X.LinearModel(rng.normal(size=(5, 2)), rng.normal(size=5))
    return m.loss, (rng.normal(size=2),)


def s_seq_mean(rng):
    xs = [rng.normal(size=3) for _ in range(5)]
    ys = [float(v) for v in rng.normal(size=5)]
    return X.sequence_loss_mean, (rng.normal(size=3), xs, ys)


def s_pairs(rng):
    xs = rng.normal(size=(7, 2)); ys = rng.normal(size=7)
    return X.weighted_pairs_loss, (rng.normal(size=2), xs, ys)


def s_methods(rng):
    A = rng.normal(size=(3, 4))
    A[np.abs(np.abs(A) - 0.5) < 0.05] += 0.2
    return X.methods_loss, (A,)


def s_trimmed(rng):
    return X.trimmed_mean_loss, (rng.normal(size=8),)


def s_median(rng):
    return X.median_abs_loss, (rng.normal(size=7), 0.1)


def s_alias(rng):
    return X.alias_update_loss, (rng.normal(size=4),)


def s_alias_arg(rng):
    return X.alias_argument_loss, (rng.normal(size=4),)


def s_bce(rng):
    Xd = rng.normal(size=(8, 3)); y = (rng.random(8) > 0.5).astype(float)
    return X.stable_bce, (rng.normal(size=3), Xd, y)


def s_passage(rng):
    return X.first_passage_value, (1.3,)


def s_smooth2d(rng):
    return X.smooth2d_loss, (rng.normal(size=(5, 6)), 0.6)


def s_g2d(rng):
    return X.gaussian2d_nll, (np.array([0.1, -0.2]), np.array([1.1, 0.3, 0.8]), rng.normal(size=(6, 2)))


def s_g2d_hand(rng):
    return X.gaussian2d_nll_by_hand, s_g2d(rng)[1]


def s_standardise(rng):
    return X.standardised_cubic_loss, (rng.normal(size=5), rng.normal(size=5))


def s_poly_powers0(rng):
    return X.poly_powers, ([float(c) for c in rng.normal(size=4)], 0.0)


def s_poly_powers(rng):
    return X.poly_powers, ([float(c) for c in rng.normal(size=4)], 0.6)


def s_checked(rng):
    return X.checked_least_squares, (rng.normal(size=2), rng.normal(size=(5, 2)), rng.normal(size=5))


def s_spectral(rng):
    return X.spectral_penalty_loss, (rng.normal(size=(3, 2)), rng.normal(size=(5, 3)), rng.normal(size=(5, 2)))


def s_assign_rep(rng):
    return X.assign_repeated_loss, (rng.normal(size=3), np.array([0, 2, 2]))


CASES = [
    # models
    Case("logistic_regression", "sigmoid, mean NLL, L2; wrt (w, b) with b a float", s_logistic, wrt=(0, 1)),
    Case("logistic_regression_hessian", "Hessian/HVP of the logistic loss in w", s_logistic, wrt=0,
         second_order=True, analytic_grad=logistic_grad_w),
    Case("softmax_regression", "stable logsumexp (max keepdims), integer-array indexing", s_softmax_reg, wrt=(0, 1)),
    Case("mlp_list", "params list [W1,b1,W2,b2] unpacked, tanh, MSE", s_mlp_list),
    Case("mlp_dict_scipy_lse", "params dict, ReLU via np.maximum, scipy.special.logsumexp", s_mlp_dict),
    Case("mlp_dict_own_lse", "params dict, ReLU, hand-written logsumexp helper", s_mlp_dict_own),
    Case("rnn", "Python loop over time, dict params, loss += per step", s_rnn),
    Case("lstm", "helper returning (h, c), np.concatenate, gate slices, loop over a list", s_lstm, wrt=(0, 1, 3)),
    Case("gru", "list params unpacked, hs.append + np.stack", s_gru),
    Case("conv1d_loop", "vector: out[i] = np.dot(x[i:i+k], w) into np.zeros", s_conv1d, wrt=(0, 1), kind="vector"),
    Case("conv1d_comprehension", "np.array([... for i in range(...)]) of slices", s_conv1d_comp, wrt=(0, 1)),
    Case("attention", "matrix-valued: Q@K.T, softmax, /= keepdims, weights@V", s_attention, wrt=(0, 1, 2), kind="vector"),
    Case("batchnorm", "mean/var over axis 0, broadcasting gamma/beta", s_batchnorm, wrt=(0, 1, 2)),
    Case("vae", "tuple params, reparameterisation with fixed noise, KL term", s_vae, wrt=(0, 1)),
    Case("elastic_net", "x.dot, np.abs, np.linalg.norm(w)**2", s_elastic),
    Case("huber", "np.where on |r| <= delta", s_huber),
    Case("cross_entropy_clip", "softmax helper, np.clip, one-hot", s_xent),
    Case("einsum_bilinear", "np.einsum('ni,ij,nj->n')", s_einsum, wrt=(0, 1, 2)),
    Case("svm_hinge", "boolean mask margins[active]", s_svm),
    Case("poly_features", "x[:, None], np.concatenate(axis=1), np.hstack, np.ones", s_polyfeat, wrt=(0, 1)),
    Case("softmax_jacobian", "vector: softmax", s_softmax_vec, kind="vector"),
    # simulations
    Case("rk4_lotka_volterra", "RK4 loop, helper returning np.array([...]), % in an if", s_rk4),
    Case("rk4_trajectory", "vector: list of states appended, np.stack", s_rk4_traj, wrt=(0, 1), kind="vector"),
    Case("euler_oscillator_floats", "float loop, tuple assignment; wrt (k, c)", s_euler, wrt=(0, 1)),
    Case("euler_oscillator_hessian", "Hessian of the float loop wrt k", s_euler, wrt=0, second_order=True),
    Case("nbody", "nested loops, acc[i] += into a list, generator with zip, .copy()", s_nbody, wrt=(0, 1)),
    Case("heat_equation", "vector: slice assignment, helper mutating its argument", s_heat, wrt=(0, 1), kind="vector"),
    Case("spring_chain_diff", "np.diff, f[:-1] += ..., v += on arrays", s_spring, wrt=(0, 1)),
    Case("spring_chain_slices", "x[1:] - x[:-1], f[:-1] += ..., v += on arrays", s_spring_slices, wrt=(0, 1)),
    Case("pendulum_while", "while t < t_end, math.sin, floats", s_pendulum, wrt=(0, 1)),
    Case("black_scholes_calibration", "math.erf/log/exp helpers, zip over strikes list", s_bs, wrt=(0, 1)),
    Case("kalman_linalg", "2x2 np.linalg.inv/det/solve in a loop", s_kalman, wrt=(0, 1)),
    Case("kalman_scalar", "the same filter in scalars, tuple assignments", s_kalman_scalar, wrt=(0, 1)),
    Case("newton_inside", "Newton iterations in the function, wrt (a, b)", s_newton, wrt=(0, 1)),
    Case("projectile_while", "while on the state (y >= 0), math.hypot", s_projectile, wrt=(0, 1, 2)),
    # statistics
    Case("gaussian_loglik", "log-sigma parametrisation, x.size", s_gauss, wrt=(0, 1)),
    Case("gaussian_loglik_hessian", "Hessian wrt mu (float)", s_gauss, wrt=0, second_order=True),
    Case("gmm_scipy_lse", "x[:, None] - means[None, :], scipy logsumexp(axis=1)", s_gmm, wrt=(0, 1, 2)),
    Case("gmm_own_lse", "the same with a hand-rolled logsumexp", s_gmm_own, wrt=(0, 1, 2)),
    Case("poisson_regression", "exp link, scipy gammaln of the data", s_poisson),
    Case("gp_marginal_cholesky", "np.linalg.cholesky, solve, np.diag, np.eye", s_gp),
    Case("gp_marginal_slogdet", "unpacking np.exp(array), np.linalg.slogdet, solve", s_gp_slogdet),
    Case("ridge_closed_form", "np.linalg.solve(X.T@X + lam I), wrt log lambda", s_ridge),
    Case("weighted_least_squares", "vector: solve of weighted normal equations", s_wls, kind="vector"),
    Case("kde_scipy", "scipy logsumexp, float bandwidth and query points", s_kde, wrt=(0, 1)),
    Case("kde_plain", "loop over query array rows, math.log of np.sum", s_kde_plain, wrt=(0, 1)),
    Case("logsumexp_list", "max(list), generator inside sum, list gradient", s_lse_list, second_order=True),
    Case("student_t", "np.log1p, math.lgamma of constants", s_student, wrt=(0, 1)),
    # plain scientific python
    Case("horner", "loop over a list of coefficients; wrt (coeffs, x)", s_horner, wrt=(0, 1)),
    Case("horner_hessian", "Hessian in x", s_horner, wrt=1, second_order=True),
    Case("poly_enumerate_reversed", "enumerate(reversed(list)), += with an if", s_poly_slope, wrt=(0, 1)),
    Case("trapezoid_loop", "loop with a conditional-expression weight", s_trap, wrt=(0, 1)),
    Case("trapezoid_vectorised", "np.linspace, np.diff, slices", s_trap_vec),
    Case("bisection_then_newton", "while on a tolerance, if on mid (no gradient), final formula", s_bisect,
         fd_h=1e-3),
    Case("fixed_point_while", "while with break on |x_new - x| < tol", s_fixed_point, second_order=False),
    Case("helpers_calling_helpers", "helper -> helper chain, sum over zip generator", s_helpers),
    Case("inplace_helpers", "helpers doing G += ..., arr[0] = 0, g[1:3] *= 2 on a ravel view", s_inplace_helpers,
         wrt=(0, 1)),
    Case("rosenbrock", "vectorised slices; Hessian/HVP", s_rosen, second_order=True, analytic_grad=rosen_grad),
    Case("tv_denoise", "smooth TV with slices; Hessian/HVP", s_tv, second_order=True),
    Case("masked_update", "y[y < -t] = 0 and x[x > t]", s_masked),
    Case("piecewise_clip", "np.clip/np.minimum/np.maximum, tuple unpacking of an array", s_piecewise),
    Case("cumsum_wealth", "np.cumsum, np.log1p, [-1]", s_wealth),
    Case("matrix_poly_trace", "np.trace, np.eye, @ in a loop", s_matpoly),
    Case("matrix_poly_diag_sum", "sum(P[i, i] for i ...), np.eye", s_matpoly_diag),
    Case("lambda_wrapper", "grad(lambda w: f(w, X=X, y=y)) with closure data", s_lambda),
    Case("functools_partial", "grad(functools.partial(f, X=X, y=y))", s_partial),
    Case("dict_built_in_loop", "ys.items(), helper returning a tuple, stats[name] = ...", s_stats_dict),
    Case("mmd_nested_helper", "nested def inside the function, pairwise matrices", s_mmd, wrt=(0, 1)),
    Case("unrolled_gd", "hyper-gradient of a learning rate through 15 GD steps", s_unrolled, wrt=(0, 3)),
    # more idioms
    Case("nbody_vec_safe_where", "double-where trick, pos[None]-pos[:, None], masses outer", s_nbody_vec),
    Case("nbody_vec_where_errstate", "np.where(d2 > 0, 1/np.sqrt(d2), 0) under np.errstate", s_nbody_vec_naive),
    Case("nbody_vec_where_naive", "np.where(d2 > 0, d2 ** -0.5, 0): inf in the untaken branch", s_nbody_vec_naive2),
    Case("vandermonde_at_zero", "t[:, None] ** np.arange(n) on a grid containing 0.0", s_vander),
    Case("taylor_at_zero", "np.sum(c * x ** np.arange(n)) at x = 0.0; wrt (x, c)", s_taylor, wrt=(0, 1)),
    Case("prod_with_zero", "np.prod(p) with one p_i == 0", s_prod),
    Case("std_ddof1", "np.std/np.var with ddof=1", s_std),
    Case("cosine_similarity", "np.linalg.norm(axis=1, keepdims=True)", s_cos, wrt=(0, 1)),
    Case("scatter_repeated_index", "bins[idx] += vals with a repeated index (buffered in NumPy)", s_scatter),
    Case("embedding_bag", "E[tokens] gather with repeats, .mean(axis=0)", s_embbag),
    Case("periodic_heat_roll", "np.roll", s_roll, wrt=(0, 1)),
    Case("positional_axis", "X.sum(0), np.mean(X, 1)", s_posaxis, second_order=True),
    Case("lp_pool_relu_zeros", "np.maximum(z, 0) ** p with exact zeros, wrt (z, p)", s_lp, wrt=(0, 1)),
    Case("deep_mlp_layers_list", "list of (W, b) tuples, layers[:-1], for W, b in ...", s_deep),
    Case("mlp_float32", "float32 arrays: gradient dtype float32", s_mlp32, wrt=(0, 1), rtol=1e-3,
         fd64=True),
    Case("one_element_array_loss", "loss of shape (1, 1)", s_one_el),
    Case("kwonly_args", "def f(w, *, X, y, lam=0.5) called with keywords", s_kwonly),
    Case("class_method", "grad(model.loss) of a user class method", s_method),
    Case("list_of_losses_mean", "losses.append, np.mean(list), np.array(list)", s_seq_mean),
    Case("enumerate_zip_continue", "for i, (x, y) in enumerate(zip(...)), continue", s_pairs),
    Case("array_methods_extra", ".clip(), .flatten(), .astype(float), .max()", s_methods),
    Case("trimmed_mean_sort", "np.sort then slice", s_trimmed),
    Case("median_abs", "np.median", s_median, wrt=(0, 1)),
    Case("alias_local_inplace", "z = y; z += 1; z *= x", s_alias, second_order=True),
    Case("alias_argument_inplace", "y = x; y += 1 mutates the argument in Python", s_alias_arg),
    Case("stable_bce_logaddexp", "np.logaddexp(0, z)", s_bce),
    Case("early_return_in_loop", "return inside a for loop, defaults", s_passage),
    Case("smooth2d_slices", "2-D slices img[1:-1, :-2], out.size", s_smooth2d, wrt=(0, 1)),
    Case("gaussian2d_linalg", "np.array of active entries, np.linalg.inv/det, einsum", s_g2d, wrt=(0, 1)),
    Case("gaussian2d_by_hand", "2x2 inverse by hand, d[:, 0], math.log of a NumPy scalar", s_g2d_hand,
         wrt=(0, 1)),
    Case("standardise_inplace_helper", "helper doing v -= v.mean(); v /= v.std() on a local array",
         s_standardise, wrt=(0, 1)),
    Case("poly_powers_at_zero", "sum(c * x ** i for i, c in enumerate(coeffs)) at x = 0.0", s_poly_powers0,
         wrt=(0, 1)),
    Case("poly_powers", "the same at x = 0.6", s_poly_powers, wrt=(0, 1), second_order=False),
    Case("assert_validation", "assert X.shape[0] == y.shape[0] at the top", s_checked),
    Case("spectral_norm_penalty", "np.linalg.norm(W, 2) of a matrix", s_spectral),
    Case("assign_repeated_index", "out[idx] = v with a repeated index (last write wins)", s_assign_rep),
]

# analytic checks used alongside FD for the implicit-function cases
ANALYTIC = {
    "fixed_point_while": fixed_point_grad,
}
