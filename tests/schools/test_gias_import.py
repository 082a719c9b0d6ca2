"""The GIAS importer against the real GIAS header (raw/gias_subset.csv, 140 columns, cp1252)
and hand-broken copies of it written to tmp_path."""

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from clusterwork.core.audit import history_entries
from clusterwork.schools import services as school_services
from clusterwork.schools.importer import GiasImportError, england_file_path, import_gias
from clusterwork.schools.models import GiasImport, LocalAuthority, School, Trust

GIAS_DIR = Path(settings.DATA_DIR) / "gias"
SUBSET = GIAS_DIR / "raw" / "gias_subset.csv"
SUBSET_URNS = {100000, 100004, 101173, 101077, 137666, 150516, 124087, 126370}

pytestmark = pytest.mark.django_db


def read_subset() -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(SUBSET.read_bytes().decode("cp1252"), newline="")))
    return rows[0], rows[1:]


def write_csv(path: Path, header, rows, encoding="cp1252") -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def db_counts():
    return (
        School.objects.count(),
        School.history.count(),
        Trust.objects.count(),
        LocalAuthority.objects.count(),
        GiasImport.objects.count(),
    )


def read_rejects(path: Path) -> list[list[str]]:
    return list(csv.reader(path.open(encoding="utf-8", newline="")))


def test_subset_imports_every_row_with_its_real_fields(tmp_path):
    result = import_gias(SUBSET, rejects_path=tmp_path / "rejects.csv")

    assert (result.created, result.updated, result.unchanged, result.rejected) == (8, 0, 0, 0)
    assert set(School.objects.values_list("urn", flat=True)) == SUBSET_URNS
    chudleigh = School.objects.select_related("trust", "local_authority").get(urn=137666)
    assert chudleigh.name == "Chudleigh Knighton Church of England Primary School"
    assert chudleigh.establishment_type == "Academy converter"
    assert (chudleigh.trust.name, chudleigh.trust.gias_code) == (
        "THE FIRST FEDERATION TRUST",
        "3104",
    )
    assert (chudleigh.local_authority.name, chudleigh.local_authority.code) == ("Devon", "878")
    assert (chudleigh.easting, chudleigh.northing) == (284509, 77456)
    assert chudleigh.latitude == pytest.approx(50.5837, abs=0.002)
    assert chudleigh.longitude == pytest.approx(-3.6326, abs=0.002)
    assert chudleigh.number_of_pupils == 100
    assert (chudleigh.statutory_low_age, chudleigh.statutory_high_age) == (5, 11)
    assert chudleigh.ofsted_rating == "Good"
    assert chudleigh.ofsted_date == dt.date(2023, 2, 9)
    assert chudleigh.open_date == dt.date(2011, 11, 1)
    assert chudleigh.last_import == result.gias_import

    aldgate = School.objects.get(urn=100000)
    # GIAS omits the scheme; stored as a link that works.
    assert aldgate.website == "http://www.thealdgateschool.org"
    assert aldgate.latitude == pytest.approx(51.5137, abs=0.002)
    assert aldgate.longitude == pytest.approx(-0.0768, abs=0.002)
    closing = School.objects.get(urn=126370)
    assert closing.status == "Open, but proposed to close"
    assert closing.close_date == dt.date(2024, 7, 31)
    overseas = School.objects.get(urn=150516)
    assert overseas.local_authority is None  # GIAS "Does not apply"
    assert overseas.latitude is None and overseas.easting is None

    record = GiasImport.objects.get()
    assert (record.rows_read, record.created, record.updated, record.rejected) == (8, 8, 0, 0)
    assert record.source_name == str(SUBSET)
    assert School.history.filter(history_type="+", history_change_reason="GIAS import").count() == 8
    for school in School.objects.all():
        (entry,) = history_entries(school)
        assert (entry.action, entry.who) == ("created", "system")
        assert school.history.get().open_date == school.open_date
    assert Trust.objects.count() == 2
    assert read_rejects(tmp_path / "rejects.csv") == [["line", "URN", "reason"]]


def test_reimport_of_the_same_file_writes_no_school(tmp_path):
    import_gias(SUBSET)
    before = list(School.objects.order_by("urn").values_list("urn", "updated_at"))
    history = School.history.count()

    result = import_gias(SUBSET)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 8)
    assert list(School.objects.order_by("urn").values_list("urn", "updated_at")) == before
    assert School.history.count() == history
    assert Trust.objects.count() == 2 and GiasImport.objects.count() == 2


