"""JSON API for the library, discussion, peer coaching and partners (``/api/v1/sharing/``).

The same access helpers, selectors and services as the pages: an item, thread or coaching the
caller may not see answers 404; a change they may not make 403; a refused change 400 with
the reason. Where an item came from is named only to those who see its cluster; coaching
session notes only to the coach and coachees.
"""

import datetime as dt

from django.db import transaction
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from clusterwork.clusters.access import access_cluster
from clusterwork.clusters.models import Programme
from clusterwork.core.errors import ServiceError
from clusterwork.core.schemas import Pagination, Ref, choice_of, listing, reading, writing

from . import selectors, services
from .access import access_item, access_programme_threads, access_thread
from .models import Audience, KeyStage, LibraryItem, Partner, Subject

router = Router(tags=["sharing"])


class ItemOut(Schema):
    id: int
    title: str
    summary: str
    kind: str
    subject: str
    key_stage: str
    audience: str
    tags: list[str]
    source: str
    cluster: Ref | None
    versions: int
    used_in_schools: int
    created_at: dt.datetime
    url: str


def _item_out(item, seen: set[int], user) -> dict:
    from .views import _source

    in_cluster = item.cluster_id in seen
    return {
        "id": item.pk,
        "title": item.title,
        "summary": item.summary,
        "kind": item.kind,
        "subject": item.subject,
        "key_stage": item.key_stage,
        "audience": item.audience,
        "tags": [t.name for t in item.tags.all()],
        "source": _source(item, seen, user),
        "cluster": {"id": item.cluster_id, "name": item.cluster.name} if in_cluster else None,
        "versions": getattr(item, "version_count", None) or item.versions.count(),
        "used_in_schools": getattr(item, "use_count", None)
        if hasattr(item, "use_count")
        else item.uses.count(),
        "created_at": item.created_at,
        "url": item.get_absolute_url(),
    }


class ItemFilter(Schema):
    q: str = ""
    cluster: int | None = None
    subject: str = ""
    key_stage: str = ""
    tag: str = ""
    kind: str = ""
    audience: str = ""


@router.get("items/", response=listing(ItemOut), summary="Search the library")
@paginate(Pagination)
def list_items(request, filters: Query[ItemFilter]):
    """Items you may see: your clusters', those other clusters shared with your programme,
    and those shared with everyone signed in. ``q`` searches titles, summaries, tags and
    write-ups; the other filters match exactly."""
    user = request.auth
    cluster = access_cluster(user, filters.cluster) if filters.cluster else None
    items = selectors.item_list(
        user,
        cluster=cluster,
        q=filters.q,
        subject=filters.subject,
        key_stage=filters.key_stage,
        tag=filters.tag,
        kind=filters.kind,
        audience_=filters.audience,
    )
    seen = selectors.visible_cluster_ids(user)
    return [_item_out(i, seen, user) for i in items[:1000]]


class ItemIn(Schema):
    cluster: int
    title: str
    kind: choice_of(LibraryItem.Kind)
    subject: choice_of(Subject)
    key_stage: choice_of(KeyStage)
    audience: choice_of(Audience) = Audience.CLUSTER.value
    summary: str = ""
    url: str = ""
    body: str = ""
    tags: list[str] = []


@router.post("items/", response=writing(ItemOut, 201), summary="Share a link or a write-up")
def create_item(request, payload: ItemIn):
    """Links and write-ups; files are uploaded on the cluster's library page."""
    user = request.auth
    if payload.kind == LibraryItem.Kind.FILE:
        raise ServiceError(
            "Upload files on the library page; the API takes links and write-ups.", field="kind"
        )
    with transaction.atomic():
        cluster = access_cluster(user, payload.cluster, perm="sharing.add_item")
        item = services.item_create(
            actor=user,
            cluster=cluster,
            **payload.dict(exclude={"cluster", "tags"}),
            tags=", ".join(payload.tags),
        )
    return Status(201, _item_out(item, selectors.visible_cluster_ids(user), user))


