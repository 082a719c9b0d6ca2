"""Every list exports exactly the rows its reader sees, with the page's filters and sort, as
CSV or XLSX (the generic list's export hook)."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from clusterwork.clusters import services as cluster_services


def _csv(response):
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_a_list_exports_only_the_rows_its_reader_may_see(world, login):
    url = reverse("cluster_list") + "?export=csv"
    rows = _csv(login(world.users.coordinator).get(url))
    assert rows[0][:2] == ["Cluster", "Programme"]
    assert [r[0] for r in rows[1:]] == ["Alpha"]
    rows = _csv(login(world.users.programme_admin).get(url))
    assert [r[0] for r in rows[1:]] == ["Alpha", "Beta"]


def test_the_export_keeps_the_filters_and_the_sort(world, login):
    client = login(world.users.superuser)
    rows = _csv(client.get(reverse("cluster_list") + "?export=csv&sort=-name"))
    assert [r[0] for r in rows[1:]] == ["Gamma", "Beta", "Alpha"]
    rows = _csv(client.get(reverse("cluster_list") + "?export=csv&q=alp"))
    assert [r[0] for r in rows[1:]] == ["Alpha"]
    # The page itself sorts the same way, and offers the downloads with its filters.
    page = client.get(reverse("cluster_list") + "?q=alp").content.decode()
    assert "?q=alp&amp;export=csv" in page and "?q=alp&amp;export=xlsx" in page


def test_xlsx_has_the_same_rows_and_real_numbers(world, login):
    response = login(world.users.programme_admin).get(reverse("cluster_list") + "?export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Cluster" and [r[0] for r in rows[1:]] == ["Alpha", "Beta"]
    assert rows[1][-1] == 3  # member schools, as a number


def test_a_cell_that_looks_like_a_formula_stays_text(world, login):
    cluster_services.cluster_update(actor=None, cluster=world.alpha, name="=HYPERLINK(1)")
    rows = _csv(login(world.users.coordinator).get(reverse("cluster_list") + "?export=csv"))
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_people_and_schools_export_too_and_unknown_formats_are_404(world, login):
    client = login(world.users.outsider)
    people = _csv(client.get(reverse("person_list") + "?export=csv"))
    assert [r[0] for r in people[1:]] == [world.users.outsider.person.full_name]
    schools = _csv(client.get(reverse("school_list") + f"?q={world.schools[0].urn}&export=csv"))
    assert [int(r[0]) for r in schools[1:]] == [world.schools[0].urn]
    assert client.get(reverse("cluster_list") + "?export=pdf").status_code == 404
