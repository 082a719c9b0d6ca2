"""List pages: filters, paging and htmx partial responses."""

from django.urls import reverse

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_schools_filter_by_cluster_only_for_visible_clusters(world, login):
    url = reverse("school_list")
    text = login(world.users.coordinator).get(url, {"cluster": world.alpha.pk}).content.decode()
    assert "3 schools found" in text
    assert f'<option value="{world.beta.pk}"' not in text  # beta is not offered to them
    # The outsider cannot use alpha as a filter: it is dropped, never applied.
    text = login(world.users.outsider).get(url, {"cluster": world.alpha.pk}).content.decode()
    assert "8 schools found" in text
    assert "Select a valid choice" not in text


def test_schools_list_htmx_returns_the_results_and_the_count(world, login):
    client = login(world.users.viewer)
    response = client.get(reverse("school_list"), {"q": world.schools[4].name}, **HTMX)
    text = response.content.decode()
    assert "<html" not in text and "<form" not in text
    assert 'id="results-count"' in text and 'hx-swap-oob="true"' in text
    assert "1 school found" in text and world.schools[4].name in text


def test_schools_list_pages_by_fifty(world, login):
    from tests.factories import SchoolFactory

    SchoolFactory.create_batch(50)
    client = login(world.users.viewer)
    first = client.get(reverse("school_list")).content.decode()
    assert "58 schools found; showing 1–50." in first and "Page 1 of 2" in first
    second = client.get(reverse("school_list"), {"page": 2}).content.decode()
    assert "showing 51–58" in second


def test_clusters_list_shows_only_visible_clusters_with_size_warnings(world, login):
    text = login(world.users.outsider).get(reverse("cluster_list")).content.decode()
    assert "Gamma" in text and "Alpha" not in text and "Beta" not in text
    assert "below minimum 3" in text  # gamma has 2 schools
    text = (
        login(world.users.programme_admin)
        .get(reverse("cluster_list"), {"kind": "subject_network"})
        .content.decode()
    )
    assert "Alpha" in text and "Beta" in text and "Gamma" not in text


def test_home_without_roles(db, login):
    from clusterwork.people.models import User

    lonely = User.objects.create_user(email="new@example.org", password="x")
    text = login(lonely).get(reverse("home")).content.decode()
    assert "You have no roles yet" in text
