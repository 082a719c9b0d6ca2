"""The whole England file (22,010 rows): every row in, coordinates converted, re-import a no-op."""

import csv
import io

import pytest

from clusterwork.schools.importer import england_file_path, import_gias
from clusterwork.schools.models import LocalAuthority, School


@pytest.mark.slow
@pytest.mark.django_db
def test_england_file_imports_every_row_and_reimports_nothing():
    path = england_file_path()
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("cp1252"), newline="")))

    first = import_gias(path)

    assert (first.rows_read, first.created, first.rejected) == (22010, 22010, 0)
    assert School.objects.count() == 22010
    assert set(School.objects.values_list("urn", flat=True)) == {int(r["URN"]) for r in rows}
    assert School.objects.filter(latitude__isnull=False).count() == 22008
    assert LocalAuthority.objects.count() == len({r["LA (name)"] for r in rows} - {""})
    # Auriol Junior School: the NSPL centroid of KT19 0PJ is 51.36960, -0.25021 (SOURCE.md);
    # the file's whole-metre grid reference converts back to within a few metres of it.
    auriol = School.objects.select_related("local_authority").get(urn=144387)
    assert auriol.latitude == pytest.approx(51.36960, abs=0.0001)
    assert auriol.longitude == pytest.approx(-0.25021, abs=0.0001)
    assert (auriol.local_authority.name, auriol.phase) == ("Surrey", "Primary")
    assert School.objects.filter(local_authority__name="Surrey").count() == 398

    again = import_gias(path)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 22010)
