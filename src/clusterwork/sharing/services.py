"""Every write of the library, the discussion, peer coaching and the partner register."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import PurePath

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from clusterwork.clusters.models import Cluster, Programme
from clusterwork.core.audit import audited_save, user_or_none
from clusterwork.core.dated import check_span
from clusterwork.core.dates import day_text
from clusterwork.core.errors import ServiceError

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
    NotificationSettings,
    Partner,
    PartnerActivity,
    Post,
    Tag,
    Thread,
    ThreadFollow,
)

MAX_TAGS = 12


def _enqueue(task, *args) -> None:
    transaction.on_commit(lambda: task.enqueue(*args))


def _open_cluster(cluster: Cluster) -> None:
    if cluster.is_archived:
        raise ServiceError(f"{cluster} is archived; restore it before sharing in it.")


# ----- the library -----------------------------------------------------------------------


def tags_from_text(programme: Programme, text: str) -> list[Tag]:
    """``"Chain Reaction, fair testing"`` → the programme's tags of those names (made when
    new; the same tag whatever the capitals)."""
    names = []
    for raw in (text or "").split(","):
        name = " ".join(raw.split())
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    if len(names) > MAX_TAGS:
        raise ServiceError(f"At most {MAX_TAGS} tags, please.", field="tags")
    tags = []
    for name in names:
        if len(name) > 60:
            raise ServiceError(f"The tag “{name[:20]}…” is too long (60 letters).", field="tags")
        tag = Tag.objects.filter(programme=programme, name__iexact=name).first()
        if tag is None:
            tag = Tag.objects.create(programme=programme, name=name)
        tags.append(tag)
    return tags


def _check_links(cluster: Cluster, goal, project) -> None:
    if goal is not None and goal.cluster_id != cluster.pk:
        raise ServiceError(f"The goal “{goal}” is not {cluster}'s.", field="goal")
    if project is not None and project.cluster_id != cluster.pk:
        raise ServiceError(f"The project “{project}” is not {cluster}'s.", field="project")


def _content(kind: str, *, file, url: str, body: str) -> None:
    if kind == LibraryItem.Kind.FILE and not file:
        raise ServiceError("Choose the file to share.", field="file")
    if kind == LibraryItem.Kind.LINK and not url:
        raise ServiceError("Give the address of the page to share.", field="url")
    if kind == LibraryItem.Kind.WRITEUP and not (body or "").strip():
        raise ServiceError("Write the idea up: a few lines are enough.", field="body")


def _new_version(item: LibraryItem, *, actor, file=None, url="", body="", note="") -> ItemVersion:
    number = (item.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ItemVersion(
        item=item,
        number=number,
        url=url or "",
        body=(body or "").strip(),
        note=note or "",
        author=audience.person_of(actor),
        created_by=user_or_none(actor),
    )
    if file:
        name = PurePath(getattr(file, "name", "") or "file").name
        version.original_name = name[:200]
        version.size_bytes = file.size
        # The stored name is not the uploaded one: nothing a user types reaches the disk path.
        suffix = PurePath(name).suffix.lower()
        version.file.save(f"{item.pk}-{number}-{os.urandom(6).hex()}{suffix}", file, save=False)
    audited_save(version, actor)
    return version


@transaction.atomic
def item_create(
    *,
    actor,
    cluster: Cluster,
    title: str,
    kind: str,
    subject: str,
    key_stage: str,
    audience: str = Audience.CLUSTER,
    summary: str = "",
    file=None,
    url: str = "",
    body: str = "",
    tags: str = "",
    goal=None,
    project=None,
    school=None,
    author=None,
) -> LibraryItem:
    """``author`` defaults to the actor's person (the demo and imports name someone else);
    ``school``, to the author's school in the cluster."""
    _open_cluster(cluster)
    if not (title or "").strip():
        raise ServiceError("Give the item a title people will search for.", field="title")
    _content(kind, file=file, url=url, body=body)
    _check_links(cluster, goal, project)
    author = author or _person(actor)
    if school is None:
        school = _school_for(author, actor, cluster)
    item = LibraryItem(
        cluster=cluster,
        programme=cluster.programme,
        title=title.strip(),
        summary=(summary or "").strip(),
        kind=kind,
        subject=subject,
        key_stage=key_stage,
        audience=audience,
        goal=goal,
        project=project,
        author=author,
        school=school,
        created_by=user_or_none(actor),
    )
    audited_save(item, actor)
    item.tags.set(tags_from_text(cluster.programme, tags))
    version = _new_version(item, actor=actor, file=file, url=url, body=body, note="First version")
    if version.author_id != author_id(author):
        ItemVersion.objects.filter(pk=version.pk).update(author=author)
    return item


