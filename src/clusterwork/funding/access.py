"""Fetch-and-authorise for budgets, claims and lead schools (404 unseen, 403 without perm)."""

from clusterwork.clusters.selectors import programmes_visible_to
from clusterwork.core.access import access_object

from .selectors import budgets_visible_to, claims_visible_to, lead_schools_visible_to


def access_budget(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, budgets_visible_to(user), pk, perm=perm, lock=lock)


def access_claim(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, claims_visible_to(user), pk, perm=perm, lock=lock)


def access_lead_school(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, lead_schools_visible_to(user), pk, perm=perm, lock=lock)


def access_funded_programme(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, programmes_visible_to(user), pk, perm=perm, lock=lock)
