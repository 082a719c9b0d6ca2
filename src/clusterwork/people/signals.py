"""Sign-ins, failed sign-ins and sign-outs, recorded for the audit page (whatever the
method: password, Microsoft, Google)."""

from __future__ import annotations

from django.contrib.auth import signals
from django.dispatch import receiver

from .models import SignInEvent, User


def _client(request) -> dict:
    if request is None:
        return {}
    return {
        "ip_address": request.META.get("REMOTE_ADDR") or None,
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
    }


def _method(request, user=None) -> str:
    backend = getattr(user, "backend", "") or ""
    if "allauth" in backend and request is not None:
        provider = getattr(request, "_clusterwork_sign_in_provider", "")
        return provider or "single sign-on"
    return "password"


@receiver(signals.user_logged_in, dispatch_uid="clusterwork_signed_in")
def signed_in(sender, request, user, **kwargs):
    SignInEvent.objects.create(
        kind=SignInEvent.Kind.SIGNED_IN,
        user=user,
        email=user.email,
        method=_method(request, user),
        **_client(request),
    )


@receiver(signals.user_logged_out, dispatch_uid="clusterwork_signed_out")
def signed_out(sender, request, user, **kwargs):
    if user is not None and user.is_authenticated:
        SignInEvent.objects.create(
            kind=SignInEvent.Kind.SIGNED_OUT, user=user, email=user.email, **_client(request)
        )


@receiver(signals.user_login_failed, dispatch_uid="clusterwork_sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    typed = str(credentials.get("email") or credentials.get("username") or "")[:254]
    user = User.objects.filter(email__iexact=typed).first() if typed else None
    SignInEvent.objects.create(
        kind=SignInEvent.Kind.FAILED, user=user, email=typed, method="password", **_client(request)
    )
