"""Iterated local search for the pair-optimisable models (no flags / locks /
cannot-link / must-link groups, no incremental move cost): perturbations and the in-place
ILS loop with undo."""

from __future__ import annotations

import time

import numpy as np

from .construct import best_hub, bisect, greedy_assign, leaf_ok
from .improve import total_cost
from .ls import LocalSearch

SHIFT_SWAP_ITEMS = 1000  # up to this many items an ILS round also runs shift/swap descent
ILS_PAIR_NN = 4  # pair re-optimisation partners per cluster in an ILS round (6: no better)


def rebisect(model, hub_of, rng):
    hubs, a = np.unique(hub_of, return_inverse=True)
    k = len(hubs)
    R = int(min(k, rng.integers(3, 8)))
    c = int(rng.integers(k))
    d = model.metric.pair(np.full(k, hubs[c]), hubs)
    near = np.argsort(d, kind="stable")[:R]
    items = np.nonzero(np.isin(a, near))[0]
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


def swap_perturb(model, hub_of, rng):
    """p-median style swap: close a random cluster (members go to the nearest clusters
    with room) and open a new one at a badly served site. Count bounds and capacity are
    kept; only used for models without flags / locks / cannot-link / groups."""
    hubs, a = np.unique(hub_of, return_inverse=True)
    k = len(hubs)
    if k < 2:
        return None
    m = model
    cap = m.capacity if m.capacity is not None else np.inf
    lw = np.bincount(a, weights=m.w, minlength=k).astype(float)
    lq = np.bincount(a, weights=m.q, minlength=k)
    cost = m.item_cost(np.arange(m.m), hub_of)
    c = int(rng.integers(k))
    Mc = np.nonzero(a == c)[0]
    # reassign members of c
    dd = m.item_cost(Mc[:, None], hubs[None, :])
    dd[:, c] = np.inf
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
    cand = np.nonzero(~is_hub)[0]
    if len(cand) == 0:
        return None
    worst = cand[np.argsort(-cost[cand], kind="stable")[:20]]
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


def ils_in_place(model, st, rng, deadline, patience, check=None):
    """Iterated local search on one persistent LocalSearch: perturb a few neighbouring
    clusters in place, re-optimise only around them (shift/swap, hub relocation, exact
    pair re-optimisation), keep if not worse, otherwise undo. A round costs about the
    size of the region, not n (apart from a few vectorised O(n) array operations)."""
    ls = LocalSearch(model, st.best)
    cur_cost = ls.total()
    # Small instances: rounds are cheap anyway and pair moves alone get stuck (SJC1 0.8 %
    # above optimum); large ones: pair-only rounds did better at equal CPU (p3038_1000).
    shift_swap = model.m <= SHIFT_SWAP_ITEMS
    it = 0
    last_impr = 0
    while time.perf_counter() < deadline and it - last_impr < patience and cur_cost > 0:
        it += 1
        base = ls.hub_of()
        p = rebisect(model, base, rng) if it % 2 else swap_perturb(model, base, rng)
        if p is None:
            continue
        ls.begin()
        touched = ls.apply(p[0])
        hubs = np.unique(np.concatenate([np.asarray(p[1], np.int64), ls.hub[touched]]))
        if shift_swap:
            ls.run(deadline, order_rng=rng, clusters=ls.neighbour_hubs(hubs))
        clusters = hubs
        while time.perf_counter() < deadline:
            before = ls.total()
            if (
                not ls.pair_sweep(deadline, rng, nn=ILS_PAIR_NN, clusters=clusters)
                or ls.total() >= before - 1e-9
            ):
                break
            clusters = np.array(sorted(ls.changed), dtype=np.int64)
            if shift_swap:
                ls.run(deadline, order_rng=rng, clusters=ls.neighbour_hubs(clusters))
        c = ls.total()
        if c <= cur_cost + 1e-9 * max(1.0, abs(cur_cost)):
            ls.commit()
            if c < cur_cost - 1e-9 * max(1.0, abs(cur_cost)):
                last_impr = it
                if c < st.best_cost:
                    st.offer(ls.hub_of(), "ils")
            cur_cost = c
        else:
            ls.undo()
        if check is not None and it % 50 == 0:
            check(model, ls.hub_of(), "ils-in-place")
            assert abs(ls.total() - total_cost(model, ls.hub_of())) < 1e-6 * max(1, cur_cost)
        if it % 500 == 0:
            ls._cands()  # drop candidate lists made stale by distant hub moves
    return it
