"""Every read of the sharing pages and API, filtered by the reader's scope.

A library item is seen by whoever sees its cluster, and — when its owner shared it more
widely — by everyone who sees its programme, or by everyone signed in. Where an item came
from (its cluster, school and author) is named only to those who see that cluster.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from clusterwork.clusters.selectors import clusters_visible_to
from clusterwork.people.models import Role
from clusterwork.people.scopes import scope_for

from . import audience
from .models import (
    Audience,
    Coaching,
    CoachingMember,
    CoachingSession,
    ItemUse,
    ItemVersion,
    LibraryItem,
    Notification,
    Partner,
    Post,
    Tag,
    Thread,
)

# ----- the library -----------------------------------------------------------------------


def item_audience_filter(user) -> Q:
    scope = scope_for(user)
    if scope.is_anonymous:
        return Q(pk__in=[])
    return (
        scope.cluster_filter("cluster__")
        | (Q(audience=Audience.PROGRAMME) & scope.programme_filter("programme__"))
        | Q(audience=Audience.SIGNED_IN)
    )


def items_visible_to(user, *, include_archived: bool = False) -> QuerySet[LibraryItem]:
    items = LibraryItem.objects.filter(item_audience_filter(user))
    if not include_archived:
        items = items.filter(archived_at__isnull=True)
    return items.select_related("cluster__programme", "programme", "school", "author")


def item_list(
    user,
    *,
    cluster=None,
    q: str = "",
    subject: str = "",
    key_stage: str = "",
    kind: str = "",
    tag: str = "",
    audience_: str = "",
    reused: bool = False,
) -> QuerySet[LibraryItem]:
    items = items_visible_to(user)
    if cluster is not None:
        items = items.filter(cluster=cluster)
    if q:
        words = q.split()
        for word in words:
            items = items.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(tags__name__icontains=word)
                | Q(versions__body__icontains=word)
                | Q(versions__original_name__icontains=word)
            )
        items = items.distinct()
    if subject:
        items = items.filter(subject=subject)
    if key_stage:
        items = items.filter(key_stage=key_stage)
    if kind:
        items = items.filter(kind=kind)
    if tag:
        items = items.filter(tags__name__iexact=tag).distinct()
    if audience_:
        items = items.filter(audience=audience_)
    items = items.annotate(
        use_count=Count("uses", distinct=True), version_count=Count("versions", distinct=True)
    )
    if reused:
        items = items.filter(use_count__gt=0)
    return items.prefetch_related("tags")


def visible_cluster_ids(user) -> set[int]:
    return set(clusters_visible_to(user).values_list("pk", flat=True))


def tags_for(user) -> QuerySet[Tag]:
    """Tags of the programmes the user sees, and those on items shared with everyone."""
    scope = scope_for(user)
    return (
        Tag.objects.filter(
            scope.programme_filter("programme__") | Q(items__audience=Audience.SIGNED_IN)
        )
        .distinct()
        .order_by("name")
    )


def item_page(item: LibraryItem):
    versions = list(item.versions.select_related("author"))
    uses = list(item.uses.select_related("school", "marked_by"))
    return versions, uses


def current_version(item: LibraryItem) -> ItemVersion | None:
    return item.versions.order_by("-number").first()


# ----- discussion ------------------------------------------------------------------------


def thread_filter(user) -> Q:
    scope = scope_for(user)
    if scope.is_anonymous:
        return Q(pk__in=[])
    return (Q(cluster__isnull=False) & scope.cluster_filter("cluster__")) | (
        Q(cluster__isnull=True) & audience.programme_thread_filter(user, "programme__")
    )


def threads_visible_to(user) -> QuerySet[Thread]:
    return Thread.objects.filter(thread_filter(user)).select_related(
        "cluster__programme", "programme", "started_by"
    )


def thread_list(user, *, cluster=None, programme=None, archived: bool = False, q: str = ""):
    threads = threads_visible_to(user)
    if cluster is not None:
        threads = threads.filter(cluster=cluster)
    if programme is not None:
        threads = threads.filter(programme=programme, cluster__isnull=True)
    threads = threads.filter(archived_at__isnull=not archived)
    if q:
        threads = threads.filter(Q(title__icontains=q) | Q(posts__body__icontains=q)).distinct()
    return threads.annotate(
        reply_count=Count("posts", filter=Q(posts__withdrawn_at__isnull=True), distinct=True)
    )


def thread_posts(thread: Thread) -> list[Post]:
    return list(
        thread.posts.select_related("author", "school", "withdrawn_by").prefetch_related(
            Prefetch("items", queryset=LibraryItem.objects.only("pk", "title")), "mentions"
        )
    )


def notifications_for(user, *, unread_only: bool = False):
    found = Notification.objects.filter(user=user).select_related(
        "post__thread__cluster", "post__thread__programme", "post__author"
    )
    if unread_only:
        found = found.filter(read_at__isnull=True)
    return found


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


# ----- peer coaching ---------------------------------------------------------------------


def coaching_filter(user) -> Q:
    """Who may know that a coaching happens: its coach and coachees, whoever may change its
    cluster (the coordinator, the programme), and the heads of its members' schools."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Q(pk__isnull=False)
    if scope.is_anonymous:
        return Q(pk__in=[])
    person = audience.person_of(user)
    mine = (
        Q(members__person_id=person.pk, members__person__isnull=False)
        if person is not None
        else Q(pk__in=[])
    )
    heads = scope.ids("school", roles=[Role.HEADTEACHER])
    return (
        mine
        | scope.changeable_cluster_filter("cluster__")
        | Q(members__school_id__in=sorted(heads))
    )


