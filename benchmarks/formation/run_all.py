"""Run every cluster-formation benchmark and print the tables.

    .venv/bin/python benchmarks/formation/run_all.py [--quick] [--fresh-kmc]

Full: CPMP benchmarks, the KMC comparison (+ a lower bound per data set, showing how much
better than KMC any method could be), all of England, plots.
--quick: OR-Library + SJC, KMC comparison on Surrey and 1,000 uniform points,
England for 20 s without the large KMC attempt (a few minutes; 6.7 min measured at load
average 7 with KMC not yet cached); plots go to benchmarks/out/formation.
Full: about 30 min on a quiet 2-core machine, KMC's fits included (cached afterwards); plots to
docs/benchmarks/. A markdown copy of the output is left in
benchmarks/out/formation/report{,_quick}.md. Needs ``benchmarks/.venv-kmc`` for the KMC
parts: ``python3.12 -m venv benchmarks/.venv-kmc &&
benchmarks/.venv-kmc/bin/pip install -r benchmarks/formation/requirements.txt``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import time

import bench_cpmp
import bench_england
import bench_headroom
import bench_vs_kmeans
import plot
from common import OUT_DIR, engine_snapshot, machine


class _Tee(io.TextIOBase):
    def __init__(self, *streams):
        self.streams = streams

    def write(self, s):
        for st in self.streams:
            st.write(s)
            st.flush()
        return len(s)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--fresh-kmc", action="store_true", help="re-measure KMC, ignore its cache")
    ap.add_argument("--skip", default="", help="comma list of: cpmp,kmeans,england")
    args = ap.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    q = ["--quick"] if args.quick else []
    buf = io.StringIO()
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(_Tee(sys.stdout, buf)):
        info = machine()
        print("# Cluster formation benchmarks" + (" (quick)" if args.quick else ""))
        print()
        print("Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
        engine = engine_snapshot()
        print(
            f"Engine: source hash {engine['engine_sha1']}, files modified {engine['engine_files']}"
        )
        print(f"Load average at start: {os.getloadavg()}")
        print()
        if bench_cpmp.selftest():
            print("verifier self-test FAILED: not running the benchmarks")
            return 1
        if "cpmp" not in skip:
            print("\n## CPMP vs published optima\n")
            bench_cpmp.main(q)
        if "kmeans" not in skip:
            print("\n## Side by side with k-means-constrained\n")
            bench_vs_kmeans.main(q + (["--fresh-kmc"] if args.fresh_kmc else []))
            if not args.quick:
                print("\n### Headroom: a lower bound per data set\n")
                bench_headroom.main([])
        if "england" not in skip:
            print("\n## All of England\n")
            bench_england.main(q)
        print()
        plot.main(q)
        print(f"\nLoad average at end: {os.getloadavg()}; total {time.perf_counter() - t0:.0f} s")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / f"report{'_quick' if args.quick else ''}.md").write_text(buf.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
