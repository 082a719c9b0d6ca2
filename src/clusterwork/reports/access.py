"""Access to the dashboards: 404 for anyone who may not see what a dashboard is about."""

from django.http import Http404

from clusterwork.clusters.access import access_cluster, access_programme
from clusterwork.core.access import access_object

from . import selectors


def access_trust_dashboard(user, pk, *, perm=None, lock=False):
    return access_object(user, selectors.trusts_visible_to(user), pk, perm=perm, lock=lock)


def access_programme_dashboard(user, pk, *, perm=None, lock=False):
    return access_programme(user, pk, perm=perm, lock=lock)


def access_cluster_dashboard(user, pk, *, perm=None, lock=False):
    return access_cluster(user, pk, perm=perm, lock=lock)


def access_school_dashboard(user, urn, *, perm=None, lock=False):
    """A school's dashboard: for those who see a cluster it is (or was) a member of."""
    school = selectors.school_by_urn(urn)
    if school is None or not user.has_perm("reports.view_school_dashboard", school):
        raise Http404("No such school.")
    return school