def author_id(person):
    return person.pk if person is not None else None


def _person(actor):
    return audience.person_of(actor)


def _author_school(actor, cluster):
    return audience.school_of(actor, cluster) if actor is not None else None


def _school_for(person, actor, cluster):
    """The member school a contribution counts for: the author's own, if it is a member."""
    at_member_school = (
        person is not None
        and person.school_id
        and cluster is not None
        and cluster.memberships.current().filter(school_id=person.school_id).exists()
    )
    if at_member_school:
        return person.school
    return _author_school(actor, cluster) if person is None or person.user_id else None


def _open_item(item: LibraryItem) -> None:
    if item.is_archived:
        raise ServiceError("This item is archived; it can be read but not changed.")


@transaction.atomic
def item_update(
    *,
    actor,
    item: LibraryItem,
    title: str,
    subject: str,
    key_stage: str,
    audience: str,
    summary: str = "",
    tags: str = "",
    goal=None,
    project=None,
) -> LibraryItem:
    _open_item(item)
    if not (title or "").strip():
        raise ServiceError("Give the item a title.", field="title")
    _check_links(item.cluster, goal, project)
    item = LibraryItem.objects.select_for_update().get(pk=item.pk)
    item.title, item.summary = title.strip(), (summary or "").strip()
    item.subject, item.key_stage, item.audience = subject, key_stage, audience
    item.goal, item.project = goal, project
    audited_save(item, actor, "Details changed")
    item.tags.set(tags_from_text(item.programme, tags))
    return item


@transaction.atomic
def version_add(
    *, actor, item: LibraryItem, file=None, url: str = "", body: str = "", note: str = ""
) -> ItemVersion:
    """A new version of the item: the newest is what people see first; older ones stay."""
    _open_item(item)
    LibraryItem.objects.select_for_update().filter(pk=item.pk).first()
    _content(item.kind, file=file, url=url, body=body)
    if not (note or "").strip():
        raise ServiceError("Say in a few words what changed.", field="note")
    version = _new_version(item, actor=actor, file=file, url=url, body=body, note=note.strip())
    LibraryItem.objects.filter(pk=item.pk).update(updated_at=timezone.now())
    return version


@transaction.atomic
def item_mark_used(
    *,
    actor,
    item: LibraryItem,
    school,
    note: str = "",
    on: dt.date | None = None,
    marked_by=None,
) -> ItemUse:
    """ "Used in my school" — once per school; marking again updates the note. ``marked_by``
    (the demo) names the person when the actor is the system."""
    _open_item(item)
    if school is None:
        raise ServiceError("Choose the school that used it.", field="school")
    trusted = actor is None or getattr(actor, "is_superuser", False) or marked_by is not None
    if not trusted and not audience.my_schools(actor).filter(pk=school.pk).exists():
        raise ServiceError(f"You do not work at or hold a role at {school}.", field="school")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ServiceError("A use is marked once it has happened.", field="on")
    use = ItemUse.objects.select_for_update().filter(item=item, school=school).first()
    if use is None:
        use = ItemUse(item=item, school=school)
    use.on, use.note = on, (note or "").strip()[:300]
    use.marked_by, use.created_by = marked_by or _person(actor), user_or_none(actor)
    audited_save(use, actor)
    return use


@transaction.atomic
def item_archive(*, actor, item: LibraryItem, reason: str = "") -> LibraryItem:
    _open_item(item)
    item = LibraryItem.objects.select_for_update().get(pk=item.pk)
    item.mark_archived(actor)
    audited_save(item, actor, reason or "Archived")
    return item


# ----- discussion ------------------------------------------------------------------------

MENTION = re.compile(r"@([A-Za-z][\w'\-]*(?: [A-Z][\w'\-]*)?)")


def _mentions(thread: Thread, body: str):
    """People named ``@First Last`` (or ``@First``, when only one person has that first
    name) who may read the thread."""
    from clusterwork.clusters.selectors import cluster_people

    from .selectors import threads_visible_to

    names = {m.strip().lower() for m in MENTION.findall(body or "")}
    if not names:
        return []
    if thread.cluster_id:
        people = cluster_people(thread.cluster).filter(user__isnull=False)
    else:
        from clusterwork.people.models import Person

        people = Person.objects.filter(
            user__isnull=False, roles__programme=thread.programme
        ) | Person.objects.filter(user__isnull=False, roles__cluster__programme=thread.programme)
    found = []
    by_first: dict[str, list] = {}
    for person in people.distinct().select_related("user"):
        by_first.setdefault(person.full_name.split(" ")[0].lower(), []).append(person)
        if person.full_name.lower() in names:
            found.append(person)
    for name in names:
        matches = by_first.get(name, [])
        if len(matches) == 1 and matches[0] not in found:
            found.append(matches[0])
    return [p for p in found if threads_visible_to(p.user).filter(pk=thread.pk).exists()]