def test_a_changed_name_updates_exactly_that_school_and_keeps_history(tmp_path, world):
    actor = world.users.superuser
    first = import_gias(SUBSET, actor=actor)
    header, rows = read_subset()
    name_at = header.index("EstablishmentName")
    changed = next(row for row in rows if row[0] == "124087")
    changed[name_at] = "Thomas Barnes Primary School (renamed)"
    copy = write_csv(tmp_path / "renamed.csv", header, rows)

    second = import_gias(copy, actor=actor)

    assert (second.created, second.updated, second.unchanged) == (0, 1, 7)
    school = School.objects.get(urn=124087)
    assert school.name == "Thomas Barnes Primary School (renamed)"
    assert school.last_import == second.gias_import
    assert School.objects.get(urn=100000).last_import == first.gias_import
    created = school.history.get(history_type="+")
    assert (created.urn, created.name, created.history_user) == (
        124087,
        "Thomas Barnes Primary School",
        actor,
    )
    assert (created.latitude, created.trust_id) == (school.latitude, school.trust_id)
    latest = school.history.order_by("-history_id").first()
    assert latest.history_type == "~" and latest.history_user == actor
    assert latest.name == "Thomas Barnes Primary School (renamed)"
    assert GiasImport.objects.get(pk=second.gias_import.pk).started_by == actor


def test_only_open_skips_closed_schools():
    result = import_gias(SUBSET, only_open=True)

    assert (result.created, result.skipped) == (6, 2)
    assert not School.objects.filter(urn__in=[100004, 101077]).exists()
    assert School.objects.filter(urn=126370).exists()  # "Open, but proposed to close"
    assert GiasImport.objects.get().skipped == 2


def test_a_file_without_urn_is_refused_naming_what_is_missing_and_found(tmp_path):
    path = write_csv(
        tmp_path / "wrong.csv",
        ["School", "EstablishmentName", "Town"],
        [["Somewhere School", "Somewhere School", "Epsom"]],
    )

    with pytest.raises(GiasImportError) as caught:
        import_gias(path)

    message = str(caught.value.text)
    assert str(path) in message
    assert "missing the column(s) URN" in message
    assert "'School', 'EstablishmentName', 'Town'" in message
    assert db_counts() == (0, 0, 0, 0, 0)


def test_a_utf16_file_is_refused_and_nothing_is_written(tmp_path):
    import_gias(SUBSET)
    before = db_counts()
    header, rows = read_subset()
    path = write_csv(tmp_path / "utf16.csv", header, rows, encoding="utf-16")

    with pytest.raises(GiasImportError, match="looks like UTF-16") as caught:
        import_gias(path)

    assert str(path) in caught.value.text
    assert db_counts() == before


def test_undecodable_bytes_are_refused_with_the_line(tmp_path):
    data = SUBSET.read_bytes().split(b"\n")
    data[3] = data[3].replace(b"Fairley", b"Fair\x81ley")  # 0x81 is undefined in cp1252
    path = tmp_path / "broken.csv"
    path.write_bytes(b"\n".join(data))

    with pytest.raises(GiasImportError) as caught:
        import_gias(path)

    assert str(path) in caught.value.text
    assert "byte 0x81 on line 4" in caught.value.text
    assert db_counts() == (0, 0, 0, 0, 0)


BAD_HEADER = [
    "URN",
    "EstablishmentName",
    "PhaseOfEducation (name)",
    "Easting",
    "Northing",
    "OpenDate",
    "NumberOfPupils",
]
BAD_ROWS = [
    ["900001", "Good School", "Primary", "520000", "161000", "01-09-2010", "200"],
    ["9000x2", "Bad URN School", "Primary", "520000", "161000", "", ""],
    ["900003", "Letters School", "Primary", "east", "161000", "", ""],
    ["900004", "Offshore School", "Primary", "900000", "161000", "", ""],
    ["900005", "Unknown Phase School", "Tertiary", "520000", "161000", "", ""],
    ["900001", "Duplicate School", "Primary", "520000", "161000", "", ""],
    ["900007", "Bad Date School", "Secondary", "", "", "31-02-2020", ""],
    ["900008", "Bad Number School", "", "", "", "", "lots"],
    ["900009", "Second Good School", "", "", "", "", ""],
]