def coachings_visible_to(user) -> QuerySet[Coaching]:
    ids = Coaching.objects.filter(coaching_filter(user)).values("pk")
    return (
        Coaching.objects.filter(pk__in=ids)
        .select_related("cluster__programme")
        .prefetch_related(
            Prefetch("members", queryset=CoachingMember.objects.select_related("person", "school"))
        )
        .annotate(session_count=Count("sessions"))
    )


def can_read_notes(user, coaching: Coaching) -> bool:
    """Only the coach and coachees read what was said — not the coordinator, not the heads,
    not a superuser."""
    person = audience.person_of(user)
    return person is not None and coaching.members.filter(person=person).exists()


def coaching_sessions(coaching: Coaching, user) -> tuple[list[CoachingSession], bool]:
    sessions = list(coaching.sessions.select_related("logged_by"))
    return sessions, can_read_notes(user, coaching)


# ----- partners --------------------------------------------------------------------------


def partner_filter(user) -> Q:
    scope = scope_for(user)
    if scope.is_anonymous:
        return Q(pk__in=[])
    return (Q(cluster__isnull=False) & scope.cluster_filter("cluster__")) | (
        Q(cluster__isnull=True) & scope.programme_filter("programme__")
    )


def partners_visible_to(user) -> QuerySet[Partner]:
    return (
        Partner.objects.filter(partner_filter(user))
        .select_related("cluster__programme", "programme")
        .annotate(activity_count=Count("activities"))
    )


def partner_activities(partner: Partner):
    return partner.activities.select_related("project", "achievement", "cluster")


# ----- what was shared, counted ----------------------------------------------------------


@dataclass(frozen=True)
class Term:
    name: str
    start: dt.date
    end: dt.date  # exclusive

    @property
    def label(self) -> str:
        return self.name


def term_of(day: dt.date) -> Term:
    """English school terms, approximately: autumn September–December, spring January–
    March, summer April–August."""
    y = day.year
    if day.month >= 9:
        return Term(f"Autumn {y}", dt.date(y, 9, 1), dt.date(y + 1, 1, 1))
    if day.month <= 3:
        return Term(f"Spring {y}", dt.date(y, 1, 1), dt.date(y, 4, 1))
    return Term(f"Summer {y}", dt.date(y, 4, 1), dt.date(y, 9, 1))


