"""Plots of the formation benchmarks (PNG) from the JSON the bench scripts leave in
``benchmarks/out/formation``.

    .venv/bin/python benchmarks/formation/plot.py [--quick]

Full results go to ``docs/benchmarks/formation_*.png``; --quick results only to
``benchmarks/out/formation`` so that a partial run never replaces the published plots.
"""

from __future__ import annotations

import argparse
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from common import OUT_DIR, REPO, load_json  # noqa: E402
from matplotlib.ticker import (  # noqa: E402
    FuncFormatter,
    LogLocator,
    NullFormatter,
    ScalarFormatter,
)

DOCS = REPO / "docs" / "benchmarks"


def _why(error: str) -> str:
    """The exception name from a child's error text (e.g. 'MemoryError'), else its start."""
    for word in error.replace("|", " ").replace(":", " ").split():
        if word.endswith("Error") or word == "timed":
            return word
    return error[:24]


def _minor_label(v, _):
    # Label a few minor ticks so that a narrow n range still reads without a legend.
    return f"{v:g}" if round(v) in (200, 300, 500, 2000, 3000, 5000, 20000) else ""


def plot_vs_kmc(vs, england, dest):
    rows = [r for r in vs["rows"] if r.get("kmc_ok") and r.get("ours_objective")]
    fig, (ax_t, ax_o) = plt.subplots(1, 2, figsize=(11, 5.6))
    n = [r["n"] for r in rows]
    ax_t.scatter(
        n,
        [r.get("kmc_reference_seconds") or r["kmc_seconds"] for r in rows],
        marker="s",
        color="tab:red",
        label="KMC fit, defaults (min of wall and CPU s)",
    )
    beat = [(r["n"], r["ours_time_to_beat"]) for r in rows if r.get("ours_time_to_beat")]
    if beat:
        ax_t.scatter(
            *zip(*beat, strict=True),
            marker="o",
            color="tab:blue",
            label="ours: time to beat KMC's objective",
        )
    ax_t.scatter(
        n,
        [r["ours_seconds"] for r in rows],
        marker="o",
        facecolors="none",
        edgecolors="tab:blue",
        label="ours: budget used (max(KMC, 2 s))",
    )
    fast = [(r["n"], r["fast_seconds"]) for r in rows if r.get("fast_seconds")]
    if fast:
        ax_t.scatter(
            *zip(*fast, strict=True),
            marker="D",
            color="tab:green",
            label="ours: run with KMC time / 10",
        )
    if england:
        e = england["ours"]
        if e.get("first_feasible"):
            ax_t.scatter(
                [e["n"]],
                [e["first_feasible"]],
                marker="^",
                color="tab:blue",
                label="ours, all England: first feasible",
            )
        k = england.get("kmc")
        if k and not k.get("ok"):
            ax_t.scatter(
                [k["n"]],
                [k["child_wall_seconds"]],
                marker="x",
                s=80,
                color="tab:red",
                label=f"KMC n={k['n']:,}: failed ({_why(k.get('error') or '')})",
            )
        elif k and k.get("ok"):
            ax_t.scatter([k["n"]], [k["seconds"]], marker="s", color="tab:red")
    ax_t.set_xscale("log")
    ax_t.set_yscale("log")
    ax_t.set_xlabel("sites n")
    ax_t.set_ylabel("seconds")
    ax_t.set_title("Time")
    ax_t.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)
    ax_t.grid(True, which="both", alpha=0.3)

    for r in rows:
        kmc = r["kmc_objective"] / r["n"] / 1000
        ours = r["ours_objective"] / r["n"] / 1000
        ax_o.plot([r["n"], r["n"]], [kmc, ours], color="grey", lw=0.8)
        ax_o.annotate(
            r["dataset"].replace("uniform ", "unif. "),
            (r["n"], kmc),
            fontsize=7,
            xytext=(4, 2),
            textcoords="offset points",
        )
    ax_o.scatter(
        n,
        [r["kmc_objective"] / r["n"] / 1000 for r in rows],
        marker="s",
        color="tab:red",
        label="KMC clusters, best-member hubs",
    )
    ax_o.scatter(
        n,
        [r["ours_objective"] / r["n"] / 1000 for r in rows],
        marker="o",
        color="tab:blue",
        label="ours (same budget as KMC's time)",
    )
    ax_o.set_xscale("log")
    ax_o.set_xlabel("sites n")
    ax_o.set_ylabel("mean site-to-hub distance, km")
    ax_o.set_title("Hub objective per site (lower is better)")
    ax_o.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=1)
    for ax in (ax_t, ax_o):
        ax.xaxis.set_major_formatter(ScalarFormatter())
        ax.xaxis.set_minor_formatter(NullFormatter())
    ax_t.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    ax_t.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax_t.yaxis.set_minor_formatter(NullFormatter())
    ax_o.xaxis.set_minor_formatter(FuncFormatter(_minor_label))
    ax_o.grid(True, which="both", alpha=0.3)
    fig.suptitle(
        "Cluster formation, k = n/5, sizes 3..12: ours vs k-means-constrained", fontsize=10
    )
    fig.tight_layout()
    path = dest / "formation_vs_kmc.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_england(england, dest):
    e = england["ours"]
    hist = e.get("history") or []
    if not hist:
        return None
    fig, ax = plt.subplots(figsize=(6.5, 4))
    build = e.get("build_seconds") or 0.0
    # Carry the last improvement on to the end of the run.
    hist = [*hist, (max(e["seconds"] - build, hist[-1][0]), hist[-1][1])]
    ax.step(
        [build + t for t, _ in hist],
        [o / 1000 for _, o in hist],
        where="post",
        color="tab:blue",
        label="ours (engine's improvement history)",
    )
    if e.get("objective"):
        ax.scatter(
            [e["seconds"]],
            [e["objective"] / 1000],
            color="tab:blue",
            zorder=3,
            label=f"final, verified: {e['objective'] / 1000:,.0f} km",
        )
    if e.get("lower_bound"):
        ax.axhline(e["lower_bound"] / 1000, color="k", ls="--", lw=0.8, label="lower bound")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("seconds")
    ax.set_ylabel("total site-to-hub distance, km")
    ax.set_title(
        f"All of England: {e['n']:,} schools, {e.get('k', '?'):,} clusters of 3..12", fontsize=10
    )
    ax.legend(fontsize=8)
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    path = dest / "formation_england.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_cpmp(cpmp, dest):
    rows = [r for r in cpmp["rows"] if r.get("gap_pct") is not None]
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(11, 3.8))
    colors = {
        "orlib": "tab:blue",
        "sjc": "tab:orange",
        "p3038": "tab:green",
        "pr2392": "tab:purple",
        "fnl4461": "tab:brown",
    }
    x = range(len(rows))
    ax.bar(
        x,
        [max(r["gap_pct"], 0.0) for r in rows],
        color=[colors.get(r["group"], "grey") for r in rows],
    )
    ax.set_xticks(list(x), [r["instance"] for r in rows], rotation=90, fontsize=7)
    ax.set_ylabel("gap to best-known, %")
    ax.set_title(
        "Capacitated p-median: verified gap to published optimum / best-known", fontsize=10
    )
    # Each group's gap target as a segment over that group's bars.
    targets = {"orlib": 0.2, "sjc": 0.5, "p3038": 1.0, "pr2392": 1.0, "fnl4461": 1.0}
    for group, target in targets.items():
        idx = [i for i, r in enumerate(rows) if r["group"] == group]
        if idx:
            ax.hlines(target, idx[0] - 0.4, idx[-1] + 0.4, colors="k", linestyles=":", lw=1)
    ax.plot([], [], "k:", label="target on the group's mean gap")
    ax.legend(fontsize=8)
    ax.grid(True, axis="y", alpha=0.3)
    fig.tight_layout()
    path = dest / "formation_cpmp_gaps.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def main(argv=None) -> list:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    suffix = "_quick" if args.quick else ""
    dest = OUT_DIR if args.quick else DOCS
    dest.mkdir(parents=True, exist_ok=True)
    made = []
    vs, england, cpmp = (load_json(f"{name}{suffix}") for name in ("vs_kmeans", "england", "cpmp"))
    if vs:
        made.append(plot_vs_kmc(vs, england, dest))
    if england:
        made.append(plot_england(england, dest))
    if cpmp:
        made.append(plot_cpmp(cpmp, dest))
    for path in made:
        if path:
            print(f"wrote {path}")
    return made


if __name__ == "__main__":
    main(sys.argv[1:])
