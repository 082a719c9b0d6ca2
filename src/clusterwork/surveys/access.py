from django.core.exceptions import PermissionDenied
from django.http import Http404

from clusterwork.core.access import REFUSED, access_object

from .models import Response
from .selectors import (
    questionnaires_visible_to,
    responses_of,
    rounds_visible_to,
    sendable_clusters,
)


def access_questionnaire(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, questionnaires_visible_to(user), pk, perm=perm, lock=lock)


def access_questionnaire_to_send(user, pk, *, lock: bool = False):
    """A questionnaire to send a round of: 404 if the user may not see it, 403 if there is no
    cluster they may send it to (a programme manager: every cluster; a coordinator: their own)."""
    questionnaire = access_questionnaire(user, pk, lock=lock)
    if not sendable_clusters(user, questionnaire).exists():
        raise PermissionDenied(REFUSED)
    return questionnaire


def access_round(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, rounds_visible_to(user), pk, perm=perm, lock=lock)


def access_response(user, pk, *, perm: str | None = None, lock: bool = False):
    """A response is the respondent's own: nobody else sees a single school's answers here."""
    try:
        return responses_of(user).get(pk=int(pk))
    except (Response.DoesNotExist, ValueError, TypeError):
        raise Http404("No such questionnaire.") from None
