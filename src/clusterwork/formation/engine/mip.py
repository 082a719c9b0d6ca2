"""Exact (time-capped) MIP for a (sub)problem, via scipy's HiGHS ``milp``.

Formulation (items g, candidate hubs j = sites):
    min  sum c_gj x_gj
    sum_j x_gj = 1                       every item assigned once
    sum_j y_j = k                        k clusters
    x_gj <= y_j                          only to open hubs (strong linking)
    y_j <= x_{item(j), j}                a hub serves itself
    min*y_j <= sum_g w_g x_gj <= max*y_j count bounds
    sum_g q_g x_gj <= Q y_j              capacity
    sum_{g flagged} x_gj >= y_j          need_flag
    sum_{g locked} x_gj <= 1             one locked cluster per hub
    x_aj + x_bj <= y_j                   cannot-link
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from .model import Model


def solve_mip(
    model: Model, items, hubs, k, time_limit, kc=None, rel_gap=1e-7, lp_only=False, forbidden=None
):
    """Solve the CPMP restricted to ``items`` (item indices), candidate ``hubs`` (sites)
    and exactly ``k`` clusters. ``kc`` limits each item to its kc cheapest hubs.

    Returns dict(status, assign (hub site per item, aligned with items), cost, bound).
    status: "optimal" | "feasible" | "infeasible" | "unknown".
    """
    items = np.asarray(items, dtype=np.int64)
    hubs = np.asarray(hubs, dtype=np.int64)
    # hubs whose own item is not in the subproblem cannot be used
    pos_item = {int(g): t for t, g in enumerate(items)}
    own = np.array([pos_item.get(int(model.item_of[j]), -1) for j in hubs], dtype=np.int64)
    keep = own >= 0
    if model.cur is not None and forbidden:
        hl = model.cur[hubs]
        keep &= ~((hl >= 0) & np.isin(hl, list(forbidden)))
    hubs, own = hubs[keep], own[keep]
    ni, nh = len(items), len(hubs)
    if nh < k or ni < k:
        return {"status": "infeasible", "assign": None, "cost": np.inf, "bound": np.inf}
    cost = model.item_cost(items[:, None], hubs[None, :])  # (ni, nh)
    allowed = np.isfinite(cost)
    if kc is not None and kc < nh:
        part = np.argpartition(np.where(allowed, cost, np.inf), kc - 1, axis=1)[:, :kc]
        mask = np.zeros_like(allowed)
        np.put_along_axis(mask, part, True, axis=1)
        allowed &= mask
    allowed[own, np.arange(nh)] = np.isfinite(cost[own, np.arange(nh)])
    # a hub whose own item cannot be served by it is not a hub
    hub_ok = allowed[own, np.arange(nh)]
    if not hub_ok.all():
        hubs, own = hubs[hub_ok], own[hub_ok]
        cost, allowed = cost[:, hub_ok], allowed[:, hub_ok]
        nh = len(hubs)
        if nh < k:
            return {"status": "infeasible", "assign": None, "cost": np.inf, "bound": np.inf}
    gi, hj = np.nonzero(allowed)
    ne = len(gi)
    if ne == 0 or (allowed.sum(axis=1) == 0).any():
        return {"status": "infeasible", "assign": None, "cost": np.inf, "bound": np.inf}
    nv = ne + nh
    c = np.concatenate([cost[gi, hj], np.zeros(nh)])
    rows, cols, vals, lb, ub = [], [], [], [], []
    r = 0

    def add(rr, cc, vv, lo, hi, nrows):
        nonlocal r
        rows.append(np.asarray(rr) + r)
        cols.append(np.asarray(cc))
        vals.append(np.asarray(vv, dtype=float))
        lb.append(np.broadcast_to(np.asarray(lo, dtype=float), (nrows,)))
        ub.append(np.broadcast_to(np.asarray(hi, dtype=float), (nrows,)))
        r += nrows

    e = np.arange(ne)
    yj = ne + np.arange(nh)
    # assignment
    add(gi, e, np.ones(ne), 1, 1, ni)
    # k hubs
    add(np.zeros(nh, dtype=int), yj, np.ones(nh), k, k, 1)
    # x_gj - y_j <= 0
    add(
        np.concatenate([e, e]),
        np.concatenate([e, ne + hj]),
        np.concatenate([np.ones(ne), -np.ones(ne)]),
        -np.inf,
        0,
        ne,
    )
    # y_j - x_{own(j), j} <= 0
    own_edge = np.full(nh, -1)
    sel = gi == own[hj]
    own_edge[hj[sel]] = e[sel]
    hh = np.arange(nh)
    add(
        np.concatenate([hh, hh]),
        np.concatenate([yj, own_edge]),
        np.concatenate([np.ones(nh), -np.ones(nh)]),
        -np.inf,
        0,
        nh,
    )

    def per_hub(weights, bound, lo, hi):
        # lo <= sum of the hub's members' weights - bound * y_j <= hi, one row per hub
        add(
            np.concatenate([hj, hh]),
            np.concatenate([e, yj]),
            np.concatenate([weights[gi], -bound * np.ones(nh)]),
            lo,
            hi,
            nh,
        )

    w = model.w[items].astype(float)
    if model.min_size > 1:
        per_hub(w, model.min_size, 0, np.inf)
    if model.max_size < model.n:
        per_hub(w, model.max_size, -np.inf, 0)
    if model.capacity is not None:
        per_hub(model.q[items], model.capacity, -np.inf, 0)
    if model.flag is not None:
        f = model.flag[items][gi]
        add(
            np.concatenate([hj[f], hh]),
            np.concatenate([e[f], yj]),
            np.concatenate([np.ones(f.sum()), -np.ones(nh)]),
            0,
            np.inf,
            nh,
        )
    if model.lock is not None:
        lk = model.lock[items][gi] >= 0
        if lk.any():
            add(hj[lk], e[lk], np.ones(lk.sum()), -np.inf, 1, nh)
    if model.cur is not None:
        hl = model.cur[hubs]
        labs, inv = np.unique(hl, return_inverse=True)
        sel = hl >= 0
        if sel.any():
            add(inv[sel], yj[sel], np.ones(sel.sum()), -np.inf, 1, len(labs))
    if model.cannot:
        edge_of = {(int(a), int(b)): int(t) for t, (a, b) in enumerate(zip(gi, hj, strict=True))}
        rr, cc, vv = [], [], []
        nr = 0
        for a, b in model.cannot:
            if a in pos_item and b in pos_item:
                pa, pb_ = pos_item[a], pos_item[b]
                for j in range(nh):
                    ea = edge_of.get((pa, j))
                    eb = edge_of.get((pb_, j))
                    if ea is not None and eb is not None:
                        rr += [nr, nr, nr]
                        cc += [ea, eb, ne + j]
                        vv += [1, 1, -1]
                        nr += 1
        if nr:
            add(np.array(rr), np.array(cc), np.array(vv), -np.inf, 0, nr)
    A = csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(r, nv)
    )
    cons = LinearConstraint(A, np.concatenate(lb), np.concatenate(ub))
    integrality = np.zeros(nv) if lp_only else np.ones(nv)
    opts = {
        "time_limit": max(0.05, float(time_limit)),
        "presolve": True,
        "mip_rel_gap": rel_gap,
        "disp": False,
    }
    res = milp(c, constraints=cons, integrality=integrality, bounds=Bounds(0, 1), options=opts)
    bound = getattr(res, "mip_dual_bound", None)
    if lp_only:
        if res.status == 0:
            return {"status": "optimal", "assign": None, "cost": res.fun, "bound": res.fun}
        if res.status == 2:
            return {"status": "infeasible", "assign": None, "cost": np.inf, "bound": np.inf}
        return {"status": "unknown", "assign": None, "cost": np.inf, "bound": None}
    if res.status == 2:
        return {"status": "infeasible", "assign": None, "cost": np.inf, "bound": np.inf}
    if res.x is None:
        return {"status": "unknown", "assign": None, "cost": np.inf, "bound": bound}
    x = res.x[:ne] > 0.5
    assign = np.full(ni, -1, dtype=np.int64)
    assign[gi[x]] = hubs[hj[x]]
    if (assign < 0).any():
        return {"status": "unknown", "assign": None, "cost": np.inf, "bound": bound}
    status = "optimal" if res.status == 0 else "feasible"
    if status == "optimal":
        bound = res.fun if bound is None else bound
    return {
        "status": status,
        "assign": assign,
        "cost": float(cost[gi[x], hj[x]].sum()),
        "bound": bound,
        "restricted": kc is not None and kc < nh,
    }