def terms_back(day: dt.date, count: int = 3) -> list[Term]:
    terms = [term_of(day)]
    while len(terms) < count:
        terms.append(term_of(terms[-1].start - dt.timedelta(days=1)))
    return list(reversed(terms))


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass
class SchoolCounts:
    school: object
    items: int = 0
    reused_by_others: int = 0
    used_here: int = 0
    threads: int = 0
    replies: int = 0
    coaching_sessions: int = 0

    @property
    def total(self) -> int:
        return (
            self.items
            + self.reused_by_others
            + self.used_here
            + self.threads
            + self.replies
            + self.coaching_sessions
        )


def shared_counts(cluster, start: dt.date, end: dt.date, schools) -> dict:
    """What each member school shared in [start, end): items it added, uses of its items by
    other schools, items it used, threads it started, replies, coaching sessions of its
    staff; and the cluster's partner activities."""
    lo, hi = _aware(start), _aware(end)
    rows = {s.pk: SchoolCounts(s) for s in schools}

    def add(field, pairs):
        for school_id, n in pairs:
            if school_id in rows:
                setattr(rows[school_id], field, getattr(rows[school_id], field) + n)

    items = LibraryItem.objects.filter(cluster=cluster, created_at__gte=lo, created_at__lt=hi)
    add("items", items.values_list("school_id").annotate(n=Count("id")))
    uses = ItemUse.objects.filter(item__cluster=cluster, on__gte=start, on__lt=end)
    add(
        "reused_by_others",
        uses.exclude(school_id=F("item__school_id"))
        .values_list("item__school_id")
        .annotate(n=Count("id")),
    )
    used = ItemUse.objects.filter(on__gte=start, on__lt=end, school_id__in=list(rows))
    add("used_here", used.values_list("school_id").annotate(n=Count("id")))
    posts = Post.objects.filter(
        thread__cluster=cluster, created_at__gte=lo, created_at__lt=hi, withdrawn_at__isnull=True
    )
    first = Post.objects.filter(thread=OuterRef("thread")).order_by("created_at", "id")
    posts = posts.annotate(first_pk=Subquery(first.values("pk")[:1]))
    opening = posts.filter(pk=F("first_pk"))
    add("threads", opening.values_list("school_id").annotate(n=Count("id")))
    add("replies", posts.exclude(pk=F("first_pk")).values_list("school_id").annotate(n=Count("id")))
    sessions = CoachingSession.objects.filter(coaching__cluster=cluster, on__gte=start, on__lt=end)
    per_school: dict[int, int] = {}
    for session_school in CoachingMember.objects.filter(
        coaching__sessions__in=sessions
    ).values_list("coaching__sessions", "school_id"):
        per_school[session_school[1]] = per_school.get(session_school[1], 0) + 1
    add("coaching_sessions", per_school.items())
    activities = (
        Partner.objects.filter(activities__on__gte=start, activities__on__lt=end)
        .filter(Q(cluster=cluster) | Q(activities__cluster=cluster))
        .values_list("activities", flat=True)
        .distinct()
        .count()
    )
    return {"rows": list(rows.values()), "partner_activities": activities}


def cluster_sharing_summary(cluster, day: dt.date | None = None) -> dict:
    from clusterwork.clusters.selectors import member_schools

    day = day or timezone.localdate()
    schools = list(member_schools(cluster, on=day))
    terms = []
    for term in terms_back(day, 3):
        counts = shared_counts(cluster, term.start, term.end, schools)
        terms.append({"term": term, **counts})
    threads = Thread.objects.filter(cluster=cluster)
    return {
        "terms": terms,
        "totals": {
            "items": LibraryItem.objects.filter(cluster=cluster, archived_at__isnull=True).count(),
            "uses": ItemUse.objects.filter(item__cluster=cluster).count(),
            "threads": threads.count(),
            "replies": Post.objects.filter(thread__in=threads, withdrawn_at__isnull=True).count()
            - threads.count(),
            "coachings": Coaching.objects.filter(cluster=cluster).current(day).count(),
            "partners": Partner.objects.filter(cluster=cluster, archived_at__isnull=True).count(),
        },
    }
