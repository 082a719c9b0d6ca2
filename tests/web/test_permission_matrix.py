"""Every page × every persona: 200/302 where the rules allow, 403 for read-only users asking
to write, 404 where the object must not even be known to exist, and sign-in for anonymous.
The rows live in ``tests/web/matrix.py``.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from .matrix import ALL_ROUTES, OK, PERSONAS

ROUTES = ALL_ROUTES


def _request(client, route, world):
    url = reverse(route.name, kwargs=route.kwargs(world))
    data = route.data(world)
    return getattr(client, route.method)(url, data)


def _expected(route, persona):
    value = route.expect[persona]
    return route.ok if value == OK else value


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_permission_matrix(route, world, client):
    if route.setup:
        route.setup(world)
    expected, actual = {}, {}
    for persona in PERSONAS:
        client.force_login(getattr(world.users, persona))
        # Each persona sees the same starting state: writes roll back to a savepoint.
        with transaction.atomic():
            response = _request(client, route, world)
            transaction.set_rollback(True)
        expected[persona] = _expected(route, persona)
        actual[persona] = response.status_code
    client.logout()
    response = _request(client, route, world)
    if route.name == "login":
        expected["anonymous"], actual["anonymous"] = 200, response.status_code
    elif "anonymous" in route.expect:
        # Pages signed in by other means (a secret key in a calendar feed's URL) say so.
        expected["anonymous"], actual["anonymous"] = route.expect["anonymous"], response.status_code
    else:
        login_url = reverse("login")
        expected["anonymous"] = f"302 → {login_url}"
        actual["anonymous"] = f"{response.status_code} → {response.get('Location', '')[:7]}"
    assert actual == expected


def _names(patterns, prefix="", namespace=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        # admin/: Django's; api/: the API matrix; accounts/: django-allauth's sign-in pages
        # (password reset, two-factor, single sign-on), tested in tests/people/test_sign_in.py.
        if route.startswith(("admin/", "api/", "accounts/")):
            continue
        if isinstance(pattern, URLResolver):
            # Namespaced apps are reversed as "ns:name", so their rows are named that way.
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield namespace + pattern.name if pattern.name else route


def test_every_url_is_in_the_matrix():
    missing = set(_names(get_resolver().url_patterns)) - {r.name for r in ROUTES}
    assert not missing, (
        "These URL names have no row in the permission matrix; add a Route to "
        f"tests/web/matrix.py or tests/<app>/matrix_routes.py: {sorted(missing)}"
    )


def test_write_views_refuse_get(world, login):
    client = login(world.users.programme_admin)
    for route in ROUTES:
        if route.method == "post" and route.name not in {
            "cluster_create",
            "cluster_edit",
            "token_list",
            "person_personal_data",
            "logout",
            "formation:run_new",
            "formation:whatif",
            "meetings:event_create",
            "meetings:programme_event_create",
            "meetings:event_record",
            "meetings:programme_event_record",
            "meetings:engagement_email",
            "meetings:engagement_policy",
            "funding:model_install",
            "sharedservices:service_new",
            "sharedservices:service_agree",
            "sharedservices:service_terms",
            "sharedservices:cluster_deployments",
            "governance:cluster_board",
            "reports:digest_settings",
        }:
            if route.setup:
                continue
            response = client.get(reverse(route.name, kwargs=route.kwargs(world)))
            assert response.status_code == 405, route.id


def test_dates_are_aware_of_today():
    # Guards the matrix's assumption that the world's START lies in the past.
    assert dt.date(2024, 9, 1) < timezone.localdate()
