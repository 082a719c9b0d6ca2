"""One answer to a refused form everywhere: 200, the page (or its htmx fragment) again with
the errors shown next to the fields — never 400, which htmx would not even swap in.

Every POST page of the permission matrix gets an empty submission from a persona who may
write; what it may not do is answer 400 or lose the error. Pages an empty submission is valid
for (an action with no input, an empty register) answer their usual redirect instead.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from .matrix import ALL_ROUTES, OK, PERSONAS

# An empty what-if submission is a preview of no change, not a refused form.
NOT_FORMS = {"logout", "login", "formation:whatif"}
POSTS = [
    r for r in ALL_ROUTES if r.method == "post" and r.name not in NOT_FORMS and r.ok in (200, 302)
]
ERROR_MARKS = ('class="error"', 'class="error-summary"')


def _writer(route, world):
    persona = next(p for p in PERSONAS if route.expect[p] == OK)
    return getattr(world.users, persona)


@pytest.mark.parametrize("route", POSTS, ids=lambda r: r.id)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_an_empty_submission_is_refused_with_200_and_its_errors(route, htmx, world, client):
    if route.setup:
        route.setup(world)
    client.force_login(_writer(route, world))
    headers = {"HX-Request": "true"} if htmx else {}
    with transaction.atomic():
        response = client.post(reverse(route.name, kwargs=route.kwargs(world)), {}, headers=headers)
        transaction.set_rollback(True)
    assert response.status_code in (200, 302), response.status_code
    # (an htmx fragment answers 200 on success too; the page says which it was)
    if response.status_code == 200 and not htmx:
        text = response.content.decode()
        assert any(mark in text for mark in ERROR_MARKS), "a refused form must say why"


def test_invalid_data_is_refused_the_same_way(world, login):
    client = login(world.users.coordinator)
    for url, data in (
        (reverse("member_add", args=[world.alpha.pk]), {"school": "not-a-urn"}),
        (reverse("cluster_edit", args=[world.alpha.pk]), {"name": "", "kind": "nonsense"}),
        (reverse("goal_new", args=[world.alpha.pk]), {"title": "", "horizon": "never"}),
    ):
        response = client.post(url, data)
        assert response.status_code == 200, url
        assert 'class="error"' in response.content.decode(), url