def _attachable(actor, items) -> list[LibraryItem]:
    from .selectors import items_visible_to

    items = list(items or [])
    if not items:
        return []
    visible = set(
        items_visible_to(actor).filter(pk__in=[i.pk for i in items]).values_list("pk", flat=True)
    )
    hidden = [i.title for i in items if i.pk not in visible]
    if hidden:
        raise ServiceError(f"You cannot attach {', '.join(hidden)}.", field="items")
    return items


def _follow(thread: Thread, user) -> None:
    if user is not None and user.is_authenticated:
        ThreadFollow.objects.get_or_create(thread=thread, user=user)


def _notify(post: Post, *, opening: bool) -> list[int]:
    """In-product notifications (and, for those who opted in, emails) for a new post."""
    from .selectors import threads_visible_to

    thread = post.thread
    author_user = post.created_by_id
    made: dict[int, Notification] = {}
    for person in post.mentions.select_related("user"):
        if person.user_id and person.user_id != author_user:
            made[person.user_id] = Notification(
                user_id=person.user_id, kind=Notification.Kind.MENTION, post=post
            )
    if not opening:
        for follow in thread.follows.filter(muted=False).exclude(user_id=author_user):
            made.setdefault(
                follow.user_id,
                Notification(user_id=follow.user_id, kind=Notification.Kind.REPLY, post=post),
            )
    else:
        from django.contrib.auth import get_user_model

        wanting = get_user_model().objects.filter(
            sharing_settings__email_new_threads=True, is_active=True
        )
        for user in wanting.exclude(pk=author_user):
            if user.pk not in made and threads_visible_to(user).filter(pk=thread.pk).exists():
                made[user.pk] = Notification(
                    user_id=user.pk, kind=Notification.Kind.NEW_THREAD, post=post
                )
    muted = set(
        thread.follows.filter(muted=True, user_id__in=list(made)).values_list("user_id", flat=True)
    )
    rows = [n for uid, n in made.items() if uid not in muted or n.kind == "mention"]
    Notification.objects.bulk_create(rows)
    ids = [n.pk for n in rows if n.pk]
    if not ids:  # backends that do not return keys from bulk_create
        ids = list(Notification.objects.filter(post=post).values_list("pk", flat=True))
    from .tasks import send_notification_emails

    _enqueue(send_notification_emails, ids)
    return ids


def _post(thread: Thread, *, actor, body: str, items, author=None) -> Post:
    body = (body or "").strip()
    if not body:
        raise ServiceError("Write something first.", field="body")
    if len(body) > 10_000:
        raise ServiceError("A post may be up to 10,000 characters.", field="body")
    items = _attachable(actor, items)
    author = author or _person(actor)
    post = Post(
        thread=thread,
        body=body,
        author=author,
        school=_school_for(author, actor, thread.cluster) if thread.cluster_id else None,
        created_by=user_or_none(actor),
    )
    audited_save(post, actor)
    post.items.set(items)
    post.mentions.set(_mentions(thread, body))
    Thread.objects.filter(pk=thread.pk).update(last_post_at=post.created_at)
    _follow(thread, actor)
    return post


@transaction.atomic
def thread_start(
    *,
    actor,
    title: str,
    body: str,
    cluster: Cluster | None = None,
    programme: Programme | None = None,
    items=(),
    pin: bool = False,
    author=None,
) -> Thread:
    """A new thread in a cluster, or (no cluster) among a programme's coordinators."""
    if cluster is None and programme is None:
        raise ServiceError("A thread belongs to a cluster or a programme.")
    if cluster is not None:
        _open_cluster(cluster)
        programme = cluster.programme
    if not (title or "").strip():
        raise ServiceError("Give the thread a title.", field="title")
    thread = Thread(
        programme=programme,
        cluster=cluster,
        title=title.strip(),
        started_by=author or _person(actor),
        created_by=user_or_none(actor),
    )
    if pin:
        if actor is not None and not actor.has_perm("sharing.moderate_thread", thread):
            raise ServiceError("Only the coordinator pins announcements.", field="pin")
        thread.pinned_at, thread.pinned_by = timezone.now(), user_or_none(actor)
    audited_save(thread, actor)
    post = _post(thread, actor=actor, body=body, items=items, author=author)
    _notify(post, opening=True)
    return thread


