"""Token and session authentication, CSRF, and the login-redirect exemption."""

import datetime as dt

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.utils import timezone

from clusterwork.people.models import ApiToken
from clusterwork.people.services import token_create, token_revoke

from .conftest import call

pytestmark = pytest.mark.django_db


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_valid_token_authenticates_as_its_owner(world):
    token, key = token_create(user=world.users.coordinator, name="sync script")
    response = Client().get("/api/v1/me", **bearer(key))
    assert response.status_code == 200
    assert response.json()["email"] == "coordinator@example.org"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_sees_what_its_owner_sees(world):
    _, key = token_create(user=world.users.outsider, name="t")
    assert Client().get(f"/api/v1/clusters/{world.alpha.pk}", **bearer(key)).status_code == 404
    assert Client().get(f"/api/v1/clusters/{world.gamma.pk}", **bearer(key)).status_code == 200


def test_revoked_token_is_refused(world):
    token, key = token_create(user=world.users.coordinator, name="old")
    token_revoke(user=world.users.coordinator, token=token)
    response = Client().get("/api/v1/me", **bearer(key))
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


@pytest.mark.parametrize(
    "header",
    ["Bearer cw_not-a-real-key", "Bearer ", "Token {key}", "{key}"],
    ids=["wrong key", "empty", "wrong scheme", "no scheme"],
)
def test_wrong_tokens_are_refused(world, header):
    _, key = token_create(user=world.users.coordinator, name="t")
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=header.format(key=key))
    assert response.status_code == 401


def test_token_of_deactivated_user_is_refused(world):
    user = world.users.coordinator
    _, key = token_create(user=user, name="t")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert Client().get("/api/v1/me", **bearer(key)).status_code == 401


def test_last_used_is_written_at_most_once_a_minute(world):
    token, key = token_create(user=world.users.coordinator, name="t")
    recent = timezone.now() - dt.timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    Client().get("/api/v1/me", **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at == recent

    stale = timezone.now() - dt.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    Client().get("/api/v1/me", **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at > stale


def test_token_writes_need_no_csrf_and_are_attributed(world):
    _, key = token_create(user=world.users.coordinator, name="t")
    client = Client(enforce_csrf_checks=True)
    response = call(
        client, "PATCH", f"/api/v1/clusters/{world.alpha.pk}", {"region": "Kent"}, **bearer(key)
    )
    assert response.status_code == 200, response.content
    assert response.json()["region"] == "Kent"
    assert world.alpha.history.latest().history_user == world.users.coordinator


def test_session_writes_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users.coordinator)
    url = f"/api/v1/clusters/{world.alpha.pk}"
    refused = call(client, "PATCH", url, {"region": "Kent"})
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]

    csrf = _get_new_csrf_string()
    client.cookies["csrftoken"] = csrf
    accepted = call(client, "PATCH", url, {"region": "Kent"}, HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 200, accepted.content


def test_session_reads_need_no_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users.viewer)
    assert client.get("/api/v1/clusters/").status_code == 200


def test_anonymous_gets_401_json_not_a_login_redirect(db):
    client = Client(enforce_csrf_checks=True)
    for method, url in (("GET", "/api/v1/clusters/"), ("POST", "/api/v1/memberships/move")):
        response = call(client, method, url, {"school_urn": 1, "to_cluster": 1})
        assert response.status_code == 401, (method, url)
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"detail": "Unauthorized"}


def test_schema_and_docs_are_public_and_served_without_a_cdn(db):
    client = Client()
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Clusterwork API"
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def test_swagger_files_are_found_locally():
    from django.contrib.staticfiles import finders

    for name in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "ninja/swagger-ui-init.js"):
        assert finders.find(name), name
