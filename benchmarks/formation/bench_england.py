"""All of England: every open state-funded school with coordinates in one problem.

    .venv/bin/python benchmarks/formation/bench_england.py [--quick] [--no-kmc]

Ours: clusters of 3..12 schools, the number of clusters chosen by the engine, 60 s
(--quick: 20 s). Reported: time to the first feasible clustering (from the engine's
improvement history, plus the time to build the problem), the verified objective at the
end, peak memory of the solving process, lower bound and gap.
KMC: 20,000 of the schools (a fixed random sample) with k = 4,000, in a child process
capped at 8 GiB of address space and a wall-clock limit; whatever happens is reported.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from common import (
    best_hub_objective,
    check_hubs,
    check_partition,
    engine_snapshot,
    fmt,
    load_england,
    pair_dist,
    reported_matches,
    run_engine,
    run_kmc,
    save_json,
    table,
)

MIN_SIZE, MAX_SIZE = 3, 12
KMC_N = 20_000
KMC_MEM = 8 * 1024**3


def ours(xy, time_limit, seed=0) -> dict:
    n = len(xy)
    res = run_engine(
        xy,
        time_limit=time_limit,
        seed=seed,
        min_size=MIN_SIZE,
        max_size=MAX_SIZE,
        hard_timeout=3 * time_limit + 300,
    )
    row = {
        "n": n,
        "time_limit": time_limit,
        "status": res.get("status"),
        "message": res.get("message"),
        "seconds": res.get("seconds"),
        "cpu_seconds": res.get("cpu_seconds"),
        "engine_module": res.get("engine_module"),
        "build_seconds": res.get("build_seconds"),
        "peak_mib": res.get("peak_mib"),
        "child_wall_seconds": res.get("child_wall_seconds"),
        "load_after": res.get("load_after"),
    }
    problems = []
    labels, hubs = res.get("labels"), res.get("hubs")
    if not res.get("ok") or labels is None:
        problems.append(res.get("error") or f"no solution: {res.get('message')}")
    else:
        problems += check_partition(labels, n, min_size=MIN_SIZE, max_size=MAX_SIZE)
        if hubs is None:
            problems.append("no hubs returned")
        else:
            problems += check_hubs(labels, hubs)
        if not problems:
            obj = float(pair_dist(xy, np.arange(n), hubs[labels]).sum())
            if not reported_matches(res.get("objective"), obj):
                problems.append(f"reported {res.get('objective')} != recomputed {obj:.1f}")
            best, _ = best_hub_objective(xy, labels)
            k = int(len(np.unique(labels)))
            lb = res.get("lower_bound")
            history = res.get("history") or []
            row.update(
                objective=obj,
                best_hub_objective=best,
                k=k,
                lower_bound=lb,
                gap_pct=None if lb is None else (obj - lb) / obj * 100,
                first_feasible=(history[0][0] + res["build_seconds"]) if history else None,
                first_objective=history[0][1] if history else None,
                history=history,
            )
    row["problems"] = problems
    row["valid"] = not problems
    return row


def kmc_big(xy_all, timeout, seed=0) -> dict:
    idx = np.random.default_rng(seed).choice(len(xy_all), size=KMC_N, replace=False)
    xy = xy_all[np.sort(idx)]
    k = KMC_N // 5
    res = run_kmc(
        xy,
        n_clusters=k,
        size_min=MIN_SIZE,
        size_max=MAX_SIZE,
        seed=seed,
        timeout=timeout,
        mem_limit_bytes=KMC_MEM,
    )
    row = {
        "n": KMC_N,
        "k": k,
        "timeout": timeout,
        "mem_limit_gib": KMC_MEM / 1024**3,
        "ok": bool(res.get("ok")),
        "error": res.get("error"),
        "seconds": res.get("seconds"),
        "child_wall_seconds": res.get("child_wall_seconds"),
        "peak_mib": res.get("peak_mib"),
        "cached": bool(res.get("cached")),
    }
    if res.get("ok"):
        row["problems"] = check_partition(
            res["labels"], KMC_N, min_size=MIN_SIZE, max_size=MAX_SIZE, n_clusters=k
        )
        row["objective"], _ = best_hub_objective(xy, res["labels"])
    return row


def render(r, kmc) -> str:
    out = [
        table(
            [
                "n",
                "k (engine's choice)",
                "first feasible s",
                "objective km (verified)",
                "lower bound km",
                "gap %",
                "seconds",
                "peak memory MiB",
                "status",
            ],
            [
                [
                    fmt(r["n"]),
                    fmt(r.get("k")),
                    fmt(r.get("first_feasible")),
                    fmt(None if r.get("objective") is None else r["objective"] / 1000, 1),
                    fmt(None if r.get("lower_bound") is None else r["lower_bound"] / 1000, 1),
                    fmt(r.get("gap_pct"), 2),
                    fmt(r.get("seconds")),
                    fmt(r.get("peak_mib"), 0),
                    r.get("status") if r["valid"] else "INVALID: " + "; ".join(r["problems"]),
                ]
            ],
        )
    ]
    if kmc:
        if kmc["ok"]:
            what = (
                f"finished in {fmt(kmc['seconds'])} s, hub objective "
                f"{fmt(kmc['objective'] / 1000, 1)} km, peak {fmt(kmc['peak_mib'], 0)} MiB"
            )
        else:
            what = (
                f"did not finish: {kmc['error']} after {fmt(kmc['child_wall_seconds'])} s, "
                f"peak {fmt(kmc['peak_mib'], 0)} MiB"
            )
        out.append("")
        out.append(
            f"KMC at n={KMC_N:,} (k={kmc['k']:,}, cap {kmc['mem_limit_gib']:g} GiB "
            f"address space, {kmc['timeout']:g} s): {what}"
        )
    return "\n".join(out)


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-kmc", action="store_true")
    ap.add_argument("--kmc-only", action="store_true")
    ap.add_argument("--kmc-timeout", type=float, default=900.0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    engine = engine_snapshot()
    xy, _ = load_england()
    print(f"== England: {len(xy):,} schools with coordinates", flush=True)
    row = None
    if not args.kmc_only:
        row = ours(xy, 20.0 if args.quick else 60.0, seed=args.seed)
    kmc = None
    if not (args.quick or args.no_kmc):
        print(f"== KMC on {KMC_N:,} of them (guarded)", flush=True)
        kmc = kmc_big(xy, args.kmc_timeout, seed=args.seed)
    if row is None:
        print(kmc)
        return {"kmc": kmc}
    payload = {"ours": row, "kmc": kmc, "quick": args.quick, "engine": engine}
    save_json("england_quick" if args.quick else "england", payload)
    print(render(row, kmc))
    return payload


if __name__ == "__main__":
    main(sys.argv[1:])
