"""The demo's sharing: checked on the real demo (loaded from the GIAS England file)."""

import pytest
from django.db.models import F
from django.test import Client

from clusterwork.demo.personas import LOGIN_EMAILS
from clusterwork.people.models import User
from clusterwork.sharing import selectors
from clusterwork.sharing.models import Coaching, ItemUse, LibraryItem, Partner, Thread
from tests.demo.test_load_demo import demo  # noqa: F401  (the module's one demo load)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_shares_reuses_discusses_coaches_and_reaches_out(demo):  # noqa: F811
    assert "Sharing:" in demo.output
    science = LibraryItem.objects.filter(programme__name__icontains="science")
    assert science.values("cluster").distinct().count() >= 2
    shared = science.filter(audience="programme")
    assert shared.count() == 1
    # Reused across schools: uses by schools other than the one that shared it.
    reused = ItemUse.objects.exclude(school=F("item__school"))
    assert reused.count() >= 3
    # One file has a second version; every file opens as a PDF.
    assert science.filter(versions__number=2).exists()
    thread = Thread.objects.filter(title__startswith="Borrowing data loggers").first()
    assert thread.posts.count() == 3 and thread.posts.filter(items__isnull=False).exists()
    coaching = Coaching.objects.get(cluster__name="Epsom")
    schools = set(coaching.members.values_list("school_id", flat=True))
    assert coaching.members.count() == 3 and len(schools) == 2
    assert coaching.sessions.count() == 2
    kinds = set(Partner.objects.values_list("kind", flat=True))
    assert {"university", "stem"} <= kinds
    assert Partner.objects.filter(activities__project__isnull=False).exists()
    # The demo's science leader finds the programme-wide item by its tag.
    leader = User.objects.get(email=LOGIN_EMAILS["science_leader"])
    assert shared.first().title in {i.title for i in selectors.items_visible_to(leader)}
    client = Client()
    client.force_login(leader)
    page = client.get("/sharing/library/", {"tag": "Chain Reaction"})
    assert shared.first().title in page.content.decode()
