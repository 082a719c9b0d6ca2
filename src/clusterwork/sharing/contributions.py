"""What sharing gives the rest of the product without being imported: personal data
(export and erasure), measures, digest items, and panels on the home and impact pages."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from clusterwork.core import digest, measures, personal_data
from clusterwork.core.audit import audited_save
from clusterwork.core.digest import DigestItem
from clusterwork.core.measures import Measure
from clusterwork.core.personal_data import PersonalData, linked_rows

from .models import (
    CoachingMember,
    CoachingSession,
    ItemUse,
    ItemVersion,
    LibraryItem,
    Post,
    Thread,
)

ERASED = "[erased at the person's request]"


def _end(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


# ----- personal data ---------------------------------------------------------------------


def export_items(person) -> list[dict]:
    rows = [
        {
            "title": i.title,
            "cluster": i.cluster.name,
            "shared_with": i.get_audience_display(),
            "added": i.created_at.isoformat(),
        }
        for i in LibraryItem.objects.filter(author=person).select_related("cluster")
    ]
    rows += [
        {"version_of": v.item.title, "number": v.number, "file": v.original_name, "note": v.note}
        for v in ItemVersion.objects.filter(author=person).select_related("item")
    ]
    rows += [
        {"used": u.item.title, "school": u.school.name, "on": u.on.isoformat(), "note": u.note}
        for u in ItemUse.objects.filter(marked_by=person).select_related("item", "school")
    ]
    return rows


def erase_items(person, actor) -> int:
    """Items and files stay in the library (other schools use them); who shared them goes."""
    changed = 0
    for item in LibraryItem.objects.filter(author=person):
        item.author = None
        audited_save(item, actor, "Author erased")
        changed += 1
    changed += ItemVersion.objects.filter(author=person).update(author=None, created_by=None)
    changed += ItemUse.objects.filter(marked_by=person).update(marked_by=None, created_by=None)
    return changed


def export_posts(person) -> list[dict]:
    return [
        {
            "thread": p.thread.title,
            "posted": p.created_at.isoformat(),
            "body": p.body,
            "withdrawn": bool(p.withdrawn_at),
        }
        for p in Post.objects.filter(author=person).select_related("thread")
    ]


def erase_posts(person, actor) -> int:
    """Posts are pseudonymised: the author goes and the text is replaced (the thread's replies
    still make sense around it); the history rows are pseudonymised too."""
    changed = 0
    for post in Post.objects.filter(author=person):
        post.author, post.created_by, post.body = None, None, ERASED
        audited_save(post, actor, "Erased at the person's request")
        changed += 1
    history = Post.history.model.objects.filter(author_id=person.pk)
    changed += history.update(author_id=None, created_by_id=None, body=ERASED)
    changed += Thread.objects.filter(started_by=person).update(started_by=None, created_by=None)
    for post in Post.objects.filter(mentions=person):
        post.mentions.remove(person)
        changed += 1
    return changed


def export_coaching(person) -> list[dict]:
    rows = []
    for m in CoachingMember.objects.filter(person=person).select_related("coaching", "school"):
        rows.append(
            {
                "coaching": m.coaching.focus,
                "part": m.get_part_display(),
                "school": m.school.name,
                "span": m.coaching.span_text,
            }
        )
    for s in CoachingSession.objects.filter(logged_by=person).select_related("coaching"):
        rows.append(
            {
                "session_of": s.coaching.focus,
                "on": s.on.isoformat(),
                "note": s.note,
                "follow_up": s.follow_up,
            }
        )
    return rows


def erase_coaching(person, actor) -> int:
    """The coaching still counted (sessions, dates); the person and their notes go."""
    changed = CoachingSession.objects.filter(logged_by=person).update(
        logged_by=None, note=ERASED, follow_up=""
    )
    changed += CoachingMember.objects.filter(person=person).update(person=None)
    return changed


# ----- measures --------------------------------------------------------------------------


def items_shared(school, day):
    return LibraryItem.objects.filter(school=school, created_at__lt=_end(day)).count()


def items_reused(school, day):
    """Uses of the school's items by other schools."""
    return ItemUse.objects.filter(item__school=school, on__lte=day).exclude(school=school).count()


def items_used(school, day):
    return ItemUse.objects.filter(school=school, on__lte=day).exclude(item__school=school).count()


def cluster_threads(cluster, day):
    return Thread.objects.filter(cluster=cluster, created_at__lt=_end(day)).count()


def cluster_replies(cluster, day):
    threads = Thread.objects.filter(cluster=cluster)
    posts = Post.objects.filter(
        thread__in=threads, created_at__lt=_end(day), withdrawn_at__isnull=True
    ).count()
    return max(posts - threads.filter(created_at__lt=_end(day)).count(), 0)