@transaction.atomic
def post_reply(*, actor, thread: Thread, body: str, items=(), author=None) -> Post:
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.is_archived:
        raise ServiceError("This thread is closed; start a new one.", field="body")
    post = _post(thread, actor=actor, body=body, items=items, author=author)
    _notify(post, opening=False)
    return post


@transaction.atomic
def post_withdraw(*, actor, post: Post, reason: str = "") -> Post:
    """Withdrawn, not deleted: the thread shows that it was, the history keeps its text."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.is_withdrawn:
        raise ServiceError("This post has already been withdrawn.")
    post.withdrawn_at, post.withdrawn_by = timezone.now(), user_or_none(actor)
    post.withdrawn_reason = (reason or "").strip()[:300]
    audited_save(post, actor, f"Withdrawn: {post.withdrawn_reason}" if reason else "Withdrawn")
    return post


@transaction.atomic
def thread_pin(*, actor, thread: Thread, pinned: bool = True) -> Thread:
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if pinned:
        thread.pinned_at, thread.pinned_by = timezone.now(), user_or_none(actor)
    else:
        thread.pinned_at, thread.pinned_by = None, None
    audited_save(thread, actor, "Pinned" if pinned else "Unpinned")
    return thread


@transaction.atomic
def thread_archive(*, actor, thread: Thread, reason: str = "") -> Thread:
    """Moderation: closed to replies, kept and readable."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.is_archived:
        raise ServiceError("This thread is already closed.")
    thread.mark_archived(actor)
    audited_save(thread, actor, reason or "Closed by the moderator")
    return thread


@transaction.atomic
def thread_reopen(*, actor, thread: Thread) -> Thread:
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    thread.archived_at, thread.archived_by = None, None
    audited_save(thread, actor, "Reopened")
    return thread


@transaction.atomic
def thread_mute(*, actor, thread: Thread, muted: bool = True) -> ThreadFollow:
    follow, _ = ThreadFollow.objects.get_or_create(thread=thread, user=actor)
    follow.muted = muted
    follow.save(update_fields=["muted", "updated_at"])
    return follow


@transaction.atomic
def notification_settings_set(
    *, actor, email_replies: bool, email_mentions: bool, email_new_threads: bool
) -> NotificationSettings:
    settings_, _ = NotificationSettings.objects.select_for_update().get_or_create(user=actor)
    settings_.email_replies = email_replies
    settings_.email_mentions = email_mentions
    settings_.email_new_threads = email_new_threads
    audited_save(settings_, actor)
    return settings_


@transaction.atomic
def notifications_mark_read(*, actor, thread: Thread | None = None) -> int:
    found = Notification.objects.filter(user=actor, read_at__isnull=True)
    if thread is not None:
        found = found.filter(post__thread=thread)
    return found.update(read_at=timezone.now())


# ----- peer coaching ---------------------------------------------------------------------


def _member_school_of(cluster: Cluster, person, on: dt.date, field: str):
    if person is None:
        raise ServiceError("Choose who takes part.", field=field)
    members = set(cluster.memberships.on(on).values_list("school_id", flat=True))
    from clusterwork.people.models import RoleAssignment

    schools = [person.school_id] if person.school_id else []
    schools += list(
        RoleAssignment.objects.on(on)
        .filter(person=person, school__isnull=False)
        .values_list("school_id", flat=True)
    )
    inside = [s for s in schools if s in members]
    if not inside:
        raise ServiceError(
            f"{person} does not work at a member school of {cluster} on {day_text(on)}.",
            field=field,
        )
    return inside[0]


@transaction.atomic
def coaching_arrange(
    *,
    actor,
    cluster: Cluster,
    focus: str,
    coach,
    coachees,
    start: dt.date,
    end: dt.date | None = None,
) -> Coaching:
    """A pair (one coachee) or a triad (two) across the cluster's schools."""
    _open_cluster(cluster)
    check_span(start, end)
    coachees = [c for c in (coachees or []) if c is not None]
    if not (focus or "").strip():
        raise ServiceError("Say what the coaching is about.", field="focus")
    if not 1 <= len(coachees) <= 2:
        raise ServiceError("A pair has one coachee, a triad two.", field="coachees")
    if coach in coachees:
        raise ServiceError("The coach cannot also be a coachee.", field="coachees")
    coach_school = _member_school_of(cluster, coach, start, "coach")
    schools = [_member_school_of(cluster, c, start, "coachees") for c in coachees]
    if all(s == coach_school for s in schools):
        raise ServiceError(
            "Peer coaching is across schools: the coach works at the same school.",
            field="coachees",
        )
    coaching = Coaching(
        cluster=cluster, focus=focus.strip(), start=start, end=end, arranged_by=user_or_none(actor)
    )
    audited_save(coaching, actor)
    CoachingMember.objects.create(
        coaching=coaching, person=coach, school_id=coach_school, part=CoachingMember.Part.COACH
    )
    for person, school in zip(coachees, schools, strict=True):
        CoachingMember.objects.create(
            coaching=coaching, person=person, school_id=school, part=CoachingMember.Part.COACHEE
        )
    return coaching


