"""Interface, input validation, infeasibility reports and determinism."""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
import pytest

from clusterwork.formation import Problem, solve


def _pts(n, seed=0, scale=1000.0):
    return np.random.default_rng(seed).uniform(0, scale, size=(n, 2))


def test_import_needs_no_django():
    code = (
        "import sys; from clusterwork.formation import Problem, solve; "
        "import numpy as np; "
        "r = solve(Problem(np.random.default_rng(1).uniform(0, 9, (30, 2)), n_clusters=3),"
        " time_limit=5); "
        "assert r.status in ('optimal', 'feasible'); "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django'"
    )
    env = {"PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"xy": [[0, 0], [np.nan, 1], [2, 2]]}, "NaN"),
        ({"xy": [[0, 0], [1, 1], [0, 0]], "allow_duplicates": False}, "duplicate"),
        ({"xy": [[0, 0, 0]]}, "shape"),
        ({"xy": [[0, 0], [1, 1]], "distance": "manhattan"}, "distance"),
        ({"xy": [[0, 0], [1, 1]], "demand": [1, -1], "capacity": 3}, "demand"),
        ({"xy": [[0, 0], [1, 1]], "cannot_link": [(0, 5)]}, "site index"),
        ({"xy": [[0, 0], [1, 1]], "locked": [0, -2]}, "locked"),
    ],
)
def test_bad_input_raises(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Problem(**kwargs)


def test_co_located_sites_are_allowed_by_default(check):
    xy = np.array([[0, 0], [0, 0], [5, 5], [5, 6], [9, 9], [9, 9.5]], float)
    res = solve(Problem(xy, n_clusters=3), time_limit=10)
    assert res.status == "optimal"
    assert check(xy, res, k=3) == pytest.approx(1.5)


@pytest.mark.parametrize("tl", [0, -1, float("nan")])
def test_bad_time_limit(tl):
    with pytest.raises(ValueError, match="time_limit"):
        solve(Problem(_pts(5)), time_limit=tl)


def _infeasible(pb):
    res = solve(pb, time_limit=10)
    assert res.status == "infeasible"
    assert res.labels is None and res.hubs is None
    return res.message


def test_infeasible_exact_size():
    assert (
        _infeasible(Problem(_pts(7), min_size=3, max_size=3))
        == "7 sites cannot form clusters of exactly 3"
    )


def test_infeasible_fixed_k_vs_max():
    msg = _infeasible(Problem(_pts(20), max_size=4, n_clusters=3))
    assert msg == "20 sites cannot form 3 clusters of at most 4 sites (need at least 5 clusters)"


def test_infeasible_must_link_too_big():
    msg = _infeasible(Problem(_pts(30), max_size=12, must_link=[list(range(14))]))
    assert msg == "must-link group of 14 sites exceeds max_size 12"


def test_infeasible_flags():
    flag = np.zeros(20, bool)
    flag[[1, 5, 9]] = True
    msg = _infeasible(Problem(_pts(20), n_clusters=5, need_flag=flag))
    assert msg == "only 3 flagged sites but 5 clusters needed"


def test_infeasible_max_distance():
    xy = _pts(20, scale=100)
    xy[17] = [10_000, 10_000]
    msg = _infeasible(Problem(xy, min_size=2, max_distance=500))
    assert msg.startswith("site 17 has no possible hub within max_distance 500")


def test_infeasible_capacity():
    msg = _infeasible(Problem(_pts(10), demand=np.full(10, 3.0), capacity=5, n_clusters=4))
    assert msg == "site 0 has demand 3 > capacity 5" or msg.startswith("total demand 30")
    assert msg.startswith("total demand 30 exceeds 4 clusters x capacity 5")


def test_infeasible_cannot_link_inside_group():
    msg = _infeasible(Problem(_pts(10), must_link=[[1, 2, 3]], cannot_link=[(3, 1)]))
    assert msg == "cannot-link pair (1, 3) is in the same must-link group"


def test_infeasible_proved_by_model():
    # 6 sites, 2 clusters of exactly 3, but 0-1, 0-2, 1-2 pairwise cannot-link and
    # 3-4, 3-5, 4-5 too: needs 3 clusters -> only the exact model can tell.
    xy = _pts(6)
    cl = [(0, 1), (0, 2), (1, 2), (3, 4), (3, 5), (4, 5), (0, 3)]
    msg = _infeasible(Problem(xy, min_size=3, max_size=3, cannot_link=cl))
    assert "no clustering satisfies all constraints" in msg


def test_k_chosen_from_target_size(check):
    xy = _pts(63, seed=3)
    res = solve(Problem(xy, min_size=3, max_size=12), time_limit=20, patience=5)
    assert res.n_clusters == round(63 / 5)
    check(xy, res, k=13, min_size=3, max_size=12)
    res = solve(Problem(xy, min_size=3, max_size=12, target_size=8), time_limit=20, patience=5)
    assert res.n_clusters == round(63 / 8)
    # bounds win over the target: clusters of at least 10 -> at most 6 clusters
    res = solve(Problem(xy, min_size=10, max_size=12), time_limit=20, patience=5)
    assert res.n_clusters == 6


def test_deterministic_for_seed():
    xy = _pts(120, seed=7)
    pb = Problem(xy, min_size=3, max_size=12)
    a = solve(pb, time_limit=60, seed=3, patience=8)
    b = solve(pb, time_limit=60, seed=3, patience=8)
    assert a.runtime < 60 and b.runtime < 60
    assert np.array_equal(a.labels, b.labels)
    assert a.objective == b.objective


def test_time_limit_honoured(check):
    xy = _pts(6000, seed=11, scale=50_000)
    t = time.perf_counter()
    seen = []
    res = solve(
        Problem(xy, min_size=3, max_size=12),
        time_limit=3,
        progress=lambda s, o, ph: seen.append((s, o)),
    )
    took = time.perf_counter() - t
    assert took < 3 + 2.5
    assert res.status == "feasible"
    check(xy, res, min_size=3, max_size=12)
    assert seen and res.history and res.history[-1][1] == pytest.approx(res.objective)
    objs = [o for _, o in res.history]
    assert all(b < a for a, b in zip(objs, objs[1:], strict=False))
