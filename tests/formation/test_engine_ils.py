"""In-place ILS state: apply a perturbation, re-optimise, undo — the state must come back
exactly, and an accepted round must leave a consistent, feasible state."""

from __future__ import annotations

import time

import numpy as np
import pytest

from clusterwork.formation import Problem
from clusterwork.formation.engine.construct import construct
from clusterwork.formation.engine.ils import rebisect, swap_perturb
from clusterwork.formation.engine.ls import LocalSearch
from clusterwork.formation.engine.model import Model


def _snapshot(ls):
    return (
        ls.hub_of().copy(),
        ls.cost.copy(),
        ls.lw.copy(),
        ls.lq.copy(),
        [set(s) for s in ls.members],
    )


def _consistent(ls, model):
    hub_of = ls.hub_of()
    # members, loads and costs recomputed from scratch agree with the incremental state
    for c in range(ls.k):
        items = np.nonzero(ls.a == c)[0]
        assert set(items.tolist()) == ls.members[c]
        assert ls.lw[c] == pytest.approx(model.w[items].sum())
        assert ls.lq[c] == pytest.approx(model.q[items].sum())
        assert model.min_size <= ls.lw[c] <= model.max_size
        if model.capacity is not None:
            assert ls.lq[c] <= model.capacity + 1e-9
        assert hub_of[ls.hub[c]] == ls.hub[c]  # the hub serves itself
    assert ls.cost == pytest.approx(model.item_cost(np.arange(model.m), hub_of))


@pytest.mark.parametrize("capacitated", [False, True])
def test_apply_then_undo_restores_state_exactly(capacitated):
    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 1000, (240, 2))
    if capacitated:
        q = rng.integers(1, 20, 240).astype(float)
        pb = Problem(xy, demand=q, capacity=float(q.sum() / 30 * 1.25), n_clusters=30)
    else:
        pb = Problem(xy, min_size=3, max_size=12)
    model = Model(pb)
    hub_of, _ = construct(model, np.random.default_rng(0), 1e18)
    ls = LocalSearch(model, hub_of)
    ls.pair_sweep(1e18, np.random.default_rng(0))
    _consistent(ls, model)
    perturbed = changed = 0
    for it in range(40):
        base = ls.hub_of()
        p = (rebisect if it % 2 else swap_perturb)(model, base, rng)
        if p is None:
            continue
        perturbed += 1
        before = _snapshot(ls)
        total = ls.total()
        ls.begin()
        ls.apply(p[0])
        assert np.array_equal(ls.hub_of(), p[0])
        _consistent(ls, model)
        ls.pair_sweep(1e18, rng, clusters=np.unique(p[1]))
        _consistent(ls, model)
        assert ls.delta() == pytest.approx(ls.total() - total)
        changed += not np.array_equal(ls.hub_of(), before[0])
        if it % 3 == 0 and ls.total() <= total:
            ls.commit()
            continue
        ls.undo()
        after = _snapshot(ls)
        assert np.array_equal(after[0], before[0])
        assert np.array_equal(after[1], before[1])
        assert np.array_equal(after[2], before[2])
        assert np.array_equal(after[3], before[3])
        assert after[4] == before[4]
        assert ls.total() == total
    assert perturbed >= 20 and changed >= 10  # the loop really exercised apply/undo


@pytest.mark.parametrize("from_state", [False, True])
def test_region_restricted_perturbations_leave_the_other_side_alone(from_state):
    rng = np.random.default_rng(5)
    xy = rng.uniform(0, 1000, (300, 2))
    model = Model(Problem(xy, min_size=3, max_size=12))
    hub_of, _ = construct(model, np.random.default_rng(0), 1e18)
    hubs = np.unique(hub_of)
    west = xy[hub_of, 0] < np.median(xy[hubs, 0])  # sites whose hub lies in the west
    # with the LocalSearch, perturbations read its loads and costs instead of recomputing
    ls = LocalSearch(model, hub_of) if from_state else None
    made = 0
    for it in range(60):
        p = (rebisect if it % 2 else swap_perturb)(model, hub_of, rng, west, ls)
        if p is None:
            continue
        made += 1
        assert np.array_equal(p[0][~west], hub_of[~west])
        assert west[p[0][west]].all()  # west sites are served by west hubs only
        new_hubs = np.unique(p[0])
        sizes = np.bincount(np.searchsorted(new_hubs, p[0]))
        assert len(new_hubs) == len(hubs) and sizes.min() >= 3 and sizes.max() <= 12
        assert (p[0][new_hubs] == new_hubs).all()  # every hub serves itself
    assert made >= 30


@pytest.mark.parametrize(
    "bounds",
    [
        {"min_size": 3, "max_size": 12},  # small clusters: pair moves only
        {"n_clusters": 40, "min_size": 20, "max_size": 60},  # big ones: shift/swap too
    ],
)
def test_split_map_search_is_feasible_and_reproducible(check, bounds, monkeypatch):
    from clusterwork.formation import solve
    from clusterwork.formation.engine import ils

    monkeypatch.setattr(ils, "EPOCH_ROUNDS", (10, 10))  # short epochs: a quick test

    rng = np.random.default_rng(9)
    xy = rng.uniform(0, 40_000, (1100, 2))
    pb = Problem(xy, **bounds)
    model = Model(pb)
    from clusterwork.formation.engine.ils import partitionable

    assert partitionable(model)  # the test really exercises the two-process search
    phases = []
    a = solve(
        pb,
        time_limit=120,
        seed=4,
        patience=1,
        workers=2,
        progress=lambda s, o, phase: phases.append(phase),
    )
    b = solve(pb, time_limit=120, seed=4, patience=1, workers=2)
    assert a.runtime < 120 and b.runtime < 120  # stopped by patience, not by the clock
    check(xy, a, min_size=bounds["min_size"], max_size=bounds["max_size"])
    assert np.array_equal(a.labels, b.labels)
    assert a.objective == b.objective
    assert "ils" in phases  # the merged halves improved on the initial descent