def cluster_coaching_sessions(cluster, day):
    return CoachingSession.objects.filter(coaching__cluster=cluster, on__lte=day).count()


MEASURES = [
    Measure("sharing.items_shared", "Library items shared", "school", items_shared),
    Measure(
        "sharing.items_reused",
        "Its library items used by other schools",
        "school",
        items_reused,
    ),
    Measure("sharing.items_used", "Other schools' library items used", "school", items_used),
    Measure("sharing.threads", "Discussion threads", "cluster", cluster_threads),
    Measure("sharing.replies", "Discussion replies", "cluster", cluster_replies),
    Measure(
        "sharing.coaching_sessions", "Peer coaching sessions", "cluster", cluster_coaching_sessions
    ),
]


# ----- digest ----------------------------------------------------------------------------


def digest_items(user, since, until) -> list[DigestItem]:
    """New replies in threads the user follows (not muted), and new library items in the
    clusters they see (their own clusters' and what was shared with their programme)."""
    from .selectors import items_visible_to, threads_visible_to

    items: list[DigestItem] = []
    followed = threads_visible_to(user).filter(
        follows__user=user, follows__muted=False, archived_at__isnull=True
    )
    replies = (
        Post.objects.filter(
            thread__in=followed,
            created_at__gte=since,
            created_at__lt=until,
            withdrawn_at__isnull=True,
        )
        .exclude(created_by=user)
        .select_related("thread", "author")
    )
    for post in replies:
        who = post.author.full_name if post.author else "Someone"
        items.append(
            DigestItem(
                app="sharing",
                title=f"{who} replied in “{post.thread.title}”",
                url=f"{reverse('sharing:thread_detail', args=[post.thread_id])}#post-{post.pk}",
                when=post.created_at,
            )
        )
    new = items_visible_to(user).filter(created_at__gte=since, created_at__lt=until)
    for item in new.exclude(created_by=user)[:20]:
        items.append(
            DigestItem(
                app="sharing",
                title=f"New in the library: {item.title}",
                url=item.get_absolute_url(),
                when=item.created_at,
            )
        )
    return items


# ----- page sections ---------------------------------------------------------------------


def home(request, obj):
    from .selectors import items_visible_to, unread_count

    user = request.user
    if not user.is_authenticated:
        return None
    latest = list(items_visible_to(user)[:5])
    unread = unread_count(user)
    if not latest and not unread:
        return None
    return {"latest": latest, "unread": unread}


def impact_cluster(request, cluster):
    from .selectors import cluster_sharing_summary

    if not request.user.has_perm("clusters.view_cluster", cluster):
        return None
    summary = cluster_sharing_summary(cluster)
    return {"summary": summary, "cluster": cluster, "school": None}


def impact_school(request, school):
    """The school's sharing in each cluster it belongs to today that the reader may see."""
    from clusterwork.clusters.selectors import clusters_visible_to

    from .selectors import shared_counts, terms_back

    clusters = clusters_visible_to(request.user).filter(
        Q(memberships__school=school) & Q(memberships__end__isnull=True)
    )
    rows = []
    today = timezone.localdate()
    for cluster in clusters.distinct():
        for term in terms_back(today, 3):
            counts = shared_counts(cluster, term.start, term.end, [school])
            rows.append((cluster, term, counts["rows"][0]))
    if not rows:
        return None
    return {"school": school, "school_rows": rows, "summary": None}


def register() -> None:
    personal_data.register(
        PersonalData(
            app="sharing",
            label="Library items, versions and uses",
            export=export_items,
            erase=erase_items,
            models=("sharing.LibraryItem", "sharing.ItemVersion", "sharing.ItemUse"),
        )
    )
    personal_data.register(
        PersonalData(
            app="sharing",
            label="Discussion posts",
            export=export_posts,
            erase=erase_posts,
            models=("sharing.Post", "sharing.Thread"),
        )
    )
    personal_data.register(
        PersonalData(
            app="sharing",
            label="Peer coaching and its notes",
            export=export_coaching,
            erase=erase_coaching,
            models=("sharing.CoachingMember", "sharing.CoachingSession"),
        )
    )
    # Rows that only point at an account (who arranged, recorded, follows, is notified): the
    # people app pseudonymises the account in place, so they stay as they are.
    personal_data.register(
        linked_rows(
            app="sharing",
            label="Coaching arranged, partners and activities recorded",
            models=("sharing.Coaching", "sharing.Partner", "sharing.PartnerActivity"),
        )
    )
    personal_data.register(
        linked_rows(
            app="sharing",
            label="Threads followed, notifications and email choices",
            models=(
                "sharing.ThreadFollow",
                "sharing.Notification",
                "sharing.NotificationSettings",
            ),
        )
    )
    for measure in MEASURES:
        measures.register(measure)
    digest.register("sharing", digest_items)