@router.get("items/{int:item_id}", response=reading(ItemOut), summary="Get a library item")
def get_item(request, item_id: int):
    item = access_item(request.auth, item_id)
    return _item_out(item, selectors.visible_cluster_ids(request.auth), request.auth)


class PostOut(Schema):
    id: int
    author: str
    body: str
    withdrawn: bool
    created_at: dt.datetime
    items: list[Ref]


class ThreadOut(Schema):
    id: int
    title: str
    cluster: Ref | None
    programme: Ref
    pinned: bool
    closed: bool
    last_post_at: dt.datetime
    replies: int


def _thread_out(thread) -> dict:
    return {
        "id": thread.pk,
        "title": thread.title,
        "cluster": {"id": thread.cluster_id, "name": thread.cluster.name}
        if thread.cluster_id
        else None,
        "programme": {"id": thread.programme_id, "name": thread.programme.name},
        "pinned": thread.is_pinned,
        "closed": thread.is_archived,
        "last_post_at": thread.last_post_at,
        "replies": max(getattr(thread, "reply_count", 1) - 1, 0),
    }


def _post_out(post, seen_items: set[int]) -> dict:
    return {
        "id": post.pk,
        "author": post.author.full_name if post.author else "Former member",
        "body": "" if post.is_withdrawn else post.body,
        "withdrawn": post.is_withdrawn,
        "created_at": post.created_at,
        "items": [{"id": i.pk, "name": i.title} for i in post.items.all() if i.pk in seen_items],
    }


class ThreadFilter(Schema):
    cluster: int | None = None
    programme: int | None = None
    closed: bool = False


@router.get("threads/", response=listing(ThreadOut), summary="List discussion threads")
@paginate(Pagination)
def list_threads(request, filters: Query[ThreadFilter]):
    """Threads of the clusters you see, and of the programmes whose coordinators' threads you
    read; pinned announcements first."""
    user = request.auth
    cluster = access_cluster(user, filters.cluster) if filters.cluster else None
    programme = access_programme_threads(user, filters.programme) if filters.programme else None
    threads = selectors.thread_list(
        user, cluster=cluster, programme=programme, archived=filters.closed
    )
    return [_thread_out(t) for t in threads]


class ThreadIn(Schema):
    title: str
    body: str
    cluster: int | None = None
    programme: int | None = None
    items: list[int] = []
    pin: bool = False


def _items(user, ids):
    found = list(selectors.items_visible_to(user).filter(pk__in=ids))
    missing = set(ids) - {i.pk for i in found}
    if missing:
        raise ServiceError(f"No library items {sorted(missing)} that you can see.", field="items")
    return found


@router.post("threads/", response=writing(ThreadOut, 201), summary="Start a thread")
def create_thread(request, payload: ThreadIn):
    """In a cluster (``cluster``) or among a programme's coordinators (``programme``)."""
    user = request.auth
    if (payload.cluster is None) == (payload.programme is None):
        raise ServiceError("Give a cluster or a programme (one of them).", field="cluster")
    with transaction.atomic():
        if payload.cluster is not None:
            where = {"cluster": access_cluster(user, payload.cluster, perm="sharing.start_thread")}
        else:
            programme: Programme = access_programme_threads(
                user, payload.programme, perm="sharing.start_thread"
            )
            where = {"programme": programme}
        thread = services.thread_start(
            actor=user,
            title=payload.title,
            body=payload.body,
            items=_items(user, payload.items),
            pin=payload.pin,
            **where,
        )
    thread.reply_count = 1
    return Status(201, _thread_out(thread))


@router.get(
    "threads/{int:thread_id}/posts", response=reading(list[PostOut]), summary="A thread's posts"
)
def list_posts(request, thread_id: int):
    """Oldest first; a withdrawn post keeps its place, without its text."""
    user = request.auth
    thread = access_thread(user, thread_id)
    posts = selectors.thread_posts(thread)
    seen = set(
        selectors.items_visible_to(user).filter(posts__thread=thread).values_list("pk", flat=True)
    )
    return [_post_out(p, seen) for p in posts]


