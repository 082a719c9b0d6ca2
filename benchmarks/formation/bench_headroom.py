"""How much better than k-means-constrained can any method be? A lower bound per data set.

    .venv/bin/python benchmarks/formation/bench_headroom.py [--seconds 20]

For each data set of the side-by-side comparison (same points, k = n/5, sizes 3..12) the
engine's Lagrangian lower bound is computed with a generous time budget. KMC's clustering
is a feasible solution of exactly that problem (scored with each cluster's best member as
hub), so no clustering can beat KMC by more than (KMC - bound) / KMC. Reads KMC's and our
objectives from ``benchmarks/out/formation/vs_kmeans.json`` (run ``bench_vs_kmeans.py``
first); prints a table.
"""

from __future__ import annotations

import argparse
import sys
import time

from bench_vs_kmeans import MAX_SIZE, MIN_SIZE, datasets
from common import REPO, load_json, table

sys.path.insert(0, str(REPO / "src"))

from clusterwork.formation import Problem  # noqa: E402
from clusterwork.formation.engine.bound import lagrangian_bound  # noqa: E402
from clusterwork.formation.engine.model import Model  # noqa: E402


def main(argv=None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=20.0)
    args = ap.parse_args(argv)
    saved = load_json("vs_kmeans")
    if not saved:
        print("no vs_kmeans.json: run bench_vs_kmeans.py first")
        return []
    by_name = {r["dataset"]: r for r in saved["rows"]}
    out = []
    for name, xy in datasets(False):
        row = by_name.get(name)
        if not row or not row.get("kmc_objective") or not row.get("ours_objective"):
            continue
        k = row["k"]
        model = Model(Problem(xy, min_size=MIN_SIZE, max_size=MAX_SIZE, n_clusters=k))
        upper = min(row["kmc_objective"], row["ours_objective"])
        t = time.perf_counter()
        lb = lagrangian_bound(model, upper, t + args.seconds)
        took = time.perf_counter() - t
        if lb is None:
            continue
        kmc, ours = row["kmc_objective"], row["ours_objective"]
        out.append(
            {
                "dataset": name,
                "n": row["n"],
                "k": k,
                "kmc_km": kmc / 1000,
                "ours_km": ours / 1000,
                "bound_km": lb / 1000,
                "bound_s": took,
                "headroom_pct": 100 * (kmc - lb) / kmc,
                "ours_better_pct": 100 * (kmc - ours) / kmc,
                "ours_gap_pct": 100 * (ours - lb) / ours,
            }
        )
    print(
        table(
            [
                "dataset",
                "n",
                "k",
                "KMC km",
                "ours km",
                "lower bound km",
                "bound s",
                "most any method can beat KMC by %",
                "ours beats KMC by %",
                "ours above bound %",
            ],
            [
                [
                    r["dataset"],
                    f"{r['n']:,}",
                    f"{r['k']:,}",
                    f"{r['kmc_km']:,.1f}",
                    f"{r['ours_km']:,.1f}",
                    f"{r['bound_km']:,.1f}",
                    f"{r['bound_s']:.1f}",
                    f"{r['headroom_pct']:.1f}",
                    f"{r['ours_better_pct']:.1f}",
                    f"{r['ours_gap_pct']:.1f}",
                ]
                for r in out
            ],
        )
    )
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