def test_bad_rows_are_rejected_with_line_numbers_and_good_rows_imported(tmp_path):
    path = write_csv(tmp_path / "bad.csv", BAD_HEADER, BAD_ROWS)
    rejects = tmp_path / "out" / "rejects.csv"

    result = import_gias(path, rejects_path=rejects)

    assert (result.created, result.rejected) == (2, 7)
    assert set(School.objects.values_list("urn", flat=True)) == {900001, 900009}
    assert School.objects.get(urn=900001).name == "Good School"  # the first occurrence wins
    lines = read_rejects(rejects)
    assert lines[0] == ["line", "URN", "reason"]
    assert [(line, urn) for line, urn, _ in lines[1:]] == [
        ("3", "9000x2"),
        ("4", "900003"),
        ("5", "900004"),
        ("6", "900005"),
        ("7", "900001"),
        ("8", "900007"),
        ("9", "900008"),
    ]
    reasons = [reason for _, _, reason in lines[1:]]
    assert reasons[0] == "bad URN '9000x2'"
    assert reasons[1].startswith("bad coordinates") and "not numbers" in reasons[1]
    assert reasons[2].startswith("bad coordinates") and "outside Great Britain" in reasons[2]
    assert reasons[3] == "unknown phase 'Tertiary'"
    assert reasons[4] == "duplicate URN in file (first on line 2)"
    assert reasons[5] == "bad date in OpenDate: '31-02-2020'"
    assert reasons[6] == "bad number in NumberOfPupils: 'lots'"
    assert GiasImport.objects.get().rejects_path == str(rejects)


def test_strict_refuses_the_whole_file_but_lists_the_bad_rows(tmp_path):
    path = write_csv(tmp_path / "bad.csv", BAD_HEADER, BAD_ROWS)
    rejects = tmp_path / "rejects.csv"

    with pytest.raises(GiasImportError, match=r"refused \(--strict\): 7 row\(s\)"):
        import_gias(path, strict=True, rejects_path=rejects)

    assert db_counts() == (0, 0, 0, 0, 0)
    assert len(read_rejects(rejects)) == 8


def test_an_unexpected_failure_rolls_everything_back(tmp_path):
    path = write_csv(tmp_path / "bad.csv", BAD_HEADER, BAD_ROWS)
    unwritable = tmp_path / "a-directory"
    unwritable.mkdir()

    with pytest.raises(IsADirectoryError):
        import_gias(path, rejects_path=unwritable)

    assert db_counts() == (0, 0, 0, 0, 0)


def test_a_subset_of_columns_updates_only_what_it_carries(tmp_path):
    import_gias(SUBSET)
    path = write_csv(
        tmp_path / "names.csv",
        ["URN", "EstablishmentName"],
        [["137666", "Chudleigh Knighton CofE Primary"], ["137667", "A New School"]],
    )

    result = import_gias(path)

    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    school = School.objects.get(urn=137666)
    assert school.name == "Chudleigh Knighton CofE Primary"
    assert school.trust.gias_code == "3104" and school.phase == "Primary"
    assert school.latitude is not None
    new = School.objects.get(urn=137667)
    assert (new.phase, new.local_authority, new.latitude) == ("", None, None)


def test_latitude_longitude_files_get_grid_references(tmp_path):
    path = write_csv(
        tmp_path / "latlon.csv",
        ["URN", "EstablishmentName", "Latitude", "Longitude"],
        [
            ["144387", "Auriol Junior School", "51.3696", "-0.25021"],
            ["999999", "Nowhere School", "40.0", "-0.25"],
        ],
    )

    result = import_gias(path)

    assert (result.created, result.rejected) == (1, 1)
    school = School.objects.get(urn=144387)
    # The England file gives this school (same NSPL centroid) as 521900 E, 164846 N.
    assert school.easting == pytest.approx(521900, abs=2)
    assert school.northing == pytest.approx(164846, abs=2)
    assert result.rejects[0].reason.startswith("bad coordinates")


