"""Two-factor authentication required, by a setting, for superusers and trust/programme
admins (``MFA_REQUIRED_FOR_ADMINS``): until they have set up an authenticator app, every
page sends them to set it up (signing out, the set-up pages and static files still work)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from .models import Role, RoleAssignment

ADMIN_ROLES = (Role.PROGRAMME_ADMIN, Role.TRUST_ADMIN)
ALLOWED_PREFIXES = ("/accounts/", "/logout/", "/static/", "/api/")
SATISFIED = "clusterwork_two_factor_checked"


def two_factor_required(user) -> bool:
    if not getattr(settings, "MFA_REQUIRED_FOR_ADMINS", False) or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    from django.utils import timezone

    from clusterwork.core.dated import in_force

    return RoleAssignment.objects.filter(
        in_force(timezone.localdate()), person__user=user, role__in=ADMIN_ROLES
    ).exists()


def has_two_factor(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not request.session.get(SATISFIED)
        ):
            if two_factor_required(user) and not has_two_factor(user):
                messages.warning(
                    request,
                    "Your role needs two-factor authentication: set up an authenticator app "
                    "to continue.",
                )
                return redirect(reverse("mfa_activate_totp"))
            # Asked once a session (signing in starts a new one), not on every page.
            request.session[SATISFIED] = True
        return self.get_response(request)