class ReplyIn(Schema):
    body: str
    items: list[int] = []


@router.post("threads/{int:thread_id}/posts", response=writing(PostOut, 201), summary="Reply")
def create_post(request, thread_id: int, payload: ReplyIn):
    user = request.auth
    with transaction.atomic():
        thread = access_thread(user, thread_id, perm="sharing.reply_thread", lock=True)
        post = services.post_reply(
            actor=user, thread=thread, body=payload.body, items=_items(user, payload.items)
        )
    return Status(201, _post_out(post, {i.pk for i in post.items.all()}))


class CoachingMemberOut(Schema):
    name: str
    school: str
    part: str


class SessionOut(Schema):
    on: dt.date
    note: str | None
    follow_up: str | None


class CoachingOut(Schema):
    id: int
    cluster: Ref
    focus: str
    start: dt.date
    end: dt.date | None
    members: list[CoachingMemberOut]
    sessions: list[SessionOut]


@router.get("coaching/", response=listing(CoachingOut), summary="Peer coaching you may see")
@paginate(Pagination)
def list_coaching(request, cluster: int | None = None):
    """Coaching you take part in, arrange, or (as a head) of your school's staff. Session
    dates are shown to all of them; notes and follow-ups only to the coach and coachees."""
    user = request.auth
    coachings = selectors.coachings_visible_to(user)
    if cluster is not None:
        coachings = coachings.filter(cluster=access_cluster(user, cluster))
    out = []
    for c in coachings.prefetch_related("sessions"):
        mine = selectors.can_read_notes(user, c)
        out.append(
            {
                "id": c.pk,
                "cluster": {"id": c.cluster_id, "name": c.cluster.name},
                "focus": c.focus,
                "start": c.start,
                "end": c.end,
                "members": [
                    {
                        "name": m.person.full_name if m.person else "Former member",
                        "school": m.school.name,
                        "part": m.part,
                    }
                    for m in c.members.all()
                ],
                "sessions": [
                    {
                        "on": s.on,
                        "note": s.note if mine else None,
                        "follow_up": s.follow_up if mine else None,
                    }
                    for s in c.sessions.all()
                ],
            }
        )
    return out


class ActivityOut(Schema):
    on: dt.date
    title: str
    project: str | None
    achievement: str | None


class PartnerOut(Schema):
    id: int
    name: str
    kind: choice_of(Partner.Kind)
    cluster: Ref | None
    programme: Ref
    website: str
    activities: list[ActivityOut]


@router.get("partners/", response=listing(PartnerOut), summary="Partners beyond the cluster")
@paginate(Pagination)
def list_partners(request, cluster: int | None = None):
    """The partner registers of the clusters and programmes you see, with what was done with
    each partner, and when."""
    user = request.auth
    partners = selectors.partners_visible_to(user).filter(archived_at__isnull=True)
    if cluster is not None:
        partners = partners.filter(cluster=access_cluster(user, cluster))
    seen = selectors.visible_cluster_ids(user)
    out = []
    for p in partners.prefetch_related("activities__project", "activities__achievement"):
        out.append(
            {
                "id": p.pk,
                "name": p.name,
                "kind": p.kind,
                "cluster": {"id": p.cluster_id, "name": p.cluster.name} if p.cluster_id else None,
                "programme": {"id": p.programme_id, "name": p.programme.name},
                "website": p.website,
                "activities": [
                    {
                        "on": a.on,
                        "title": a.title,
                        "project": a.project.title if a.project else None,
                        "achievement": a.achievement.title if a.achievement else None,
                    }
                    for a in p.activities.all()
                    if a.cluster_id is None or a.cluster_id in seen
                ],
            }
        )
    return out


# Mounted under /api/v1/ by clusterwork.api.main.
ROUTES = [("/sharing/", router)]
