"""How engaged each member school is, computed in the database.

The attendance part is one SQL statement whatever the size of the programme: each cluster's
last N meetings (a LATERAL index probe per cluster on PostgreSQL, a ROW_NUMBER window
elsewhere), joined to who came (a partial index), aggregated per school, with totals from
window aggregates, so the list stays fast for thousands of clusters. Other signals (surveys'
self-assessment returns, claims and activity) plug in through ``register_signal``: each
signal answers for one page of schools in one query, so the page's query count stays constant.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from clusterwork.clusters.models import Cluster, ClusterMembership, Programme
from clusterwork.schools.models import School

from .models import PRESENT, EngagementEmail, EngagementPolicy, Event, EventKind, Invitation

# ----- extension point ---------------------------------------------------------------------


@dataclass(frozen=True)
class EngagementSignal:
    """One column of the engagement list. ``compute(programme, school_ids)`` returns
    ``{school_id: short text}`` in a constant number of queries; ``None`` until built."""

    key: str
    label: str
    compute: Callable[[Programme, list[int]], dict[int, str]] | None = None
    order: int = 100


_SIGNALS: dict[str, EngagementSignal] = {}


def register_signal(
    key: str, label: str, compute: Callable | None = None, *, order: int = 100
) -> EngagementSignal:
    """Add or replace a signal. The surveys app will call
    ``register_signal("self_assessment", "Self-assessment returned", compute=…)``."""
    signal = EngagementSignal(key=key, label=label, compute=compute, order=order)
    _SIGNALS[key] = signal
    return signal


def signals() -> list[EngagementSignal]:
    return sorted(_SIGNALS.values(), key=lambda s: (s.order, s.key))


register_signal("self_assessment", "Self-assessment returned", order=10)
register_signal("claims", "Claims and activity", order=20)


# ----- policy ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    window: int
    min_attended: int

    @property
    def max_missed(self) -> int:
        return self.window - self.min_attended

    def describe(self) -> str:
        # A school is flagged as soon as it can no longer reach the minimum, so a new cluster
        # with two meetings so far is not flagged for missing one of them.
        return (
            f"missed more than {self.max_missed} of the last {self.window} meetings, so they "
            f"can no longer attend {self.min_attended} of them"
        )


def policy_for(programme: Programme) -> Policy:
    row = (
        EngagementPolicy.objects.filter(programme=programme)
        .values_list("window", "min_attended")
        .first()
    )
    if row is None:
        return Policy(EngagementPolicy.DEFAULT_WINDOW, EngagementPolicy.DEFAULT_MIN_ATTENDED)
    return Policy(*row)


# ----- the list ----------------------------------------------------------------------------


@dataclass
class EngagementRow:
    school_id: int
    school_name: str
    urn: int
    cluster_id: int
    cluster_name: str
    held: int
    attended: int
    flagged: bool
    last_email_at: dt.datetime | None
    signals: dict[str, str] = field(default_factory=dict)

    @property
    def missed(self) -> int:
        return self.held - self.attended

    @property
    def signal_values(self) -> list[str]:
        """Values in column order (``signals`` keeps insertion order, which is that order)."""
        return list(self.signals.values())


@dataclass
class EngagementPage:
    policy: Policy
    rows: list[EngagementRow]
    total: int
    flagged_total: int
    signals: list[EngagementSignal]


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _engagement_sql(*, cluster_filter: bool, search: bool) -> str:
    membership, cluster, school = _table(ClusterMembership), _table(Cluster), _table(School)
    event, invitation, email = _table(Event), _table(Invitation), _table(EngagementEmail)
    end = connection.ops.quote_name("end")
    members_cluster = "AND m.cluster_id = %(cluster)s" if cluster_filter else ""
    events_cluster = "AND e.cluster_id = %(cluster)s" if cluster_filter else ""
    where_sql = "WHERE LOWER(s.name) LIKE %(search)s" if search else ""
    if connection.vendor == "postgresql":
        # One backward scan of event_cluster_kind_start per cluster, reading N rows, instead
        # of ranking every meeting the programme ever held. (No id tie-break: it would force
        # a sort of each cluster's meetings.)
        clusters_cluster = "AND c.id = %(cluster)s" if cluster_filter else ""
        recent_sql = f"""recent AS (
    SELECT e.id, e.cluster_id, e.starts_at
    FROM {cluster} c CROSS JOIN LATERAL (
        SELECT e.id, e.cluster_id, e.starts_at FROM {event} e
        WHERE e.cluster_id = c.id AND e.kind = %(kind)s AND e.archived_at IS NULL
          AND e.starts_at <= %(now)s
        ORDER BY e.starts_at DESC LIMIT %(window)s
    ) e
    WHERE c.programme_id = %(programme)s AND c.archived_at IS NULL {clusters_cluster}
),"""
    else:
        recent_sql = f"""ranked AS (
    SELECT e.id, e.cluster_id, e.starts_at,
           ROW_NUMBER() OVER (PARTITION BY e.cluster_id ORDER BY e.starts_at DESC, e.id DESC) AS rn
    FROM {event} e
    WHERE e.programme_id = %(programme)s AND e.cluster_id IS NOT NULL AND e.kind = %(kind)s
      AND e.archived_at IS NULL AND e.starts_at <= %(now)s {events_cluster}
),
recent AS (SELECT id, cluster_id, starts_at FROM ranked WHERE rn <= %(window)s),"""
    # A school's window is its cluster's last N meetings; meetings before it joined don't count
    # against it. "present" means its invitee attended or sent a substitute.
    return f"""
