"""Hub exchange guided by the transportation LP, for small capacitated instances.

The ILS moves sites and re-optimises a few clusters at a time, so it cannot leave a basin
whose way out is a coordinated move of several hubs across the map. OR-Library's
cpmp19 ends 1 unit above its optimum in every run without it: the optimum has five other
hubs, and every single hub swap from our solution is worse, even with the sites
re-assigned exactly. The LP relaxation of the assignment (sites may be split between
hubs: a transportation problem, one min-cost flow) is a smooth guide through that
landscape: on cpmp14 the best-ranked swap by LP is the first step to the optimum, and on
cpmp19 a short tabu walk by LP passes through hub sets whose exact re-assignment leads
there.

The walk: each step makes the swap (close a hub, open one of its nearest sites) with the
lowest LP value, even when it is worse, and forbids undoing it for a few steps. A hub set
whose LP value is about as good as the starting one is re-assigned exactly (a
generalised assignment MIP) and descended by the caller.
"""

from __future__ import annotations

import time

import numpy as np
from ortools.graph.python import min_cost_flow

from .improve import gap_assign_applicable
from .model import Model

HUB_SEARCH_ITEMS = 200  # one step prices k x HUB_SEARCH_NEAR flows: ~55 ms at n = 100, k = 10
HUB_SEARCH_NEAR = 12  # a hub may move to one of its this many nearest sites
HUB_SEARCH_TENURE = 3  # steps during which a swap may not be undone
# A hub set is re-assigned exactly when its LP value is at most this share above the
# starting set's (cpmp19's way out passes a set 0.06 % above it)
HUB_SEARCH_LP_SLACK = 1e-3
HUB_SEARCH_IDLE_PER_CLUSTER = 1  # a walk gives up after this many steps per cluster
_COST_RANGE = 1e9  # flow costs are integers: distances per unit of demand scaled into this


def applicable(model: Model) -> bool:
    """Demand-weighted capacity on up to HUB_SEARCH_ITEMS single sites (the conditions of
    the exact re-assignment), integer demands (flow supplies), two clusters or more."""
    return (
        gap_assign_applicable(model)
        and model.m <= HUB_SEARCH_ITEMS
        and model.k >= 2
        and bool(np.allclose(model.q, np.round(model.q)))
        and bool((model.q >= 0).all())
    )


class TransportLP:
    """Value of the assignment LP for a hub set: every site sends its demand to hubs
    (split if need be), each hub's own demand stays at home, capacity caps what a hub
    receives. Count bounds are left out: it is a guide, the exact re-assignment keeps
    them."""

    def __init__(self, model: Model):
        n = model.m
        self.n = n
        self.cost = model.item_cost(np.arange(n)[:, None], np.arange(n)[None, :])
        self.q = np.round(model.q).astype(np.int64)
        self.capacity = int(np.floor(model.capacity + 1e-9))
        per_unit = self.cost / np.maximum(self.q, 1)[:, None]
        top = float(per_unit[np.isfinite(per_unit)].max(initial=1.0))
        self.scale = _COST_RANGE / max(top, 1e-9) / n
        self.unit_cost = np.round(np.where(np.isfinite(per_unit), per_unit, 0) * self.scale)
        self.unit_cost = self.unit_cost.astype(np.int64)
        self.allowed = np.isfinite(self.cost)

    def value(self, hubs) -> float:
        hubs = np.asarray(hubs, dtype=np.int64)
        k = len(hubs)
        room = self.capacity - self.q[hubs]
        if (room < 0).any():
            return np.inf
        free = np.ones(self.n, bool)
        free[hubs] = False
        zero = free & (self.q == 0)
        sites = np.nonzero(free & (self.q > 0))[0]
        # sites without demand go to their nearest hub at no capacity
        fixed = self.cost[np.ix_(np.nonzero(zero)[0], hubs)].min(axis=1).sum() if zero.any() else 0
        tails = np.repeat(sites, k)
        slots = np.tile(np.arange(k), len(sites))
        ok = self.allowed[tails, hubs[slots]]
        tails, slots = tails[ok], slots[ok]
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(
            tails, self.n + slots, self.q[tails], self.unit_cost[tails, hubs[slots]]
        )
        sink = self.n + k
        flow.add_arcs_with_capacity_and_unit_cost(
            self.n + np.arange(k), np.full(k, sink), room, np.zeros(k, np.int64)
        )
        supply = np.zeros(sink + 1, np.int64)
        supply[sites] = self.q[sites]
        supply[sink] = -supply.sum()
        flow.set_nodes_supplies(np.arange(sink + 1), supply)
        if flow.solve() != flow.OPTIMAL:
            return np.inf
        return flow.optimal_cost() / self.scale + float(fixed)


def exchange_hubs(model: Model, hub_of, best_cost, deadline, reassign, lp=None, max_idle=None):
    """Tabu walk over hub sets from the hubs of ``hub_of``, ranked by ``TransportLP``.
    ``reassign(hubs)`` turns a promising hub set into a solution (exact assignment and
    descent) and returns (hub_of, cost) or None. Returns the first solution cheaper than
    ``best_cost``, or None after ``max_idle`` steps (default HUB_SEARCH_IDLE_PER_CLUSTER
    per cluster) or at the deadline."""
    lp = TransportLP(model) if lp is None else lp
    hubs = np.unique(hub_of)
    k = len(hubs)
    if max_idle is None:
        max_idle = int(HUB_SEARCH_IDLE_PER_CLUSTER * k)
    near = _nearest_sites(model, hubs, lp)
    start_value = lp.value(hubs)
    if not np.isfinite(start_value):
        return None
    threshold = start_value + HUB_SEARCH_LP_SLACK * abs(start_value)
    seen = {frozenset(hubs.tolist())}
    no_reopen: dict[int, int] = {}  # closed hub -> last step it may not come back
    no_close: dict[int, int] = {}  # opened hub -> last step it may not be closed
    for step in range(max_idle):
        if time.perf_counter() >= deadline:
            return None
        is_hub = set(hubs.tolist())
        best = None
        for t, h in enumerate(hubs.tolist()):
            if no_close.get(h, -1) >= step:
                continue
            for s in near.get(h, ()):
                if s in is_hub or no_reopen.get(s, -1) >= step:
                    continue
                trial = hubs.copy()
                trial[t] = s
                key = frozenset(trial.tolist())
                if key in seen:
                    continue
                value = lp.value(trial)
                if best is None or value < best[0]:
                    best = (value, h, s, trial, key)
            if time.perf_counter() >= deadline:
                return None
        if best is None or not np.isfinite(best[0]):
            return None
        value, h, s, hubs, key = best
        seen.add(key)
        no_reopen[h] = step + HUB_SEARCH_TENURE
        no_close[s] = step + HUB_SEARCH_TENURE
        if value <= threshold:
            got = reassign(np.sort(hubs))
            if got is not None and got[1] < best_cost - 1e-9 * max(1.0, abs(best_cost)):
                return got
        if s not in near:
            near.update(_nearest_sites(model, np.array([s]), lp))
    return None


def _nearest_sites(model: Model, hubs, lp: TransportLP) -> dict[int, list[int]]:
    """The HUB_SEARCH_NEAR nearest sites of each hub (the hub excluded)."""
    count = min(HUB_SEARCH_NEAR + 1, model.m)
    rows = lp.cost[hubs]
    order = np.argsort(rows, axis=1, kind="stable")[:, :count]
    return {
        int(h): [int(s) for s in order[t] if s != h and np.isfinite(rows[t, s])]
        for t, h in enumerate(hubs)
    }
