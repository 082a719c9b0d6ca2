"""Exact re-optimisation of two neighbouring clusters (vectorised over all hub pairs).

For the sites S of two clusters and every candidate hub pair (h1, h2) the best split of
S is computed exactly:
* count bounds only (unit demand): sort the cost differences, best prefix;
* capacity (integer or scaled demand): 0/1 knapsack DP over the demand of side 1.
Applicable to models without flags / locks / cannot-link / must-link groups (the
general case falls back to the MIP decomposition).
"""

from __future__ import annotations

import numpy as np

from .model import Model

BIG = 1e10


def applicable(model: Model) -> bool:
    return model.singletons and model.flag is None and model.lock is None and not model.cannot


def _cands(model, S, H):
    if len(S) <= H:
        return S
    c = model.site_cost(S[:, None], S[None, :]).sum(axis=0)
    return S[np.argsort(c, kind="stable")[:H]]


def reopt_pair(model: Model, A, B, cur_cost, H=10, cap_cells=300, forbidden=None):
    """Best split of A ∪ B into two clusters. Returns (cost, side1_sites, h1, side2, h2)
    or None if no improvement over ``cur_cost``."""
    S = np.concatenate([A, B])
    s = len(S)
    ca = _cands(model, A, H // 2 if len(S) > H else len(A))
    cb = _cands(model, B, H // 2 if len(S) > H else len(B))
    hc = np.unique(np.concatenate([ca, cb]))
    if model.cur is not None and forbidden:
        hl = model.cur[hc]
        hc = hc[~((hl >= 0) & np.isin(hl, list(forbidden)))]
    nh = len(hc)
    if nh < 2:
        return None
    iu, ju = _triu(nh)
    if model.cur is not None:
        hl = model.cur[hc]
        ok = ~((hl[iu] >= 0) & (hl[iu] == hl[ju]))
        iu, ju = iu[ok], ju[ok]
        if len(iu) == 0:
            return None
    C = model.site_cost(S[None, :], hc[:, None])  # (nh, s): site S[t] served by hub hc[h]
    C = np.where(np.isfinite(C), C, BIG)
    pos = {int(v): t for t, v in enumerate(S)}
    hpos = np.array([pos[int(h)] for h in hc])
    # uncapacitated lower bound per pair: skip pairs that cannot improve
    lbp = np.minimum(C[iu], C[ju]).sum(axis=1)
    keep = lbp < cur_cost - 1e-9
    if not keep.any():
        return None
    iu, ju = iu[keep], ju[keep]
    P = len(iu)
    c1 = C[iu]  # (P, s)
    c2 = C[ju]
    diff = c1 - c2
    rows = np.arange(P)
    base = c2.sum(axis=1) + diff[rows, hpos[iu]]  # h1 is always on side 1
    diff[rows, hpos[iu]] = -BIG  # h1 must be on side 1
    diff[rows, hpos[ju]] = BIG  # h2 must not
    lo_n = max(model.min_size, s - model.max_size)
    hi_n = min(model.max_size, s - model.min_size)
    if lo_n > hi_n:
        return None
    if model.capacity is None or model.unit:
        if model.capacity is not None:
            cap = int(np.floor(model.capacity + 1e-9))
            lo_n, hi_n = max(lo_n, s - cap), min(hi_n, cap)
            if lo_n > hi_n:
                return None
        srt = np.sort(diff, axis=1)
        pref = np.cumsum(srt, axis=1)  # pref[:, t-1] = sum of t smallest
        seg = pref[:, lo_n - 1 : hi_n]
        tbest = np.argmin(seg, axis=1)
        val = seg[rows, tbest] + base + BIG  # undo the forced -BIG
        p = int(np.argmin(val))
        if not val[p] < cur_cost - 1e-9 or val[p] > BIG / 2:
            return None
        t = lo_n + int(tbest[p])
        order = np.argsort(diff[p], kind="stable")
        side1 = np.zeros(s, bool)
        side1[order[:t]] = True
    else:
        if model.min_size > 1 or model.max_size < model.n:
            return None  # count + capacity together: leave to the MIP
        q = model.q[S]
        Q = model.capacity
        tot = q.sum()
        f = 1.0
        if not np.all(q == np.round(q)) or tot > cap_cells:
            f = max(tot / cap_cells, 1e-12)
        qs = np.ceil(q / f - 1e-9).astype(np.int64)  # conservative
        Qs = int(np.floor(Q / f + 1e-9))
        tots = int(qs.sum())
        lo_v = tot - Q  # side1 real demand must be >= tot - Q (so side2 <= Q)
        # with scaling, side2 check done exactly afterwards
        width = min(tots, Qs) + 1  # side-1 demand never exceeds Qs
        dp = np.full((P, width), np.inf)
        dp[:, 0] = 0.0
        for i in range(s):
            qi = qs[i]
            if qi == 0:
                np.minimum(dp, dp + diff[:, i : i + 1], out=dp)
                continue
            if qi >= width:
                continue
            tmp = dp[:, :-qi] + diff[:, i : i + 1]
            np.minimum(dp[:, qi:], tmp, out=dp[:, qi:])
        lo_s = max(0, int(np.ceil(tots - Qs)))  # side2 scaled <= Qs
        if lo_s > width - 1:
            return None
        seg = dp[:, lo_s:width]
        vbest = np.argmin(seg, axis=1)
        val = seg[rows, vbest] + base + BIG
        order_p = np.argsort(val, kind="stable")
        side1 = None
        for p in order_p[:3]:
            if not val[p] < cur_cost - 1e-9 or val[p] > BIG / 2:
                break
            sel = _backtrack(diff[p], qs, lo_s, width - 1)
            if sel is None:
                continue
            d1 = q[sel].sum()
            if d1 <= Q + 1e-9 and tot - d1 <= Q + 1e-9 and d1 >= lo_v - 1e-9:
                side1 = sel
                break
        if side1 is None:
            return None
    c_new = float(np.where(side1, c1[p], c2[p]).sum())
    if c_new >= cur_cost - 1e-9 or c_new > BIG / 2:
        return None
    return c_new, S[side1], int(hc[iu[p]]), S[~side1], int(hc[ju[p]])


_TRIU: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _triu(nh):
    # called thousands of times per second with a handful of sizes
    t = _TRIU.get(nh)
    if t is None:
        t = _TRIU[nh] = np.triu_indices(nh, 1)
    return t


def _backtrack(diff, qs, lo, hi):
    s = len(diff)
    tot = int(qs.sum())
    dp = np.full((s + 1, tot + 1), np.inf)
    dp[0, 0] = 0.0
    for i in range(s):
        qi = qs[i]
        dp[i + 1] = dp[i]
        if qi == 0:
            dp[i + 1] = np.minimum(dp[i], dp[i] + diff[i])
        else:
            np.minimum(dp[i + 1, qi:], dp[i, :-qi] + diff[i], out=dp[i + 1, qi:])
    v = lo + int(np.argmin(dp[s, lo : hi + 1]))
    if not np.isfinite(dp[s, v]):
        return None
    sel = np.zeros(s, bool)
    for i in range(s - 1, -1, -1):
        qi = qs[i]
        if qi == 0:
            if diff[i] < 0:
                sel[i] = True
            continue
        if dp[i + 1, v] == dp[i, v]:
            continue
        sel[i] = True
        v -= qi
    return sel