WITH members AS (
    SELECT m.school_id, m.cluster_id, m.start
    FROM {membership} m JOIN {cluster} c ON c.id = m.cluster_id
    WHERE m.programme_id = %(programme)s AND c.archived_at IS NULL
      AND m.start <= %(today)s AND (m.{end} IS NULL OR m.{end} > %(today)s) {members_cluster}
),
{recent_sql}
present AS (
    SELECT DISTINCT i.event_id, i.school_id
    FROM {invitation} i JOIN recent r ON r.id = i.event_id
    WHERE i.attendance IN (%(attended)s, %(substitute)s)
),
a AS (
    SELECT mb.school_id, mb.cluster_id, COUNT(r.id) AS held, COUNT(p.event_id) AS attended
    FROM members mb
    LEFT JOIN recent r ON r.cluster_id = mb.cluster_id AND r.starts_at >= mb.start
    LEFT JOIN present p ON p.event_id = r.id AND p.school_id = mb.school_id
    GROUP BY mb.school_id, mb.cluster_id
),
emails AS (
    SELECT x.school_id, x.cluster_id, MAX(x.created_at) AS last_at
    FROM {email} x WHERE x.school_id IN (SELECT school_id FROM members)
    GROUP BY x.school_id, x.cluster_id
)
SELECT s.id, s.name, s.urn, c.id, c.name, a.held, a.attended,
       CASE WHEN a.held - a.attended > %(max_missed)s THEN 1 ELSE 0 END AS flagged,
       em.last_at,
       COUNT(*) OVER () AS total,
       SUM(CASE WHEN a.held - a.attended > %(max_missed)s THEN 1 ELSE 0 END) OVER () AS nflag
