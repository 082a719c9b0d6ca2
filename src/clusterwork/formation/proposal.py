"""From sites and parameters to an engine problem, and from an engine result to a proposal
people can read: clusters with hubs and distances, names, and the moves compared with today.

Nothing here writes to the database; ``services`` does the writes.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from clusterwork.core.errors import ServiceError

from .sites import Site, colocated_groups

DEFAULT_TIME_LIMIT = 30.0
MAX_TIME_LIMIT = 600.0


def clean_params(raw: dict, *, defaults=None) -> dict:
    """Validate parameters and fill defaults; messages name the parameter as users see it."""
    defaults = defaults or {}
    params = {
        "min_size": raw.get("min_size", defaults.get("min_size", 3)),
        "max_size": raw.get("max_size", defaults.get("max_size", 12)),
        "n_clusters": raw.get("n_clusters"),
        "target_size": raw.get("target_size", defaults.get("target_size")),
        "keep_trusts_together": bool(raw.get("keep_trusts_together", False)),
        "need_phase": (raw.get("need_phase") or "").strip(),
        "need_flag": bool(raw.get("need_flag", False)),
        "max_km": raw.get("max_km"),
        "max_pupils": raw.get("max_pupils"),
        "incremental": bool(raw.get("incremental", False)),
        "move_cost_km": raw.get("move_cost_km"),
        "time_limit": raw.get("time_limit", DEFAULT_TIME_LIMIT),
        "seed": int(raw.get("seed") or 0),
    }
    for key in ("min_size", "max_size"):
        if params[key] is None:
            params[key] = 3 if key == "min_size" else 12
        params[key] = int(params[key])
    if params["min_size"] < 1:
        raise ServiceError("The smallest cluster size must be at least 1.", field="min_size")
    if params["max_size"] < params["min_size"]:
        raise ServiceError(
            f"The largest cluster size ({params['max_size']}) is below the smallest "
            f"({params['min_size']}).",
            field="max_size",
        )
    if params["n_clusters"] is not None:
        params["n_clusters"] = int(params["n_clusters"])
        if params["n_clusters"] < 1:
            raise ServiceError("The number of clusters must be at least 1.", field="n_clusters")
    if params["target_size"] is not None:
        params["target_size"] = float(params["target_size"])
        if params["target_size"] <= 0:
            raise ServiceError("The target cluster size must be positive.", field="target_size")
    if params["max_km"] is not None:
        params["max_km"] = float(params["max_km"])
        if not params["max_km"] > 0:
            raise ServiceError("The longest distance to a hub must be above 0 km.", field="max_km")
    if params["max_pupils"] is not None:
        params["max_pupils"] = int(params["max_pupils"])
        if params["max_pupils"] < 1:
            raise ServiceError(
                "The most pupils in a cluster must be at least 1.", field="max_pupils"
            )
    if params["move_cost_km"] is not None:
        params["move_cost_km"] = float(params["move_cost_km"])
        if params["move_cost_km"] < 0 or not math.isfinite(params["move_cost_km"]):
            raise ServiceError("The move cost must be 0 km or more.", field="move_cost_km")
        if not params["incremental"]:
            raise ServiceError(
                "A move cost only applies to incremental runs (keep today's clusters).",
                field="move_cost_km",
            )
    try:
        params["time_limit"] = float(params["time_limit"])
    except (TypeError, ValueError):
        raise ServiceError(
            "The time limit must be a number of seconds.", field="time_limit"
        ) from None
    if not (0 < params["time_limit"] <= MAX_TIME_LIMIT):
        raise ServiceError(
            f"The time limit must be more than 0 and at most {MAX_TIME_LIMIT:g} seconds "
            f"(got {params['time_limit']:g}).",
            field="time_limit",
        )
    return params


@dataclass
class EngineInput:
    problem: object
    notes: list[str] = field(default_factory=list)


def build_problem(sites: list[Site], params: dict) -> EngineInput:
    """The engine Problem for ``sites``; ServiceError when the inputs cannot be used."""
    from clusterwork.formation import Problem

    notes = []
    n = len(sites)
    xy = np.array([[s.easting, s.northing] for s in sites], dtype=float)
    kwargs = {
        "min_size": params["min_size"],
        "max_size": params["max_size"],
        "n_clusters": params["n_clusters"],
        "allow_duplicates": True,
    }
    if params.get("target_size"):
        kwargs["target_size"] = params["target_size"]
    if params["keep_trusts_together"]:
        groups: dict[int, list[int]] = {}
        for i, s in enumerate(sites):
            if s.trust_id:
                groups.setdefault(s.trust_id, []).append(i)
        kwargs["must_link"] = [g for g in groups.values() if len(g) > 1]
        if not groups:
            raise ServiceError(
                "“Keep trusts together” was asked for, but none of the selected schools has a "
                "trust recorded.",
                field="keep_trusts_together",
            )
    if params["need_phase"] or params.get("need_flag"):
        phase = params["need_phase"].lower()
        flags = [bool(s.flag) or (bool(phase) and s.phase.lower() == phase) for s in sites]
        if not any(flags):
            what = f"{params['need_phase']} school" if phase else "flagged site"
            raise ServiceError(
                f"Every cluster must include a {what}, but none of the {n} selected schools "
                f"is one.",
                field="need_phase",
            )
        kwargs["need_flag"] = flags
    if params["max_km"] is not None:
        kwargs["max_distance"] = params["max_km"] * 1000.0
    if params.get("max_pupils") is not None:
        kwargs["demand"], kwargs["capacity"] = _pupil_demand(sites, params["max_pupils"])
    if params["incremental"]:
        ids = sorted({s.current_cluster_id for s in sites if s.current_cluster_id})
        if not ids:
            raise ServiceError(
                "Incremental mode keeps today's clusters, but none of the selected schools is in "
                "a cluster of this programme yet.",
                field="incremental",
            )
        label_of = {cid: i for i, cid in enumerate(ids)}
        labels = [label_of.get(s.current_cluster_id, -1) for s in sites]
        if params["move_cost_km"] is None:
            kwargs["locked"] = labels
        else:
            # A priced move instead of a lock: existing members may move when it saves more
            # than the move cost in distance.
            kwargs["current_labels"] = labels
            kwargs["move_cost"] = params["move_cost_km"] * 1000.0
    colocated = colocated_groups(sites)
    if colocated:
        notes.append(
            f"{sum(len(g) for g in colocated)} schools share a location with another school "
            f"(GIAS coordinates are postcode centres), e.g. "
            f"{' and '.join(s.name for s in colocated[0][:2])}."
        )
    try:
        problem = Problem(xy, **kwargs)
    except ValueError as exc:
        raise ServiceError(explain(str(exc), sites)) from None
    precheck(problem, sites)
    return EngineInput(problem=problem, notes=notes)


def _pupil_demand(sites: list[Site], cap: int) -> tuple[list[int], int]:
    """Pupils per school as the engine's demand, refused when a number is missing or one
    school alone is over the cap (the engine would only say "infeasible")."""
    missing = [s for s in sites if s.pupils is None]
    if missing:
        named = ", ".join(_named(s) for s in missing[:3])
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        raise ServiceError(
            f"A cap on pupils needs every school's number of pupils; {len(missing)} of the "
            f"{len(sites)} schools have none in the school directory ({named}{more}). Import a "
            f"full GIAS file (its NumberOfPupils column), give them in a “pupils” column of a "
            f"sites CSV (form-clusters --sites), or leave the cap empty.",
            field="max_pupils",
        )
    over = [s for s in sites if s.pupils > cap]
    if over:
        biggest = max(over, key=lambda s: s.pupils)
        raise ServiceError(
            f"{_named(biggest)} alone has {biggest.pupils:,} pupils, more than the cap of "
            f"{cap:,} per cluster"
            + (f" ({len(over)} schools are over it)." if len(over) > 1 else "."),
            field="max_pupils",
        )
    return [s.pupils for s in sites], cap


def _named(site: Site) -> str:
    return site.name + (f" (URN {site.urn})" if site.urn else "")


def precheck(problem, sites: list[Site]) -> None:
    """Refuse at once constraints that can never be met (bounds, locks, conflicts)."""
    from clusterwork.formation.engine import Infeasible
    from clusterwork.formation.engine.model import Model

    try:
        Model(problem).check_max_distance()
    except Infeasible as exc:
        raise ServiceError(f"These settings cannot be met: {explain(str(exc), sites)}.") from None


_WORDS = [
    (re.compile(r"\bmax_size\b"), "the largest cluster size"),
    (re.compile(r"\bmin_size\b"), "the smallest cluster size"),
    (re.compile(r"\bmax_distance\b"), "the longest distance to a hub"),
    (re.compile(r"\bsites?/groups\b"), "schools"),
    (re.compile(r"\bflagged sites\b"), "schools of the required kind"),
    (re.compile(r"\bmust-link group\b"), "trust kept together"),
    (re.compile(r"\btotal demand\b"), "the pupils"),
    (re.compile(r"\bhas demand\b"), "has pupils"),
    (re.compile(r"\bcapacity\b"), "the pupil cap"),
    (re.compile(r"\bsites\b"), "schools"),
]
_SITE = re.compile(r"\bsite (\d+)\b")


def explain(message: str, sites: list[Site]) -> str:
    """Engine messages speak of site indices and metres; users know schools and km."""

    def name(match):
        i = int(match.group(1))
        return _named(sites[i]) if 0 <= i < len(sites) else match.group(0)

    text = _SITE.sub(name, message)
    text = re.sub(
        r"max_distance (\d+(?:\.\d+)?)",
        lambda m: f"max_distance {float(m.group(1)) / 1000:g} km",
        text,
    )
    text = re.sub(
        r"is (\d+(?:\.\d+)?) away", lambda m: f"is {float(m.group(1)) / 1000:.1f} km away", text
    )
    for pattern, words in _WORDS:
        text = pattern.sub(words, text)
    return text


def run_engine(sites: list[Site], params: dict, *, progress=None) -> dict:
    """Solve and return the result as JSON-ready data (distances in metres)."""
    from clusterwork.formation import solve

    engine_input = build_problem(sites, params)
    started = time.monotonic()
    result = solve(
        engine_input.problem,
        time_limit=params["time_limit"],
        seed=params["seed"],
        progress=progress,
    )
    data = {
        "status": result.status,
        "message": explain(result.message or "", sites),
        "labels": None if result.labels is None else [int(v) for v in result.labels],
        "hubs": None if result.hubs is None else [int(v) for v in result.hubs],
        "objective": _num(result.objective),
        "lower_bound": _num(result.lower_bound),
        "gap": _num(result.gap),
        "moves": result.moves,
        "runtime": round(getattr(result, "runtime", time.monotonic() - started), 3),
        "notes": engine_input.notes,
    }
    return data


def _num(value):
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


# ----- reading a result -------------------------------------------------------------------


def mean_km(distances: list[float]) -> float:
    return sum(distances) / len(distances) if distances else 0.0


@dataclass
class ProposedCluster:
    index: int
    hub: Site
    members: list[Site]
    distances_km: list[float]
    name: str = ""
    existing_id: int | None = None
    existing_name: str = ""

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def mean_km(self) -> float:
        return mean_km(self.distances_km)

    @property
    def max_km(self) -> float:
        return max(self.distances_km, default=0.0)

    @property
    def pupils(self) -> int | None:
        """Pupils in the cluster, or None when a member's number is not known."""
        if any(s.pupils is None for s in self.members):
            return None
        return sum(s.pupils for s in self.members)

    @property
    def phases(self) -> list[tuple[str, int]]:
        return Counter(s.phase or "unknown" for s in self.members).most_common()

    @property
    def rows(self):
        return list(zip(self.members, self.distances_km, strict=True))


