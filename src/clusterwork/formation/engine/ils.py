"""Iterated local search for the pair-optimisable models (no flags / locks /
cannot-link / must-link groups, no incremental move cost): perturbations and the in-place
ILS loop with undo."""

from __future__ import annotations

import os
import time

import numpy as np

from . import forking
from .construct import best_hub, bisect, greedy_assign, leaf_ok
from .improve import total_cost
from .ls import LocalSearch

_DEBUG = bool(os.environ.get("CW_DEBUG"))
SHIFT_SWAP_ITEMS = 1000  # up to this many items an ILS round also runs shift/swap descent
SHIFT_SWAP_CLUSTER_SIZE = 15  # ...and above, when clusters average more items than this
ILS_PAIR_NN = 4  # pair re-optimisation partners per cluster in an ILS round (6: no better)
WORST_SERVED = 20  # a swap opens its new cluster at one of this many worst-served sites


def _random_cluster(model, hubs, region, rng):
    """(a random cluster index into ``hubs``, how many clusters may be touched), or None
    when a region-restricted chain has fewer than two clusters to work with."""
    if region is None:
        return int(rng.integers(len(hubs))), len(hubs)
    ok = np.nonzero(region[model.item_of[hubs]])[0]
    if len(ok) < 2:
        return None
    return int(ok[rng.integers(len(ok))]), len(ok)


def _clusters_of(hub_of, ls):
    """(hub per cluster, cluster per item): from the LocalSearch's state when given, which
    saves sorting all n items every round on large instances."""
    if ls is not None:
        return ls.hub, ls.a
    return np.unique(hub_of, return_inverse=True)


def _items_of(a, clusters, ls):
    if ls is not None:
        return np.sort(
            np.fromiter(
                (g for c in clusters.tolist() for g in ls.members[c]),
                dtype=np.int64,
            )
        )
    return np.nonzero(np.isin(a, clusters))[0]


def rebisect(model, hub_of, rng, region=None, ls=None):
    """Re-bisect 3–7 neighbouring clusters with a random rotation. ``region`` (bool per
    item) restricts the perturbation to clusters whose hub item lies in it. ``ls``: the
    LocalSearch whose solution ``hub_of`` is (optional, faster)."""
    hubs, a = _clusters_of(hub_of, ls)
    k = len(hubs)
    R = int(min(k, rng.integers(3, 8)))
    picked = _random_cluster(model, hubs, region, rng)
    if picked is None:
        return None
    c, allowed = picked
    R = min(R, allowed)
    d = model.metric.pair(np.full(k, hubs[c]), hubs)
    if region is not None:
        d[~region[model.item_of[hubs]]] = np.inf
    near = np.argsort(d, kind="stable")[:R]
    items = _items_of(a, near, ls)
    _, leaves = bisect(model, R, rng, items=items, angle=float(rng.uniform(0, np.pi)))
    out = hub_of.copy()
    bad = False
    for leaf in leaves:
        if leaf.k != 1:
            return None
        h, cst = best_hub(model, leaf.items)
        if not leaf_ok(model, leaf.items, h, cst):
            bad = True
        out[leaf.items] = h
    if bad:
        if not model.singletons:
            return None
        hubs_r = np.unique(out[items])
        g = greedy_assign(model, hubs_r, sites=items)
        if g is None:
            return None
        out[items] = g
    new_hubs = np.unique(out[items])
    return out, new_hubs