def test_trusts_are_matched_by_name_and_claim_their_gias_code(world):
    existing = school_services.trust_create(actor=None, name="The First Federation Trust")
    before = Trust.objects.count()

    import_gias(SUBSET)

    existing.refresh_from_db()
    assert existing.gias_code == "3104"
    assert existing.name == "THE FIRST FEDERATION TRUST"  # GIAS owns names it has codes for
    assert Trust.objects.count() == before + 1  # only Tame Valley is new
    assert School.objects.get(urn=137666).trust == existing


def test_the_command_prints_a_summary_and_names_the_rejects(tmp_path, world):
    path = write_csv(tmp_path / "bad.csv", BAD_HEADER, BAD_ROWS)
    out = io.StringIO()

    call_command(
        "import_gias",
        str(path),
        "--no-progress",
        "--rejects",
        str(tmp_path / "r.csv"),
        "--actor",
        world.users.superuser.email,
        stdout=out,
    )

    text = out.getvalue()
    assert "9 rows read: 2 created, 0 updated, 0 unchanged, 7 rejected" in text
    assert str(tmp_path / "r.csv") in text
    assert GiasImport.objects.get().started_by == world.users.superuser
    with pytest.raises(CommandError, match="No user has the email address nobody@example.org"):
        call_command("import_gias", str(path), "--actor", "nobody@example.org")
    with pytest.raises(CommandError, match="missing the column"):
        call_command("import_gias", str(tmp_path / "r.csv"))


def test_the_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"nope\.csv does not exist"):
        call_command("import_gias", str(tmp_path / "nope.csv"))


def test_england_file_path_explains_where_to_get_the_data(settings, tmp_path):
    assert england_file_path().is_file()
    settings.DATA_DIR = tmp_path
    with pytest.raises(GiasImportError) as caught:
        england_file_path()
    assert "get-information-schools.service.gov.uk/Downloads" in caught.value.text
    assert "Open Government Licence v3.0" in caught.value.text
    assert str(tmp_path) in caught.value.text


def test_console_script_accepts_the_hyphenated_name(monkeypatch, capsys):
    from clusterwork import cli

    monkeypatch.setattr(sys, "argv", ["clusterwork", "import-gias", "--help"])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 0
    help_text = capsys.readouterr().out
    assert "--only-open" in help_text and "--strict" in help_text


def test_a_file_whose_every_row_is_rejected_is_refused(tmp_path):
    path = write_csv(tmp_path / "all-bad.csv", BAD_HEADER, BAD_ROWS[1:5])
    rejects = tmp_path / "rejects.csv"

    with pytest.raises(GiasImportError, match=r"all 4 row\(s\) were rejected") as caught:
        import_gias(path, rejects_path=rejects)

    assert "line 2 (URN 9000x2): bad URN '9000x2'" in caught.value.text
    assert str(rejects) in caught.value.text
    assert db_counts() == (0, 0, 0, 0, 0)
    assert len(read_rejects(rejects)) == 5


def run_cli(var_dir: Path, *args) -> subprocess.CompletedProcess:
    """The real ``clusterwork`` console script, as cron or an operator runs it, on its own
    SQLite database under ``var_dir`` (never the test database, never DATABASE_URL's)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CLUSTERWORK_VAR"] = str(var_dir)
    return subprocess.run(
        [str(Path(sys.executable).with_name("clusterwork")), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def test_the_command_exits_non_zero_when_every_row_is_rejected_or_strict_finds_one(tmp_path):
    var = tmp_path / "var"
    assert run_cli(var, "migrate", "--no-input", "-v", "0").returncode == 0
    all_bad = write_csv(tmp_path / "all-bad.csv", BAD_HEADER, BAD_ROWS[1:5])
    mixed = write_csv(tmp_path / "mixed.csv", BAD_HEADER, BAD_ROWS)

    refused = run_cli(var, "import-gias", str(all_bad), "--no-progress")
    assert refused.returncode == 1
    assert "all 4 row(s) were rejected" in refused.stderr
    assert "Nothing was imported" in refused.stderr

    strict = run_cli(var, "import-gias", str(mixed), "--no-progress", "--strict")
    assert strict.returncode == 1
    assert "refused (--strict): 7 row(s) are bad" in strict.stderr

    partly = run_cli(var, "import-gias", str(mixed), "--no-progress")
    assert partly.returncode == 0, partly.stderr
    assert "2 created, 0 updated, 0 unchanged, 7 rejected" in partly.stdout
