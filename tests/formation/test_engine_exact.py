"""Optimality against an independent brute force, and OR-Library optima."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterwork.formation import Problem, solve

from .conftest import ORLIB, brute_force, check_solution, orlib


@st.composite
def small_instance(draw):
    n = draw(st.integers(4, 9))
    pts = draw(
        st.lists(
            st.tuples(st.integers(0, 60), st.integers(0, 60)), min_size=n, max_size=n, unique=True
        )
    )
    xy = np.array(pts, float)
    k = draw(st.integers(1, min(3, n)))
    kw = {"n_clusters": k}
    if draw(st.booleans()):
        lo = draw(st.integers(1, max(1, n // k)))
        hi = draw(st.integers(lo, n))
        kw.update(min_size=lo, max_size=hi)
    if draw(st.booleans()):
        kw["demand"] = np.array(draw(st.lists(st.integers(1, 9), min_size=n, max_size=n)), float)
        kw["capacity"] = float(draw(st.integers(9, 40)))
    if draw(st.booleans()):
        kw["cannot_link"] = [
            tuple(draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True)))
        ]
    if draw(st.booleans()):
        kw["must_link"] = [
            draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=3, unique=True))
        ]
    if draw(st.booleans()):
        kw["need_flag"] = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    if draw(st.booleans()):
        kw["max_distance"] = float(draw(st.integers(10, 80)))
    kind = draw(st.sampled_from(["euclidean", "floor"]))
    return xy, kw, kind


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instance())
def test_matches_brute_force(inst):
    xy, kw, kind = inst
    ml = kw.get("must_link", ())
    cl = kw.get("cannot_link", ())
    res = solve(Problem(xy, distance=kind, **kw), time_limit=30)
    best = brute_force(
        xy,
        kw["n_clusters"],
        min_size=kw.get("min_size", 1),
        max_size=kw.get("max_size"),
        demand=kw.get("demand"),
        capacity=kw.get("capacity"),
        must_link=ml,
        cannot_link=cl,
        need_flag=kw.get("need_flag"),
        max_distance=kw.get("max_distance"),
        kind=kind,
    )
    if not np.isfinite(best):
        assert res.status == "infeasible", res
        assert res.message
        return
    assert res.status == "optimal", res.message
    obj = check_solution(
        xy,
        res,
        k=kw["n_clusters"],
        min_size=kw.get("min_size", 1),
        max_size=kw.get("max_size"),
        demand=kw.get("demand"),
        capacity=kw.get("capacity"),
        must_link=ml,
        cannot_link=cl,
        need_flag=kw.get("need_flag"),
        max_distance=kw.get("max_distance"),
        kind=kind,
    )
    assert obj == pytest.approx(best, rel=1e-9, abs=1e-6)
    assert res.lower_bound == pytest.approx(best, rel=1e-6, abs=1e-6)


@pytest.mark.skipif(not ORLIB.exists(), reason="OR-Library data not available")
@pytest.mark.parametrize("name, opt", [("cpmp01", 713), ("cpmp05", 664)])
def test_orlib_known_optimum(name, opt):
    xy, Q, q, p = orlib(name)
    res = solve(
        Problem(xy, demand=q, capacity=Q, n_clusters=p, distance="floor", allow_duplicates=True),
        time_limit=40,
        seed=0,
    )
    obj = check_solution(xy, res, k=p, demand=q, capacity=Q, kind="floor")
    assert obj == opt
    assert res.objective == opt