def swap_perturb(model, hub_of, rng, region=None, ls=None):
    """p-median style swap: close a random cluster (members go to the nearest clusters
    with room) and open a new one at a badly served site. Count bounds and capacity are
    kept; only used for models without flags / locks / cannot-link / groups. ``region``
    (bool per item) keeps the swap inside the clusters whose hub item lies in it. ``ls``:
    the LocalSearch whose solution ``hub_of`` is (optional: its loads and costs are
    reused instead of recomputed for all n items)."""
    hubs, a = _clusters_of(hub_of, ls)
    k = len(hubs)
    if k < 2:
        return None
    m = model
    cap = m.capacity if m.capacity is not None else np.inf
    if ls is not None:
        lw, lq, cost = ls.lw.astype(float), ls.lq.copy(), ls.cost.copy()
    else:
        lw = np.bincount(a, weights=m.w, minlength=k).astype(float)
        lq = np.bincount(a, weights=m.q, minlength=k)
        cost = m.item_cost(np.arange(m.m), hub_of)
    picked = _random_cluster(model, hubs, region, rng)
    if picked is None:
        return None
    c = picked[0]
    Mc = np.nonzero(a == c)[0]
    # reassign members of c
    dd = m.item_cost(Mc[:, None], hubs[None, :])
    dd[:, c] = np.inf
    if region is not None:
        dd[:, ~region[m.item_of[hubs]]] = np.inf
    order = np.argsort(dd.min(axis=1), kind="stable")
    new_a = a.copy()
    for t in order:
        g = Mc[t]
        for d in np.argsort(dd[t], kind="stable")[:12]:
            if not np.isfinite(dd[t, d]):
                return None
            if lw[d] + m.w[g] <= m.max_size and lq[d] + m.q[g] <= cap + 1e-9:
                new_a[g] = d
                lw[d] += m.w[g]
                lq[d] += m.q[g]
                cost[g] = dd[t, d]
                break
        else:
            return None
    lw[c] = 0
    lq[c] = 0
    # open a new cluster at a badly served non-hub site
    is_hub = np.zeros(m.m, bool)
    is_hub[hubs] = True
    cand = np.nonzero(~is_hub if region is None else ~is_hub & region)[0]
    if len(cand) == 0:
        return None
    if len(cand) > WORST_SERVED:
        # only the worst few matter: a partial selection instead of sorting all n
        cand = cand[np.argpartition(-cost[cand], WORST_SERVED - 1)[:WORST_SERVED]]
        cand.sort()
    worst = cand[np.argsort(-cost[cand], kind="stable")[:WORST_SERVED]]
    s = int(rng.choice(worst))
    e = new_a[s]
    if lw[e] - 1 < m.min_size:
        return None
    new_a[s] = c
    lw[e] -= m.w[s]
    lq[e] -= m.q[s]
    lw[c] = m.w[s]
    lq[c] = m.q[s]
    hubs = hubs.copy()
    hubs[c] = s
    cost[s] = 0.0
    size = int(np.ceil(m.n / k)) * 3
    if m.metric.matrix is None:
        _, near = m.metric._tree.query(m.pb.xy[s], k=min(m.n, size))
        near = np.atleast_1d(near)
    else:
        near = np.argsort(m.metric.matrix[s], kind="stable")[:size]
    near = near[~is_hub[near] & (near != s)]
    if region is not None:
        near = near[region[near]]
    cs = m.item_cost(near, np.full(len(near), s))
    gain = cs - cost[near]
    for t in np.argsort(gain, kind="stable"):
        g = near[t]
        d = new_a[g]
        need = lw[c] < m.min_size
        if gain[t] >= 0 and not need:
            break
        if not np.isfinite(cs[t]):
            continue
        if (
            lw[d] - m.w[g] < m.min_size
            or lw[c] + m.w[g] > m.max_size
            or lq[c] + m.q[g] > cap + 1e-9
        ):
            continue
        new_a[g] = c
        lw[d] -= m.w[g]
        lq[d] -= m.q[g]
        lw[c] += m.w[g]
        lq[c] += m.q[g]
    if lw[c] < m.min_size or (lw < m.min_size).any():
        return None
    out = hubs[new_a]
    touched = np.unique(np.concatenate([[c], a[Mc], new_a[Mc]]))
    return out, hubs[touched]


def ils_in_place(model, st, rng, deadline, patience, check=None, start=None):
    """Iterated local search on one persistent LocalSearch: perturb a few neighbouring
    clusters in place, re-optimise only around them (shift/swap, hub relocation, exact
    pair re-optimisation), keep if not worse, otherwise undo. A round costs about the
    size of the region, not n (apart from a few vectorised O(n) array operations).
    Starts from ``start`` (default: the best solution so far, ``st.best``). Returns
    (rounds done, the chain's solution at the end)."""
    ls = LocalSearch(model, st.best if start is None else start)
    chain = _Chain(model, ls, rng, deadline)
    while time.perf_counter() < deadline and chain.it - chain.last_impr < patience:
        if chain.cur_cost <= 0 or not chain.rounds(1, st=st, check=check):
            break
    return chain.it, ls.hub_of()


