"""Construction of a first feasible solution.

1. Recursive bisection of the items into k spatially compact, balanced leaves (split
   along the wider axis; counts/demands split in proportion to the clusters on each
   side). With unit demand and k within the count bounds every leaf already satisfies
   the size bounds.
2. Every leaf gets its best hub. Leaves breaking a constraint (capacity, flags, locks,
   cannot-link, max_distance) are repaired by solving the exact MIP on the smallest
   ancestor node of the bisection tree (a few leaves) and climbing the tree when that
   node is infeasible.
"""

from __future__ import annotations

import time

import numpy as np

from .mip import solve_mip
from .model import Model


class Node:
    __slots__ = ("items", "k", "left", "right", "parent")

    def __init__(self, items, k, parent=None):
        self.items = items
        self.k = k
        self.left = None
        self.right = None
        self.parent = parent


def _coords(model: Model, items):
    pb = model.pb
    if model.singletons:
        return pb.xy[items]
    return np.array([pb.xy[model.members[g]].mean(axis=0) for g in items])


def _range(model: Model, items):
    """Necessary range of cluster counts for a set of items."""
    w = model.w[items].sum()
    lo = -(-w // model.max_size)
    hi = min(w // model.min_size, len(items))
    if model.capacity is not None:
        lo = max(lo, int(np.ceil(model.q[items].sum() / model.capacity - 1e-9)))
    if model.flag is not None:
        hi = min(hi, int(model.flag[items].sum()))
    if model.lock is not None:
        lk = model.lock[items]
        lo = max(lo, len(np.unique(lk[lk >= 0])))
    return int(lo), int(hi)


def bisect(model: Model, k: int, rng, items=None, angle=0.0) -> tuple[Node, list[Node]]:
    items = np.arange(model.m) if items is None else np.asarray(items)
    xy = np.zeros((model.m, 2))
    xy[items] = _coords(model, items)
    if angle:
        ca, sa = np.cos(angle), np.sin(angle)
        xy = xy @ np.array([[ca, -sa], [sa, ca]])
    root = Node(items, k)
    leaves = []
    stack = [root]
    use_q = model.capacity is not None and not model.unit
    while stack:
        node = stack.pop()
        if node.k <= 1:
            leaves.append(node)
            continue
        it = node.items
        pts = xy[it]
        span = pts.max(axis=0) - pts.min(axis=0)
        axes = [int(np.argmax(span)), 1 - int(np.argmax(span))]
        done = False
        kl0 = node.k // 2
        wt = (model.q[it] if use_q else model.w[it]).astype(float)
        for ax in axes:
            order = np.argsort(pts[:, ax], kind="stable")
            cum = np.cumsum(wt[order])
            for kl in [kl0] + [x for d in (1, -1, 2, -2) for x in [kl0 + d] if 0 < x < node.k]:
                frac = kl / node.k
                cut = int(np.searchsorted(cum, frac * cum[-1] - 1e-9)) + 1
                cut = min(max(cut, 1), len(it) - 1)
                for c in (cut, cut - 1, cut + 1):
                    if not 1 <= c <= len(it) - 1:
                        continue
                    L, R = it[order[:c]], it[order[c:]]
                    lo1, hi1 = _range(model, L)
                    lo2, hi2 = _range(model, R)
                    if lo1 <= kl <= hi1 and lo2 <= node.k - kl <= hi2:
                        node.left = Node(L, kl, node)
                        node.right = Node(R, node.k - kl, node)
                        done = True
                        break
                if done:
                    break
            if done:
                break
        if done:
            stack.append(node.right)
            stack.append(node.left)
        else:
            leaves.append(node)  # cannot split safely: solve as one MIP chunk
    return root, leaves


def best_hub(model: Model, items, forbidden=None) -> tuple[int, float]:
    """Best hub (site) for a cluster made of ``items``: argmin of total cost.
    ``forbidden``: current labels (incremental mode) already used by other hubs."""
    sites = (
        np.concatenate([model.members[g] for g in items])
        if not model.singletons
        else np.asarray(items)
    )
    if len(sites) > 2500:  # sample candidate hubs near the centre for huge clusters
        xy = model.pb.xy[sites]
        cen = xy.mean(axis=0)
        cand = sites[np.argsort(((xy - cen) ** 2).sum(axis=1))[:400]]
    else:
        cand = sites
    if model.singletons:
        c = model.site_cost(sites[:, None], cand[None, :]).sum(axis=0)
    else:
        c = np.array(
            [model.item_cost(np.asarray(items), np.full(len(items), j)).sum() for j in cand]
        )
    if forbidden and model.cur is not None:
        bad = np.isin(model.cur[cand], list(forbidden)) & (model.cur[cand] >= 0)
        c = np.where(bad, np.inf, c)
    t = int(np.argmin(c))
    return int(cand[t]), float(c[t])


def fix_hub_labels(model: Model, hub_of):
    """Incremental mode: no two hubs may come from the same current cluster (otherwise a
    split would count as 'no move'). Re-hub duplicates; None if impossible."""
    if model.cur is None:
        return hub_of
    hubs = np.unique(hub_of)
    labs = model.cur[hubs]
    used = {}
    for h, lab in zip(hubs, labs, strict=True):
        if lab >= 0:
            used.setdefault(int(lab), []).append(int(h))
    dup = [hs for hs in used.values() if len(hs) > 1]
    if not dup:
        return hub_of
    out = hub_of.copy()
    taken = set(used)
    for hs in dup:
        for h in hs[1:]:
            items = np.nonzero(out == h)[0]
            nh, c = best_hub(model, items, forbidden=taken)
            if not np.isfinite(c):
                return None
            out[items] = nh
            if model.cur[nh] >= 0:
                taken.add(int(model.cur[nh]))
    return out


def leaf_ok(model: Model, items, hub, cost) -> bool:
    if not np.isfinite(cost):
        return False
    w = model.w[items].sum()
    if w < model.min_size or w > model.max_size:
        return False
    if model.capacity is not None and model.q[items].sum() > model.capacity + 1e-9:
        return False
    if model.flag is not None and not model.flag[items].any():
        return False
    if model.lock is not None and (model.lock[items] >= 0).sum() > 1:
        return False
    if model.cannot:
        s = set(int(g) for g in items)
        for g in items:
            for h in model.cannot_of.get(int(g), ()):
                if h in s:
                    return False
    return True


def construct(
    model: Model, rng, deadline: float, chunk_items: int = 120, angle=0.0, allow_mip=True
):
    """Return hub_of_item (m,) or (None, message)."""
    k = model.k
    root, leaves = bisect(model, k, rng, angle=angle)
    hub_of = np.full(model.m, -1, dtype=np.int64)
    bad = []
    for leaf in leaves:
        if leaf.k == 1:
            h, c = best_hub(model, leaf.items)
            if leaf_ok(model, leaf.items, h, c):
                hub_of[leaf.items] = h
                continue
        bad.append(leaf)
    if bad and model.singletons and model.flag is None and model.lock is None and not model.cannot:
        hubs = np.concatenate([_split_hubs(model, leaf.items, leaf.k) for leaf in leaves])
        g = greedy_assign(model, hubs)
        if g is None:
            g = greedy_assign(model, hubs, K=48)
        if g is not None:
            g2 = fix_hub_labels(model, g)
            return (g2 if g2 is not None else g), ""
    if bad and not allow_mip:
        return None, "greedy construction failed"
    # repair bad leaves through MIPs on ancestors
    solved = set()
    for leaf in bad:
        if (hub_of[leaf.items] >= 0).all():
            continue
        node = leaf
        # climb to an ancestor with enough room
        while node.parent is not None and node.k < 4 and len(node.parent.items) <= chunk_items:
            node = node.parent
        while True:
            if id(node) in solved:
                break
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return None, "time limit reached before a feasible solution was found"
            tl = min(remaining, max(2.0, 0.2 * remaining))
            items = node.items
            r = solve_mip(
                model, items, _sites(model, items), node.k, tl, kc=None if len(items) <= 150 else 40
            )
            if r["assign"] is not None:
                hub_of[items] = r["assign"]
                solved.add(id(node))
                break
            if node.parent is None:
                if r["status"] == "infeasible" and not r.get("restricted"):
                    return None, (
                        "no clustering satisfies all constraints together "
                        "(proved by the exact model)"
                    )
                return None, (
                    "no feasible clustering found within the time limit (infeasibility not proven)"
                )
            node = node.parent
    fixed = fix_hub_labels(model, hub_of)
    return (fixed if fixed is not None else hub_of), ""


def _sites(model: Model, items):
    if model.singletons:
        return np.asarray(items)
    return np.concatenate([model.members[g] for g in items])


def greedy_assign(model: Model, hubs, K=12, sites=None):
    """Regret-ordered greedy assignment of single sites to fixed hubs under count and
    capacity bounds. Returns hub_of or None when it gets stuck."""
    m = model
    k = len(hubs)
    K = min(K, k)
    sites = np.arange(m.n) if sites is None else np.asarray(sites)
    n = len(sites)
    if m.metric.matrix is None:
        from scipy.spatial import cKDTree

        _, idx = cKDTree(m.pb.xy[hubs]).query(m.pb.xy[sites], k=K)
        idx = np.asarray(idx).reshape(n, K)
    else:
        idx = np.argsort(m.metric.block(sites, hubs), axis=1, kind="stable")[:, :K]
    cost = m.site_cost(sites[:, None], hubs[idx])
    cap = m.capacity if m.capacity is not None else np.inf
    lw = np.zeros(k)
    lq = np.zeros(k)
    out = np.full(n, -1, np.int64)
    loc = {int(v): t for t, v in enumerate(sites)}
    for c, h in enumerate(hubs):
        out[loc[int(h)]] = h
        lw[c] += 1
        lq[c] += m.q[h]
    srt = np.sort(cost, axis=1)
    with np.errstate(invalid="ignore"):
        regret = (srt[:, 1] - srt[:, 0]) if K > 1 else np.zeros(n)
    regret = np.nan_to_num(regret, nan=0.0, posinf=1e300)
    # big demands first, then high regret
    order = np.lexsort((-regret, -m.q[sites]))
    need = max(0, m.min_size - 1) * k
    for i in order:
        if out[i] >= 0:
            continue
        placed = False
        for t in np.argsort(cost[i], kind="stable"):
            c = idx[i, t]
            if not np.isfinite(cost[i, t]):
                break
            qi = m.q[sites[i]]
            if lw[c] + 1 <= m.max_size and lq[c] + qi <= cap + 1e-9:
                out[i] = hubs[c]
                lw[c] += 1
                lq[c] += qi
                placed = True
                break
        if not placed:
            return None
    if need and (lw < m.min_size).any():
        return None
    return out


def _split_hubs(model: Model, items, k):
    """k hubs for a set of single sites: plain count-balanced bisection, best hub each."""
    items = np.asarray(items)
    if k <= 1:
        return np.array([best_hub(model, items)[0]])
    pts = model.pb.xy[items]
    ax = int(np.argmax(pts.max(axis=0) - pts.min(axis=0)))
    order = np.argsort(pts[:, ax], kind="stable")
    kl = k // 2
    cut = max(1, min(len(items) - 1, int(round(len(items) * kl / k))))
    return np.concatenate(
        [_split_hubs(model, items[order[:cut]], kl), _split_hubs(model, items[order[cut:]], k - kl)]
    )
