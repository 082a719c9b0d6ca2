"""Dashboards, exports and maps per persona: what each shows, and that nothing outside the
persona's scope is counted or named."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from clusterwork.core import measures
from clusterwork.reports import summaries
from clusterwork.reports.figures import cluster_figures
from clusterwork.reports.models import ClusterEngagement, SchoolTermAttendance


def _csv(response):
    assert response.status_code == 200, response.status_code
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_attendance_summary_is_kept_on_write_and_matches_a_rebuild(trust_world):
    w = trust_world
    alpha = {
        (r.school_id): (r.recorded, r.present)
        for r in SchoolTermAttendance.objects.filter(cluster=w.alpha)
    }
    first, second, third = sorted(w.schools[0:3], key=lambda s: s.name)
    # Two meetings: the first school came to both, the others to the first only.
    assert alpha == {first.pk: (2, 2), second.pk: (2, 1), third.pk: (2, 1)}
    before = sorted(
        SchoolTermAttendance.objects.values_list(
            "cluster_id", "school_id", "term_start", "recorded", "present"
        )
    )
    summaries.rebuild_all()
    after = sorted(
        SchoolTermAttendance.objects.values_list(
            "cluster_id", "school_id", "term_start", "recorded", "present"
        )
    )
    assert before == after and len(after) == 3 + 3 + 2


def test_figures_of_many_clusters_in_a_constant_number_of_queries(
    trust_world, django_assert_max_num_queries
):
    from clusterwork.clusters.models import Cluster

    with django_assert_max_num_queries(10):
        rows = {f.cluster.name: f for f in cluster_figures(Cluster.objects.all())}
    assert str(rows["Alpha"].attendance_rate) == "66.7"  # 4 of 6
    assert str(rows["Beta"].attendance_rate) == "66.7"  # 2 of 3
    assert str(rows["Gamma"].attendance_rate) == "0.0"
    assert rows["Alpha"].goals_achieved == 1 and rows["Alpha"].goals_total == 2
    assert rows["Alpha"].achievements_year == 1 and rows["Alpha"].members == 3


def test_trust_admin_sees_the_trust_dashboard_with_its_clusters_only(trust_world, login):
    w = trust_world
    client = login(w.users.trust_admin)
    page = _page(client, reverse("reports:trust_dashboard", args=[w.trust.pk]))
    assert "Weald Learning Trust" in page
    assert "Alpha" in page and "Beta" in page and "Gamma" not in page
    assert "Sport mark" not in page
    # Headline: 6 member schools, 6 of 9 places at meetings (66.7%).
    assert "66.7%" in page
    assert reverse("reports:cluster_dashboard", args=[w.alpha.pk]) in page
    assert "<svg" in page and "Figures behind" in page  # charts with their tables
    assert "Clusters coloured by" in page  # the map


def test_programme_dashboard_counts_only_what_the_persona_sees(trust_world, login):
    w = trust_world
    url = reverse("reports:programme_dashboard", args=[w.science.pk])
    coordinator = _page(login(w.users.coordinator), url)
    assert "Alpha" in coordinator and "Beta" not in coordinator
    assert ">3<" in coordinator.replace('"stat">3<', ">3<")  # alpha's three schools
    admin = _page(login(w.users.programme_admin), url)
    assert "Alpha" in admin and "Beta" in admin and "Gamma" not in admin
    assert "Cohorts compared" in admin
    year = timezone.localdate().year
    assert reverse("reports:cohort_dashboard", args=[w.science.pk, year]) in admin


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("trust_admin", ["Alpha", "Beta"]),
        ("programme_admin", ["Alpha", "Beta"]),
        ("coordinator", ["Alpha"]),
        ("head", ["Alpha"]),
        ("viewer", ["Alpha"]),
        ("superuser", ["Alpha", "Beta"]),
    ],
)
def test_dashboard_exports_exactly_the_clusters_the_persona_sees(
    trust_world, login, persona, expected
):
    w = trust_world
    client = login(getattr(w.users, persona))
    url = reverse("reports:programme_dashboard", args=[w.science.pk])
    rows = _csv(client.get(url + "?export=csv"))
    assert rows[0][0] == "Cluster" and [r[0] for r in rows[1:]] == expected
    sheet = load_workbook(io.BytesIO(client.get(url + "?export=xlsx").content)).active
    xrows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in xrows[1:]] == expected
    members = xrows[0].index("Member schools")
    assert all(isinstance(r[members], int) for r in xrows[1:])


def test_outsider_gets_404_on_science_dashboards_and_exports(trust_world, login):
    w = trust_world
    client = login(w.users.outsider)
    for url in (
        reverse("reports:trust_dashboard", args=[w.trust.pk]),
        reverse("reports:programme_dashboard", args=[w.science.pk]) + "?export=csv",
        reverse("reports:cluster_dashboard", args=[w.alpha.pk]),
        reverse("reports:school_dashboard", args=[w.schools[0].urn]),
        reverse("reports:board_pack", args=[w.trust.pk, "html"]),
    ):
        assert client.get(url).status_code == 404, url
    # Their own programme's dashboard shows gamma only.
    page = _page(client, reverse("reports:programme_dashboard", args=[w.sport.pk]))
    assert "Gamma" in page and "Alpha" not in page


def test_cluster_dashboard_drills_down_to_schools(trust_world, login):
    w = trust_world
    client = login(w.users.coordinator)
    page = _page(client, reverse("reports:cluster_dashboard", args=[w.alpha.pk]))
    for school in w.schools[0:3]:
        assert reverse("reports:school_dashboard", args=[school.urn]) in page
    for school in w.schools[3:]:
        assert school.name not in page
    assert "Fair tests" in page and "PSQM Gilt" in page
    assert "Member schools" in page  # the map of members with its table
    school = _page(client, reverse("reports:school_dashboard", args=[w.schools[0].urn]))
    assert "Alpha" in school and "Beta" not in school
    assert "Meeting attendance by term" in school


def test_school_in_two_programmes_shows_only_the_visible_clusters(trust_world, login):
    from clusterwork.clusters import services as cluster_services

    w = trust_world
    # Alpha's first school also joins gamma (another programme).
    cluster_services.membership_add(
        actor=None, cluster=w.gamma, school=w.schools[0], start=timezone.localdate()
    )
    page = _page(
        login(w.users.coordinator), reverse("reports:school_dashboard", args=[w.schools[0].urn])
    )
    assert "Alpha" in page and "Gamma" not in page and "Sport Network" not in page
    page = _page(
        login(w.users.outsider), reverse("reports:school_dashboard", args=[w.schools[0].urn])
    )
    assert "Gamma" in page and "Alpha" not in page


def test_measures_are_registered_and_any_measure_colours_the_table_and_map(trust_world, login):
    w = trust_world
    keys = {key for key, _ in measures.choices()}
    assert {"reports.attendance_rate", "reports.schools_flagged", "reports.goals_achieved"} <= keys
    assert str(measures.value("reports.attendance_rate", w.alpha, timezone.localdate())) == "66.7"
    client = login(w.users.trust_admin)
    url = reverse("reports:trust_dashboard", args=[w.trust.pk])
    page = _page(client, url + "?measure=reports.goals_achieved")
    assert "Clusters coloured by Goals achieved" in page


def test_engagement_summary_follows_registers(trust_world):
    w = trust_world
    row = ClusterEngagement.objects.get(cluster=w.gamma)
    assert row.schools == 2 and row.flagged == 0  # one meeting missed of four allowed
    summaries.rebuild_all()
    assert ClusterEngagement.objects.get(cluster=w.gamma).schools == 2


@pytest.mark.parametrize(
    ("name", "persona"),
    [
        ("reports:trust_dashboard", "trust_admin"),
        ("reports:programme_dashboard", "programme_admin"),
    ],
)
def test_dashboards_run_a_flat_number_of_queries(trust_world, login, name, persona):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.web.test_query_counts import add_clusters

    w = trust_world
    client = login(getattr(w.users, persona))
    url = reverse(name, args=[w.trust.pk if name.startswith("reports:trust") else w.science.pk])

    def count():
        client.get(url)  # the session's first request stamps it once: not a per-row cost
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    add_clusters(w, 3)
    few = count()
    add_clusters(w, 6)
    assert count() == few


def test_another_apps_measure_is_read_from_the_nightly_snapshot(trust_world, login):
    from decimal import Decimal

    from clusterwork.core.measures import Measure
    from clusterwork.reports.models import MeasureValue

    w = trust_world
    key = "test.letters"
    measures.register(
        Measure(key, "Letters in the name", "cluster", compute=lambda c, d: len(c.name) * 10)
    )
    try:
        client = login(w.users.trust_admin)
        url = reverse("reports:trust_dashboard", args=[w.trust.pk]) + f"?measure={key}"
        assert "Letters in the name" in _page(client, url)  # before the snapshot: no values
        summaries.rebuild_all()
        assert MeasureValue.objects.get(key=key, cluster=w.alpha).value == Decimal(50)
        page = _page(client, url)
        assert "as computed on" in page and ">50.00<" in page.replace(" ", "")
        assert "Clusters coloured by Letters in the name" in page
    finally:
        measures._MEASURES.pop(key, None)
