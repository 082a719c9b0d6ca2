"""Sign-in as a school's staff do it: with their Microsoft or Google account through a real
OpenID Connect provider running on 127.0.0.1 (oidc-provider-mock: discovery, signed ID
tokens, JWKS, PKCE, userinfo — no network needed), matched to the existing account by its
verified email; two-factor authentication (TOTP and recovery codes) through allauth's own
flows, required of admins; lockout after repeated failures; password reset by email."""

import re
from urllib.parse import urlsplit

import pytest
import requests
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.urls import reverse
from oidc_provider_mock import User as ProviderUser
from oidc_provider_mock import run_server_in_thread

from clusterwork.people.models import SignInEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
PROVIDER_PORT = 8719  # this suite's port for extra servers


@pytest.fixture(scope="module")
def provider():
    """A real OpenID Connect provider with three people: a coordinator whose school verified
    their email, someone Clusterwork has no account for, and an unverified email."""
    people = [
        ProviderUser(
            sub="ms-coordinator",
            claims={"email": "Coordinator@Example.org", "email_verified": True, "name": "C"},
        ),
        ProviderUser(
            sub="ms-stranger", claims={"email": "stranger@example.org", "email_verified": True}
        ),
        ProviderUser(
            sub="ms-unverified", claims={"email": "head@example.org", "email_verified": False}
        ),
    ]
    with run_server_in_thread(port=PROVIDER_PORT, user_claims=people):
        yield f"http://127.0.0.1:{PROVIDER_PORT}"


@pytest.fixture
def sso(settings, provider):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "microsoft",
                    "name": "Microsoft",
                    "client_id": "clusterwork-test",
                    "secret": "test-secret",
                    "settings": {"server_url": provider, "oauth_pkce_enabled": True},
                }
            ]
        }
    }
    return provider


def sign_in_with_provider(client, sub: str, next_url: str = ""):
    """Press "Sign in with Microsoft", sign in at the provider as ``sub``, come back."""
    start = client.post(reverse("openid_connect_login", args=["microsoft"]), {"next": next_url})
    assert start.status_code == 302, start.content[:500]
    authorize = start["Location"]
    assert authorize.startswith("http://127.0.0.1:8719/oauth2/authorize?")
    assert "code_challenge=" in authorize  # PKCE
    at_provider = requests.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text[:500]
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == reverse("openid_connect_callback", args=["microsoft"])
    return client.get(f"{back.path}?{back.query}")


def test_the_sign_in_page_offers_the_configured_providers(client, sso):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with Microsoft" in page
    assert 'action="/accounts/oidc/microsoft/login/' in page


def test_a_verified_school_account_signs_in_the_existing_user(client, world, sso):
    response = sign_in_with_provider(client, "ms-coordinator")

    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(world.users.coordinator.pk)
    home = client.get(reverse("home")).content.decode()
    assert "Coordinator" in home
    event = SignInEvent.objects.get(kind="signed_in")
    assert (event.user, event.method) == (world.users.coordinator, "microsoft")
    # The school account is now connected: the next sign-in finds it by its subject.
    client.post(reverse("logout"))
    sign_in_with_provider(client, "ms-coordinator")
    assert client.session["_auth_user_id"] == str(world.users.coordinator.pk)


def test_nobody_is_signed_up_and_an_unverified_email_matches_nobody(client, world, sso):
    for sub in ("ms-stranger", "ms-unverified"):
        response = sign_in_with_provider(client, sub)
        assert "_auth_user_id" not in client.session, sub
        text = response.content.decode()
        assert response.status_code == 200 and "Sign Up Closed" in text, sub
    assert not type(world.users.coordinator).objects.filter(email="stranger@example.org")


def _totp_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def _password_sign_in(client, email, password=PASSWORD):
    return client.post(reverse("login"), {"login": email, "password": password})


def test_admins_must_set_up_two_factor_then_sign_in_with_a_code(client, world, settings):
    settings.MFA_REQUIRED_FOR_ADMINS = True
    admin = world.users.programme_admin
    assert _password_sign_in(client, admin.email).status_code == 302

    # Every page sends them to set up an authenticator app.
    refused = client.get(reverse("cluster_list"))
    assert refused.status_code == 302 and refused["Location"] == reverse("mfa_activate_totp")
    # Setting it up asks for the password again (allauth's reauthentication), then shows it.
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked.status_code == 302 and asked["Location"].startswith(
        reverse("account_reauthenticate")
    )
    client.post(asked["Location"], {"password": PASSWORD})
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200 and "Authenticator" in setup.content.decode()
    secret = client.session[SECRET_SESSION_KEY]
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200 and "Incorrect code" in wrong.content.decode()
    code = _totp_code(secret)
    activated = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=admin, type="totp").exists()
    assert client.get(reverse("cluster_list")).status_code == 200
    codes_page = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    recovery = re.findall(r"\b[0-9a-f]{8}\b", codes_page)
    assert len(recovery) >= 10

    # Signing in now asks for a code after the password.
    client.post(reverse("logout"))
    step = _password_sign_in(client, admin.email)
    assert step.status_code == 302 and step["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    bad = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert "_auth_user_id" not in client.session and bad.status_code == 200
    done = client.post(reverse("mfa_authenticate"), {"code": code})  # not used at sign-in yet
    assert done.status_code == 302 and client.session["_auth_user_id"] == str(admin.pk)

    # The same code does not work twice; a recovery code does, once.
    client.post(reverse("logout"))
    _password_sign_in(client, admin.email)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": recovery[0]})
    assert client.session["_auth_user_id"] == str(admin.pk)


def test_people_without_an_admin_role_are_not_made_to_set_up_two_factor(client, world, settings):
    settings.MFA_REQUIRED_FOR_ADMINS = True
    _password_sign_in(client, world.users.coordinator.email)
    assert client.get(reverse("cluster_list")).status_code == 200
    settings.MFA_REQUIRED_FOR_ADMINS = False
    other = client.__class__()
    _password_sign_in(other, world.users.superuser.email)
    assert other.get(reverse("cluster_list")).status_code == 200


def test_repeated_failures_lock_the_account_out_with_a_clear_message(client, world):
    email = world.users.viewer.email
    for _ in range(5):
        page = _password_sign_in(client, email, "wrong").content.decode()
        assert "not correct" in page
    locked = _password_sign_in(client, email, PASSWORD).content.decode()
    assert "Too many failed login attempts" in locked
    assert "_auth_user_id" not in client.session
    failures = SignInEvent.objects.filter(kind="failed", email=email).count()
    assert failures == 5
    # Another account is not locked.
    assert _password_sign_in(client, world.users.head.email).status_code == 302


def test_password_reset_by_email(client, world):
    email = world.users.head.email
    sent = client.post(reverse("account_reset_password"), {"email": email})
    assert sent.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    form = client.get(link.group(1), follow=True)
    new_password = "a-new-long-passphrase-42"
    changed = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link.group(1),
        {"password1": new_password, "password2": new_password},
    )
    assert changed.status_code == 302
    assert _password_sign_in(client, email, new_password).status_code == 302
    assert client.session["_auth_user_id"] == str(world.users.head.pk)