@transaction.atomic
def coaching_session_log(
    *,
    actor,
    coaching: Coaching,
    on: dt.date,
    note: str = "",
    follow_up: str = "",
    logged_by=None,
) -> CoachingSession:
    """Only the coach and coachees log a session: they are the only ones who read it.
    (``logged_by`` names the member when the system logs for them: the demo.)"""
    from .selectors import can_read_notes

    if logged_by is not None:
        if not coaching.members.filter(person=logged_by).exists():
            raise ServiceError("Only the coach and coachees log their sessions.")
    elif not can_read_notes(actor, coaching):
        raise ServiceError("Only the coach and coachees log their sessions.")
    if on > timezone.localdate():
        raise ServiceError("Log a session once it has happened.", field="on")
    if on < coaching.start or (coaching.end and on >= coaching.end):
        raise ServiceError(f"The coaching runs {coaching.span_text}.", field="on")
    session = CoachingSession(
        coaching=coaching,
        on=on,
        note=(note or "").strip(),
        follow_up=(follow_up or "").strip(),
        logged_by=logged_by or _person(actor),
    )
    audited_save(session, actor)
    return session


@transaction.atomic
def coaching_end(*, actor, coaching: Coaching, end: dt.date) -> Coaching:
    coaching = Coaching.objects.select_for_update().get(pk=coaching.pk)
    if coaching.end is not None:
        raise ServiceError(f"This coaching already ended ({coaching.span_text}).", field="end")
    check_span(coaching.start, end)
    coaching.end = end
    audited_save(coaching, actor, "Ended")
    return coaching


# ----- partners --------------------------------------------------------------------------


@transaction.atomic
def partner_add(
    *,
    actor,
    name: str,
    kind: str,
    cluster: Cluster | None = None,
    programme: Programme | None = None,
    website: str = "",
    contact: str = "",
    notes: str = "",
) -> Partner:
    if cluster is not None:
        _open_cluster(cluster)
        programme = cluster.programme
    if programme is None:
        raise ServiceError("A partner is a cluster's or a programme's.")
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError("Name the organisation.", field="name")
    same = Partner.objects.filter(
        programme=programme, cluster=cluster, name__iexact=name, archived_at__isnull=True
    )
    if same.exists():
        raise ServiceError(f"{name} is already in this register.", field="name")
    partner = Partner(
        programme=programme,
        cluster=cluster,
        name=name,
        kind=kind,
        website=website or "",
        contact=contact or "",
        notes=notes or "",
        created_by=user_or_none(actor),
    )
    audited_save(partner, actor)
    return partner


@transaction.atomic
def partner_activity_record(
    *,
    actor,
    partner: Partner,
    on: dt.date,
    title: str,
    description: str = "",
    cluster: Cluster | None = None,
    project=None,
    achievement=None,
) -> PartnerActivity:
    if partner.is_archived:
        raise ServiceError("This partner is archived.")
    if not (title or "").strip():
        raise ServiceError("Say what was done.", field="title")
    cluster = partner.cluster or cluster
    if cluster is not None and cluster.programme_id != partner.programme_id:
        raise ServiceError(f"{cluster} is not in {partner.programme}.", field="cluster")
    for link, field in ((project, "project"), (achievement, "achievement")):
        if link is not None and (cluster is None or link.cluster_id != cluster.pk):
            raise ServiceError(f"“{link}” is not the cluster's.", field=field)
    activity = PartnerActivity(
        partner=partner,
        on=on,
        title=title.strip(),
        description=(description or "").strip(),
        cluster=cluster,
        project=project,
        achievement=achievement,
        recorded_by=user_or_none(actor),
    )
    audited_save(activity, actor)
    return activity


@transaction.atomic
def partner_archive(*, actor, partner: Partner) -> Partner:
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if partner.is_archived:
        raise ServiceError("Already archived.")
    partner.mark_archived(actor)
    audited_save(partner, actor, "Archived")
    return partner
