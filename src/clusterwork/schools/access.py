from django.http import Http404

from clusterwork.core.access import access_object

from .models import School
from .selectors import schools_visible_to, trusts_visible_to


def access_school(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, schools_visible_to(user), pk, perm=perm, lock=lock)


def access_school_by_urn(user, urn, *, perm: str | None = None, lock: bool = False):
    try:
        school = schools_visible_to(user).get(urn=int(urn))
    except (School.DoesNotExist, ValueError, TypeError):
        raise Http404("No such school.") from None
    return access_school(user, school.pk, perm=perm, lock=lock)


def access_trust(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, trusts_visible_to(user), pk, perm=perm, lock=lock)
