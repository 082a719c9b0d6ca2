from django.http import Http404

from clusterwork.core.access import access_object

from .models import School
from .selectors import schools_visible_to, trusts_visible_to


def access_school(user, pk, *, for_write: bool = False):
    return access_object(
        user, schools_visible_to(user), pk, change_perm="schools.change_school", for_write=for_write
    )


def access_school_by_urn(user, urn, *, for_write: bool = False):
    try:
        school = schools_visible_to(user).get(urn=int(urn))
    except (School.DoesNotExist, ValueError, TypeError):
        raise Http404("No such school.") from None
    return access_school(user, school.pk, for_write=for_write)


def access_trust(user, pk, *, for_write: bool = False):
    return access_object(
        user, trusts_visible_to(user), pk, change_perm="schools.change_trust", for_write=for_write
    )
