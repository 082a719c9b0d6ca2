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


def bisect(model: Model, k: int, rng) -> tuple[Node, list[Node]]:
    items = np.arange(model.m)
    xy = _coords(model, items)
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
        pts = xy[it] if model.singletons else _coords(model, it)
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


def best_hub(model: Model, items) -> tuple[int, float]:
    """Best hub (site) for a cluster made of ``items``: argmin of total cost."""
    sites = np.concatenate([model.members[g] for g in items]) if not model.singletons \
        else np.asarray(items)
    if len(sites) > 2500:  # sample candidate hubs near the centre for huge clusters
        xy = model.pb.xy[sites]
        cen = xy.mean(axis=0)
        cand = sites[np.argsort(((xy - cen) ** 2).sum(axis=1))[:400]]
    else:
        cand = sites
    if model.singletons:
        c = model.site_cost(sites[:, None], cand[None, :]).sum(axis=0)
    else:
        c = np.array([model.item_cost(np.asarray(items), np.full(len(items), j)).sum()
                      for j in cand])
    t = int(np.argmin(c))
    return int(cand[t]), float(c[t])


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


def construct(model: Model, rng, deadline: float, chunk_items: int = 120):
    """Return hub_of_item (m,) or (None, message)."""
    k = model.k
    root, leaves = bisect(model, k, rng)
    hub_of = np.full(model.m, -1, dtype=np.int64)
    bad = []
    for leaf in leaves:
        if leaf.k == 1:
            h, c = best_hub(model, leaf.items)
            if leaf_ok(model, leaf.items, h, c):
                hub_of[leaf.items] = h
                continue
        bad.append(leaf)
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
            r = solve_mip(model, items, _sites(model, items), node.k, tl,
                          kc=None if len(items) <= 150 else 40)
            if r["assign"] is not None:
                hub_of[items] = r["assign"]
                solved.add(id(node))
                break
            if node.parent is None:
                if r["status"] == "infeasible" and not r.get("restricted"):
                    return None, ("no clustering satisfies all constraints together "
                                  "(proved by the exact model)")
                return None, ("no feasible clustering found within the time limit "
                              "(infeasibility not proven)")
            node = node.parent
    return hub_of, ""


def _sites(model: Model, items):
    if model.singletons:
        return np.asarray(items)
    return np.concatenate([model.members[g] for g in items])