@dataclass
class Move:
    site: Site
    from_name: str
    to_name: str


@dataclass
class Proposal:
    clusters: list[ProposedCluster]
    moves: list[Move]
    new_sites: list[Site]
    cluster_of_site: list[int]
    distance_km: list[float]
    objective_km: float | None
    lower_bound_km: float | None
    gap: float | None
    status: str
    message: str
    retired: list[tuple[int, str]] = field(default_factory=list)

    @property
    def mean_km(self) -> float:
        return mean_km(self.distance_km)

    @property
    def max_km(self) -> float:
        return max(self.distance_km, default=0.0)


def proposal_from_result(sites: list[Site], result: dict, *, existing_names=()) -> Proposal | None:
    """Clusters, names and moves for a feasible result (None when there is no clustering).

    Each proposed cluster takes over the existing cluster that holds most of its schools (each
    existing cluster at most once), so an unchanged cluster keeps its name and history; the
    rest are named after their hub school's town.
    """
    labels, hubs = result.get("labels"), result.get("hubs")
    if not labels or hubs is None:
        return None
    k = len(hubs)
    members: list[list[int]] = [[] for _ in range(k)]
    for i, c in enumerate(labels):
        members[c].append(i)
    distances = []
    for i, c in enumerate(labels):
        hub = sites[hubs[c]]
        distances.append(
            math.hypot(sites[i].easting - hub.easting, sites[i].northing - hub.northing) / 1000
        )
    # Greedy matching by overlap, largest first.
    overlaps = []
    current_names = {}
    for c in range(k):
        counts = Counter(
            sites[i].current_cluster_id for i in members[c] if sites[i].current_cluster_id
        )
        for cid, count in counts.items():
            overlaps.append((count, -c, cid))
    for s in sites:
        if s.current_cluster_id:
            current_names[s.current_cluster_id] = s.current_cluster
    match: dict[int, int] = {}
    used = set()
    for _count, neg_c, cid in sorted(overlaps, reverse=True):
        c = -neg_c
        if c in match or cid in used:
            continue
        match[c] = cid
        used.add(cid)
    taken = {n.lower() for n in existing_names} | {n.lower() for n in current_names.values()}
    clusters = []
    new_towns = [(sites[hubs[c]].town or "").strip() for c in range(k) if c not in match]
    for c in range(k):
        hub = sites[hubs[c]]
        pc = ProposedCluster(
            index=c,
            hub=hub,
            members=[sites[i] for i in members[c]],
            distances_km=[distances[i] for i in members[c]],
        )
        if c in match:
            pc.existing_id = match[c]
            pc.existing_name = pc.name = current_names[match[c]]
        else:
            # A town alone names a cluster well only when no other new cluster meets there;
            # otherwise the hub school tells them apart ("Hartlepool – Throston Primary").
            town = (hub.town or "").strip()
            base = (
                town
                if town and new_towns.count(town) == 1
                else (f"{town} – {hub.name}" if town else hub.name)
            )
            pc.name = _fresh_name(base, taken)
            taken.add(pc.name.lower())
        clusters.append(pc)
    moves, new_sites = [], []
    for i, s in enumerate(sites):
        target = clusters[labels[i]]
        if s.current_cluster_id is None:
            new_sites.append(s)
        elif target.existing_id != s.current_cluster_id:
            moves.append(Move(site=s, from_name=s.current_cluster, to_name=target.name))
    retired = sorted((cid, current_names[cid]) for cid in set(current_names) - used)
    km = lambda v: None if v is None else v / 1000  # noqa: E731
    return Proposal(
        clusters=clusters,
        moves=moves,
        new_sites=new_sites,
        cluster_of_site=list(labels),
        distance_km=distances,
        objective_km=km(result.get("objective")),
        lower_bound_km=km(result.get("lower_bound")),
        gap=result.get("gap"),
        status=result.get("status", ""),
        message=result.get("message", ""),
        retired=retired,
    )


def _fresh_name(base: str, taken: set[str]) -> str:
    base = (base or "Cluster").strip().title() if base.isupper() else (base or "Cluster").strip()
    name = base
    number = 2
    while name.lower() in taken:
        name = f"{base} {number}"
        number += 1
    return name