FROM a
JOIN {school} s ON s.id = a.school_id
JOIN {cluster} c ON c.id = a.cluster_id
LEFT JOIN emails em ON em.school_id = a.school_id AND em.cluster_id = a.cluster_id
{where_sql}
ORDER BY flagged DESC, c.name, s.name, s.id
LIMIT %(limit)s OFFSET %(offset)s
"""


def engagement_rows(
    programme: Programme,
    *,
    cluster: Cluster | None = None,
    flagged_only: bool = False,
    search: str = "",
    limit: int = 100,
    offset: int = 0,
    now: dt.datetime | None = None,
) -> EngagementPage:
    """One page of the engagement list for ``programme`` (or one ``cluster`` of it), flagged
    schools first. A constant number of queries: the policy, the rows (one statement, or two
    cache reads when another request already computed them), one per computed signal."""
    policy = policy_for(programme)
    now_given = now
    # Meetings count from the minute they start; whole minutes let concurrent requests share
    # one cached answer (any register or meeting change clears it at once).
    now = now or timezone.now().replace(second=0, microsecond=0)
    params = {
        "programme": programme.pk,
        "cluster": cluster.pk if cluster else None,
        "today": timezone.localdate(now),
        "now": now,
        "kind": EventKind.MEETING,
        "window": policy.window,
        "attended": PRESENT[0],
        "substitute": PRESENT[1],
        "max_missed": policy.max_missed,
        "search": f"%{search.strip().lower()}%",
        "limit": limit,
        "offset": offset,
    }
    sql = _engagement_sql(cluster_filter=cluster is not None, search=bool(search.strip()))
    raw = _cached_rows(programme.pk, sql, params, use_cache=now_given is None)
    rows, total, flagged_total = [], 0, 0
    for sid, sname, urn, cid, cname, held, attended, flagged, last_at, n, nflag in raw:
        total, flagged_total = n, int(nflag or 0)
        if flagged_only and not flagged:
            # Flagged schools sort first, so the flagged pages end where this starts.
            continue
        rows.append(
            EngagementRow(
                school_id=sid,
                school_name=sname,
                urn=urn,
                cluster_id=cid,
                cluster_name=cname,
                held=held,
                attended=attended,
                flagged=bool(flagged),
                last_email_at=_as_datetime(last_at),
            )
        )
    if flagged_only:
        total = flagged_total
    active = signals()
    school_ids = [row.school_id for row in rows]
    for signal in active:
        values = signal.compute(programme, school_ids) if signal.compute and school_ids else {}
        for row in rows:
            row.signals[signal.key] = values.get(row.school_id, "—")
    return EngagementPage(
        policy=policy, rows=rows, total=total, flagged_total=flagged_total, signals=active
    )


CACHE_SECONDS = 300


def _version_key(programme_id: int) -> str:
    return f"cw:engagement:v:{programme_id}"


def invalidate(programme_id: int) -> None:
    """Services call this after any write that changes engagement (registers, meetings,
    the rule, emails sent), so the next list is computed afresh."""
    key = _version_key(programme_id)
    cache.set(key, (cache.get(key) or 0) + 1, None)


@receiver(post_save, sender=ClusterMembership, dispatch_uid="engagement-membership")
@receiver(post_save, sender=Cluster, dispatch_uid="engagement-cluster")
def _cluster_or_membership_saved(sender, instance, **kwargs) -> None:
    """Who is in which cluster decides whose row the list shows: a school joining, leaving
    or moving (however it happens, through the clusters app's services or a formation
    proposal being accepted) or a cluster being archived must show at once. A signal keeps
    the clusters app unaware of this one."""
    changed(instance.programme_id)


def changed(programme_id: int) -> None:
    """Invalidate now and again after commit: a list computed inside the transaction must
    not outlive it."""
    invalidate(programme_id)
    transaction.on_commit(lambda: invalidate(programme_id))


def _cached_rows(programme_id: int, sql: str, params: dict, *, use_cache: bool) -> list:
    """The statement's rows, shared between requests until a write invalidates them (this
    app's services, and membership or cluster saves through the receiver above). Writes
    that bypass both, such as bulk updates in a shell, show within CACHE_SECONDS."""
    if not use_cache:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    version = cache.get(_version_key(programme_id)) or 0
    digest = hashlib.sha256(repr((sql, sorted(params.items()))).encode()).hexdigest()[:32]
    key = f"cw:engagement:{programme_id}:{version}:{digest}"
    raw = cache.get(key)
    if raw is None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            raw = [tuple(row) for row in cursor.fetchall()]
        cache.set(key, raw, CACHE_SECONDS)
    return raw


def _as_datetime(value):
    # SQLite returns aggregated timestamps as text.
    if value is None or isinstance(value, dt.datetime):
        return value
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=dt.UTC)


def engagement_for_cluster(cluster: Cluster, **kwargs) -> EngagementPage:
    return engagement_rows(cluster.programme, cluster=cluster, **kwargs)


def engagement_for_programme(programme: Programme, **kwargs) -> EngagementPage:
    return engagement_rows(programme, **kwargs)


def engagement_for_school(cluster: Cluster, school: School) -> EngagementRow | None:
    page = engagement_rows(cluster.programme, cluster=cluster, limit=10_000)
    return next((row for row in page.rows if row.school_id == school.pk), None)
