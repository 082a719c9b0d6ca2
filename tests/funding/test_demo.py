"""The demo's money (loaded once for this module from the real GIAS file): this year's and
last year's budgets with claims in every state; one cluster underspending, one at risk of
going over, the allowance partly used; Bristol's lead school's business manager signs in."""

import pytest
from django.contrib.auth import authenticate
from django.db import transaction
from django.test import override_settings

from clusterwork.funding import demo as funding_demo
from clusterwork.funding.models import Budget, Claim, Stream, Variation
from clusterwork.funding.selectors import money_at_risk, with_lines

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The marker also makes pytest-django set up the test database for a run of this module alone
# (it sets up only the databases the collected tests ask for).
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from clusterwork.demo.loader import load_demo

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        lines = []
        load_demo(write=lines.append)
        yield "\n".join(lines)
        transaction.set_rollback(True)


@pytest.fixture
def rows(demo, django_db_blocker):
    from clusterwork.clusters.models import Programme
    from clusterwork.people.models import User

    with django_db_blocker.unblock():
        programme = Programme.objects.get(name__startswith="Primary Science")
        admin = User.objects.filter(is_superuser=True).first()
        rows = with_lines(money_at_risk(programme, admin))
        return {r.cluster.name.split(" Science")[0]: r for r in rows}


def test_the_demo_builds_two_years_of_budgets_with_claims_in_every_state(demo, django_db_blocker):
    with django_db_blocker.unblock():
        assert "Funding: 4 science clusters" in demo
        assert set(Claim.objects.values_list("status", flat=True)) == set(Claim.Status.values)
        for name in funding_demo.FUNDED:
            years = Budget.objects.filter(cluster__name__startswith=name).order_by("start")
            assert years.count() == 2
            assert years[0].is_closed and not years[1].is_closed
        assert Variation.objects.filter(kind="carry_over").exists()


def test_one_cluster_underspends_one_is_at_risk_of_going_over(rows):
    assert rows["Leeds"].forecast.status == "underspend"
    assert rows["South Gloucestershire"].forecast.status == "over"
    assert [line.name for line in rows["South Gloucestershire"].forecast.over_lines] == ["Part A"]
    assert rows["Bristol"].forecast.status == "on_track"


def test_bristols_allowance_is_partly_used(rows):
    line = next(line for line in rows["Bristol"].lines if line.stream.kind == Stream.Kind.ALLOWANCE)
    assert 0 < line.paid_pence + line.committed_pence < line.allocated_pence


def test_bristols_business_manager_signs_in_with_the_demo_password(demo, django_db_blocker):
    from clusterwork.demo.loader import DEMO_PASSWORD

    assert funding_demo.DEMO_PASSWORD == DEMO_PASSWORD
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        user = authenticate(username=funding_demo.BUSINESS_MANAGER_EMAIL, password=DEMO_PASSWORD)
        assert user is not None
        waiting = Claim.objects.filter(
            budget__lead_school=user.person.school, status=Claim.Status.SUBMITTED
        )
        assert waiting.exists()
        assert all(user.has_perm("funding.approve_claim", claim) for claim in waiting)
