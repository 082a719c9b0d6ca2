"""How API callers prove who they are: a personal token, or the browser's signed-in session."""

import datetime as dt

from django.utils import timezone
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from clusterwork.people.models import ApiToken

# Writing last_used_at on every call would turn each read into a write; once a minute is
# precise enough for "is this token still in use?".
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <key>`` checked against the stored hash of a live token."""

    def authenticate(self, request, token):
        if not token:
            return None
        found = (
            ApiToken.objects.select_related("user")
            .filter(
                key_hash=ApiToken.hash_key(token),
                revoked_at__isnull=True,
                user__is_active=True,
            )
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
            # update() rather than save(): no history row and no updated_at churn per call.
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        # simple_history's middleware reads request.user when a service saves, so changes
        # made with a token are attributed to the token's owner.
        request.user = found.user
        return found.user


class SessionAuth(NinjaSessionAuth):
    """Django's session, with ninja's CSRF check on unsafe methods.

    The CSRF check only runs when the session actually signs someone in: a caller with no
    session gets 401 (not "CSRF failed"), which is the answer that tells them what to fix.
    """

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)