def _count_chains(monkeypatch):
    """Record (started from the best so far?, patience) of every ILS chain."""
    from clusterwork.formation.engine import solver

    calls = []
    real = solver.ils_in_place

    def counting(model, st, rng, deadline, patience, check=None, start=None):
        calls.append((start is None, patience))
        return real(model, st, rng, deadline, patience, check, start=start)

    monkeypatch.setattr(solver, "ils_in_place", counting)
    return calls


def _capacitated_150():
    rng = np.random.default_rng(2)
    xy = rng.uniform(0, 10_000, (150, 2))
    return Problem(xy, demand=rng.integers(1, 10, 150), capacity=60, n_clusters=15)


def test_chain_stopped_by_patience_restarts_from_fresh_starts(monkeypatch):
    """Time left after ``patience`` idle rounds goes to fresh starts (PATIENCE_RESTARTS of
    them); a run that ends that way is still reproducible and says it converged."""
    from clusterwork.formation import solve
    from clusterwork.formation.engine import solver

    monkeypatch.setattr(solver, "hub_search_applicable", lambda model: False)  # no hub walk
    calls = _count_chains(monkeypatch)
    pb = _capacitated_150()
    a = solve(pb, time_limit=60, seed=1, patience=3, workers=1)
    assert calls == [(True, 3)] + [(False, 3)] * solver.PATIENCE_RESTARTS
    b = solve(pb, time_limit=60, seed=1, patience=3, workers=1)
    assert a.runtime < 60 and "converged" in a.message
    assert np.array_equal(a.labels, b.labels) and a.objective == b.objective


def test_hub_walk_gets_its_turn_early_then_the_chain_runs_on(monkeypatch):
    """With the hub walk, a chain first stops after a share of the patience; the walk then
    either continues from its better solution or the chain runs on for the rest of the
    patience before a fresh start. Still reproducible."""
    from clusterwork.formation import solve
    from clusterwork.formation.engine import solver

    walks = []
    real_walk = solver.exchange_hubs

    def counting_walks(*args, **kwargs):
        found = real_walk(*args, **kwargs)
        walks.append(found is not None)
        return found

    monkeypatch.setattr(solver, "exchange_hubs", counting_walks)
    calls = _count_chains(monkeypatch)
    pb = _capacitated_150()
    patience = 8
    early = patience // solver.HUB_WALK_PATIENCE_DIVISOR
    a = solve(pb, time_limit=60, seed=1, patience=patience, workers=1)
    assert calls[0] == (True, early)
    assert walks and {p for _, p in calls} <= {early, patience - early}
    assert (False, patience - early) in calls  # ran on after a walk that found nothing
    runs_on = sum(p == patience - early for _, p in calls)
    fresh = len(calls) - 1 - runs_on - sum(walks)
    assert fresh == solver.PATIENCE_RESTARTS
    b = solve(pb, time_limit=60, seed=1, patience=patience, workers=1)
    assert a.runtime < 60 and "converged" in a.message
    assert np.array_equal(a.labels, b.labels) and a.objective == b.objective


def test_exact_reassignment_finds_the_cyclic_exchange_a_tight_capacity_needs():
    """gap_assign against brute force: every assignment of the non-hub sites to three
    fixed hubs under capacity, on small random instances."""
    import itertools

    from clusterwork.formation.engine.improve import gap_assign, gap_assign_applicable

    rng = np.random.default_rng(5)
    for _ in range(5):
        xy = rng.uniform(0, 100, (10, 2))
        demand = rng.integers(1, 6, 10).astype(float)
        capacity = float(np.ceil(demand.sum() / 3 * 1.1))
        model = Model(Problem(xy, demand=demand, capacity=capacity, n_clusters=3))
        assert gap_assign_applicable(model)
        hubs = np.array([0, 1, 2])
        d = np.hypot(*(xy[:, None] - xy[hubs][None]).transpose(2, 0, 1))
        best = np.inf
        for choice in itertools.product(range(3), repeat=7):
            slot = np.array([0, 1, 2, *choice])
            if (np.bincount(slot, weights=demand, minlength=3) <= capacity + 1e-9).all():
                best = min(best, d[np.arange(10), slot].sum())
        got = gap_assign(model, hubs, time.perf_counter() + 30)
        if not np.isfinite(best):
            assert got is None
            continue
        assert (got[hubs] == hubs).all()
        assert np.bincount(got, weights=demand, minlength=3)[hubs].max() <= capacity + 1e-9
        assert np.hypot(*(xy - xy[got]).T).sum() == pytest.approx(best)


@pytest.mark.parametrize("distance", ["euclidean", "floor"])
def test_block_relocation_picks_the_same_hubs_as_one_cluster_at_a_time(distance):
    from clusterwork.formation.engine.construct import best_hub

    rng = np.random.default_rng(11)
    xy = np.round(rng.uniform(0, 60, (240, 2)))  # integer grid: floor costs tie often
    model = Model(Problem(xy, min_size=3, max_size=12, distance=distance))
    hub_of, _ = construct(model, rng, time.perf_counter() + 30)
    ls = LocalSearch(model, hub_of)
    got = {c: (h, v) for c, _, h, v in ls._best_hubs(range(ls.k))}
    for c in range(ls.k):
        items = np.fromiter(ls.members[c], dtype=np.int64)
        h, v = best_hub(model, items)
        assert got[c][0] == h
        assert got[c][1] == pytest.approx(v)