class _Chain:
    """The state of one ILS chain on a LocalSearch: rounds done, last improving round,
    current cost. ``allowed`` (bool per cluster index of ``ls``) confines the chain to
    part of the clusters, so that two processes can improve disjoint parts at once."""

    def __init__(self, model, ls, rng, deadline):
        self.model = model
        self.ls = ls
        self.rng = rng
        self.deadline = deadline
        self.cur_cost = ls.total()
        self.it = 0
        self.last_impr = 0
        # Small instances: rounds are cheap anyway and pair moves alone get stuck (SJC1
        # 0.8 % above optimum); large ones: pair-only rounds did better at equal CPU,
        # unless clusters are big (the pair DP then works on scaled demand and a few
        # candidate hubs, and single moves matter again: pr2392_020 0.99 % pair-only).
        self.shift_swap = model.m <= SHIFT_SWAP_ITEMS or model.m > SHIFT_SWAP_CLUSTER_SIZE * model.k

    def rounds(self, count, st=None, check=None, allowed=None):
        """Run ``count`` perturb-reoptimise rounds (fewer at the deadline). Returns False
        when the deadline was hit."""
        model, ls, rng, deadline = self.model, self.ls, self.rng, self.deadline
        region = None if allowed is None else allowed[ls.a]
        for _ in range(count):
            if time.perf_counter() >= deadline:
                return False
            self.it += 1
            it = self.it
            base = ls.hub_of()
            p = (
                rebisect(model, base, rng, region, ls)
                if it % 2
                else swap_perturb(model, base, rng, region, ls)
            )
            if p is None:
                continue
            ls.begin()
            touched = ls.apply(p[0])
            hubs = np.unique(np.concatenate([np.asarray(p[1], np.int64), ls.hub[touched]]))
            if self.shift_swap:
                ls.run(deadline, order_rng=rng, clusters=ls.neighbour_hubs(hubs), allowed=allowed)
            clusters = hubs
            while time.perf_counter() < deadline:
                before = ls.total()
                if (
                    not ls.pair_sweep(
                        deadline, rng, nn=ILS_PAIR_NN, clusters=clusters, allowed=allowed
                    )
                    or ls.total() >= before - 1e-9
                ):
                    break
                clusters = np.array(sorted(ls.changed), dtype=np.int64)
                if self.shift_swap:
                    ls.run(
                        deadline,
                        order_rng=rng,
                        clusters=ls.neighbour_hubs(clusters),
                        allowed=allowed,
                    )
            c = ls.total()
            cur_cost = self.cur_cost
            if c <= cur_cost + 1e-9 * max(1.0, abs(cur_cost)):
                ls.commit()
                if c < cur_cost - 1e-9 * max(1.0, abs(cur_cost)):
                    self.last_impr = it
                    if st is not None and c < st.best_cost:
                        st.offer(ls.hub_of(), "ils")
                self.cur_cost = c
            else:
                ls.undo()
            if check is not None and it % 50 == 0:
                check(model, ls.hub_of(), "ils-in-place")
                assert abs(ls.total() - total_cost(model, ls.hub_of())) < 1e-6 * max(1, c)
            if it % 500 == 0:
                ls._cands()  # drop candidate lists made stale by distant hub moves
        return True


PARTITION_MIN_CLUSTERS = 40  # fewer clusters: two independent chains do better
EPOCH_ROUNDS = (100, 1000)  # rounds per side between merges: k, clipped to this range
_GOLDEN_ANGLE = np.pi * (3 - np.sqrt(5))


def partitionable(model) -> bool:
    """Large pair-optimisable models, where one chain improves only a small part of the
    map per second: better to split the map between two processes."""
    return model.m > SHIFT_SWAP_ITEMS and model.k >= PARTITION_MIN_CLUSTERS


def ils_partitioned(model, st, rng, deadline, patience, epoch_rounds=None):
    """ILS on two CPU cores without duplicated work: each epoch the clusters are split by
    a line through the map (turned by the golden angle every epoch, so every boundary is
    soon inside one side), a forked child improves one side while this process improves
    the other, and the two halves are merged. Sides exchange no sites, so the merged
    clustering is feasible and its cost is the sum of both. Epochs are counted in rounds,
    not seconds, so a run that stops by ``patience`` is reproducible."""
    ls = LocalSearch(model, st.best)
    chain = _Chain(model, ls, rng, deadline)
    if epoch_rounds is None:
        epoch_rounds = int(min(EPOCH_ROUNDS[1], max(EPOCH_ROUNDS[0], model.k)))
    xy = model.pb.xy
    epoch = 0
    idle = 0
    while time.perf_counter() < deadline and idle < patience and chain.cur_cost > 0:
        epoch += 1
        theta = _GOLDEN_ANGLE * epoch
        proj = xy[ls.hub] @ np.array([np.cos(theta), np.sin(theta)])
        order = np.argsort(proj, kind="stable")
        half = np.cumsum(ls.lw[order]) > ls.lw.sum() / 2
        side1 = np.zeros(ls.k, bool)
        side1[order[half]] = True
        items1 = np.nonzero(side1[ls.a])[0]
        child_seed = int(rng.integers(2**62))
        proc, recv = forking.start(_side_chain, (chain, side1, items1, child_seed, epoch_rounds))
        before = chain.cur_cost
        t_ep = time.perf_counter()
        chain.rounds(epoch_rounds, allowed=~side1)
        t_own = time.perf_counter() - t_ep
        got = forking.collect(proc, recv, deadline)
        merged = ls.hub_of()
        if isinstance(got, np.ndarray):
            merged[items1] = got
        ls.set_solution(merged)
        chain.cur_cost = ls.total()
        st.offer(merged, "ils")
        improved = chain.cur_cost < before - 1e-9 * max(1.0, abs(before))
        if _DEBUG:
            print(
                f"epoch {epoch}: own {t_own:.2f}s total {time.perf_counter() - t_ep:.2f}s "
                f"cost {chain.cur_cost:.1f}"
            )
        idle = 0 if improved else idle + epoch_rounds
    return chain.it


def _side_chain(chain, side1, items1, seed, epoch_rounds, conn):
    try:
        chain.rng = np.random.default_rng(seed)
        chain.rounds(epoch_rounds, allowed=side1)
        conn.send(chain.ls.hub_of()[items1])
    except BaseException as e:  # pragma: no cover - the parent keeps its own half
        conn.send(e)
    finally:
        conn.close()
