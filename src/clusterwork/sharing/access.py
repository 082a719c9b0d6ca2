from clusterwork.clusters.selectors import programmes_visible_to
from clusterwork.core.access import access_object

from . import audience
from .models import Post
from .selectors import (
    coachings_visible_to,
    items_visible_to,
    partners_visible_to,
    threads_visible_to,
)


def access_item(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, items_visible_to(user), pk, perm=perm, lock=lock)


def access_thread(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, threads_visible_to(user), pk, perm=perm, lock=lock)


def access_post(user, pk, *, perm: str | None = None, lock: bool = False):
    visible = Post.objects.filter(thread__in=threads_visible_to(user)).select_related(
        "thread__cluster__programme", "thread__programme"
    )
    return access_object(user, visible, pk, perm=perm, lock=lock)


def access_coaching(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, coachings_visible_to(user), pk, perm=perm, lock=lock)


def access_partner(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, partners_visible_to(user), pk, perm=perm, lock=lock)


def access_programme_threads(user, pk, *, perm: str | None = None, lock: bool = False):
    """A programme, for its coordinators' threads: 404 for those who do not read them."""
    visible = programmes_visible_to(user).filter(audience.programme_thread_filter(user))
    return access_object(user, visible, pk, perm=perm, lock=lock)
