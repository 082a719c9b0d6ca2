"""Side constraints on instances big enough to go through the heuristic path."""

from __future__ import annotations

import numpy as np
import pytest

from clusterwork.formation import Problem, solve

from .conftest import check_solution


def _pts(n, seed=0, scale=10_000.0):
    return np.random.default_rng(seed).uniform(0, scale, size=(n, 2))


def test_all_side_constraints_together():
    n = 140
    xy = _pts(n, seed=5)
    rng = np.random.default_rng(1)
    flag = np.zeros(n, bool)
    flag[rng.choice(n, 45, replace=False)] = True
    ml = [[0, 1, 2], [10, 11], [20, 21, 22, 23]]
    cl = [(3, 4), (5, 6), (30, 31), (0, 40)]
    kw = dict(
        min_size=3, max_size=12, must_link=ml, cannot_link=cl, need_flag=flag, max_distance=6000.0
    )
    res = solve(Problem(xy, **kw), time_limit=10, patience=10)
    assert res.status in ("feasible", "optimal"), res.message
    check_solution(xy, res, k=28, **kw)


def test_capacity_and_counts_together():
    n = 120
    xy = _pts(n, seed=2)
    q = np.random.default_rng(3).integers(1, 10, n).astype(float)
    kw = dict(min_size=2, max_size=8, demand=q, capacity=40.0)
    res = solve(Problem(xy, n_clusters=20, **kw), time_limit=30, patience=10)
    assert res.status in ("feasible", "optimal"), res.message
    check_solution(xy, res, k=20, **kw)


def test_locked_sites_keep_their_cluster():
    # 40 schools in 8 existing clusters of 5, 20 newcomers; 12 clusters wanted.
    rng = np.random.default_rng(4)
    centres = rng.uniform(0, 50_000, size=(8, 2))
    old = np.repeat(centres, 5, axis=0) + rng.normal(0, 800, size=(40, 2))
    new = rng.uniform(0, 50_000, size=(20, 2))
    xy = np.vstack([old, new])
    locked = np.r_[np.repeat(np.arange(8), 5), np.full(20, -1)]
    res = solve(
        Problem(xy, min_size=3, max_size=12, n_clusters=12, locked=locked),
        time_limit=30,
        patience=10,
    )
    assert res.status in ("feasible", "optimal"), res.message
    check_solution(xy, res, k=12, min_size=3, max_size=12, locked=locked)
    # locked label L is reported as cluster L
    assert np.array_equal(res.labels[:40], locked[:40])


def test_incremental_mode_places_newcomers_with_fewest_moves():
    rng = np.random.default_rng(8)
    centres = rng.uniform(0, 60_000, size=(10, 2))
    xy = np.repeat(centres, 5, axis=0) + rng.normal(0, 1500, size=(50, 2))
    newcomers = rng.uniform(0, 60_000, size=(12, 2))
    xy = np.vstack([xy, newcomers])
    current = np.r_[np.repeat(np.arange(10), 5), np.full(12, -1)]
    base = solve(Problem(xy, min_size=3, max_size=12, n_clusters=12), time_limit=30, patience=10)
    res = solve(
        Problem(xy, min_size=3, max_size=12, n_clusters=12, move_cost=1e7, current_labels=current),
        time_limit=30,
        patience=10,
    )
    assert res.status in ("feasible", "optimal"), res.message
    check_solution(xy, res, k=12, min_size=3, max_size=12)
    assert res.moves == 0
    # existing clusters keep their numbers
    assert np.array_equal(res.labels[:50], current[:50])
    # move_cost 0: the same search as without current labels; moves are only reported
    cheap = solve(
        Problem(xy, min_size=3, max_size=12, n_clusters=12, move_cost=0.0, current_labels=current),
        time_limit=30,
        patience=10,
    )
    assert cheap.objective == pytest.approx(base.objective)
    assert cheap.moves is not None and 0 <= cheap.moves <= 50


def test_matrix_distance(check):
    xy = _pts(60, seed=9)
    D = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(-1))
    a = solve(Problem(xy, distance=D, n_clusters=8, max_size=10), time_limit=30, patience=10)
    obj = check_solution(xy, a, k=8, max_size=10)
    assert obj == pytest.approx(a.objective)


def test_unit_bounds_beat_naive_partition():
    # the optimiser must do much better than the initial balanced bisection
    xy = _pts(400, seed=12)
    seen = []
    res = solve(
        Problem(xy, min_size=3, max_size=12),
        time_limit=30,
        patience=10,
        progress=lambda s, o, ph: seen.append(o),
    )
    check_solution(xy, res, k=80, min_size=3, max_size=12)
    assert res.objective <= 0.9 * seen[0]
