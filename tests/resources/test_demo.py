"""The demo (issue 11): the sport network has seed 000's two example packages, part
delivered; two science clusters share themed boxes, with a loan overdue. One demo load for
the module (the fixture of tests/demo)."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from clusterwork.clusters.models import Cluster
from clusterwork.packages import selectors as package_selectors
from clusterwork.packages.models import Package
from clusterwork.resources import selectors as resource_selectors
from clusterwork.resources.models import Loan, Resource
from tests.demo.test_load_demo import demo, user  # noqa: F401  (the module's demo)


def test_the_sport_network_has_seed_000s_two_packages_part_delivered(demo):  # noqa: F811
    today = dt.date.today()
    current = Package.objects.current().filter(programme__name__startswith="School Sport")
    assert current.count() == 2
    by_kind = {p.cluster.kind: package_selectors.package_summary(p) for p in current}
    one, two = by_kind["school_sport_partnership"], by_kind["teaching_school_alliance"]
    assert {line.item.kind: line.agreed for line in one.lines}["cpd_day"] == 2
    kinds = {line.item.kind: line for line in two.lines}
    assert set(kinds) == {"membership", "strategic_support", "ect_cpd", "monitoring"}
    assert kinds["strategic_support"].agreed == 10 and two.version.number == 2
    for summary in (one, two):
        assert 0 < summary.days_delivered < summary.days_agreed
        membership = next(line for line in summary.lines if line.item.kind == "membership")
        assert membership.delivered == membership.agreed  # every school a member
    ended = Package.objects.filter(end__lte=today, programme__name__startswith="School Sport")
    assert package_selectors.package_summary(ended.get()).status == "overdue"
    client = Client()
    client.force_login(user("sport_dm"))
    caseload = client.get(reverse("packages:caseload")).content.decode()
    assert "overdue" in caseload and "Sheffield Teaching School Alliance" in caseload


def test_two_science_clusters_share_themed_boxes_with_a_loan_overdue(demo):  # noqa: F811
    boxes = Resource.objects.filter(kind="themed_box")
    assert boxes.count() == 2
    for box in boxes:
        assert set(box.clusters.values_list("name", flat=True)) == {
            "Bristol Science Cluster",
            "South Gloucestershire Science Cluster",
        }
    overdue = resource_selectors.overdue_loans(Loan.objects.all())
    assert overdue.count() == 1
    bristol = Cluster.objects.get(name="Bristol Science Cluster")
    client = Client()
    client.force_login(user("science_coordinator"))
    page = client.get(reverse("resources:cluster_resources", args=[bristol.pk])).content.decode()
    assert "Space themed box" in page and "Electricity themed box" in page
    # The overdue loan is South Gloucestershire's: Bristol's coordinator sees it is out, not who
    # has it.
    assert overdue.get().cluster.name == "South Gloucestershire Science Cluster"
    assert overdue.get().school.name not in page
