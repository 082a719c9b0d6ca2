"""``clusterwork form-clusters`` on real GIAS schools (one local authority imported with the
product's importer from the shared England file, read in place)."""

import csv
import json
import math

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from clusterwork.clusters import services as cluster_services
from clusterwork.schools.importer import england_file_path, import_gias
from clusterwork.schools.models import School

LA = "Hartlepool"  # 38 open state-funded schools, 5 of them secondary
# Constrained runs go through exact sub-problems; on a busy CI machine 2 s can be too few to
# find the first feasible answer. The engine stops early once it has proved its answer.
SLOW_LIMIT = "15"


def import_la(tmp_path, *names):
    """Import the schools of local authorities ``names`` from the England GIAS file."""
    source = england_file_path()
    subset = tmp_path / "gias-subset.csv"
    with (
        source.open(encoding="cp1252", newline="") as f,
        subset.open("w", encoding="cp1252", newline="") as g,
    ):
        reader, writer = csv.reader(f), csv.writer(g)
        header = next(reader)
        writer.writerow(header)
        column = header.index("LA (name)")
        writer.writerows(row for row in reader if row[column] in names)
    import_gias(subset)
    return list(School.objects.filter(local_authority__name__in=names).order_by("urn"))


@pytest.fixture
def hartlepool(db, tmp_path):
    schools = import_la(tmp_path, LA)
    assert len(schools) == 38
    return schools


def form(*args, out):
    stdout_lines = []

    class Out:
        def write(self, text):
            stdout_lines.append(text)

        def flush(self):
            pass

    call_command("form_clusters", *args, "--out", str(out), stdout=Out())
    return "".join(stdout_lines)


def read_csv(path):
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_la_proposal_is_written_as_valid_csv_and_geojson(hartlepool, tmp_path):
    out = tmp_path / "out"
    summary = form(
        "--la", LA, "--min", "3", "--max", "12", "--target", "5", "--time-limit", "2", out=out
    )
    rows = read_csv(out / "proposal.csv")
    by_urn = {s.urn: s for s in hartlepool}
    assert sorted(int(r["urn"]) for r in rows) == sorted(by_urn)
    clusters = {}
    for r in rows:
        clusters.setdefault(r["cluster"], []).append(r)
    assert len(clusters) == round(38 / 5)
    total = 0.0
    for members in clusters.values():
        assert 3 <= len(members) <= 12
        hubs = {r["hub_urn"] for r in members}
        assert len(hubs) == 1
        hub = by_urn[int(hubs.pop())]
        assert [r["is_hub"] for r in members].count("yes") == 1
        assert hub.urn in {int(r["urn"]) for r in members}
        for r in members:
            school = by_urn[int(r["urn"])]
            km = math.hypot(school.easting - hub.easting, school.northing - hub.northing) / 1000
            assert float(r["distance_km"]) == pytest.approx(km, abs=0.006)
            total += km
    geo = json.loads((out / "proposal.geojson").read_text())
    assert geo["type"] == "FeatureCollection"
    assert len(geo["features"]) == 38
    for feature in geo["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point"
        assert 54.5 < lat < 54.8 and -1.4 < lon < -1.1  # Hartlepool, WGS84 order lon/lat
        assert {"urn", "cluster", "hub_urn", "is_hub", "distance_km"} <= set(feature["properties"])
    record = json.loads((out / "run.json").read_text())
    assert len(record["inputs"]["sites"]) == 38
    assert record["result"]["objective"] / 1000 == pytest.approx(total, rel=1e-3)
    assert f"Clusters:           {len(clusters)}" in summary
    assert "Status:" in summary and "Objective:" in summary and "Lower bound:" in summary


def test_need_phase_puts_a_secondary_school_in_every_cluster(hartlepool, tmp_path):
    out = tmp_path / "out"
    form("--la", LA, "--need-phase", "Secondary", "--time-limit", SLOW_LIMIT, out=out)
    phase = {s.urn: s.phase for s in hartlepool}
    clusters = {}
    for r in read_csv(out / "proposal.csv"):
        clusters.setdefault(r["cluster"], set()).add(phase[int(r["urn"])])
    assert len(clusters) <= 5
    assert all("Secondary" in phases for phases in clusters.values())


def test_sites_file_with_lat_lon_names_and_flags(db, tmp_path):
    sites = tmp_path / "sites.csv"
    sites.write_text(
        "name,lat,lon,flag\n"
        "North A,51.50,-0.12,yes\nNorth B,51.51,-0.13,\nNorth C,51.505,-0.11,\n"
        "South A,51.30,-0.12,1\nSouth B,51.31,-0.13,\nSouth C,51.305,-0.11,\n"
    )
    out = tmp_path / "out"
    form(
        "--sites",
        str(sites),
        "--clusters",
        "2",
        "--min",
        "3",
        "--need-flag",
        "--time-limit",
        "5",
        out=out,
    )
    rows = read_csv(out / "proposal.csv")
    groups = {}
    for r in rows:
        groups.setdefault(r["cluster"], set()).add(r["name"].split()[0])
    assert sorted(map(sorted, groups.values())) == [["North"], ["South"]]
    assert {r["hub_name"] for r in rows if r["name"].startswith("North")} != {""}


def test_sites_file_pupils_column_caps_each_clusters_pupils(hartlepool, tmp_path):
    """Hartlepool's schools by URN with a pupils column (the shipped England extract has no
    pupil numbers): every proposed cluster stays within --max-pupils."""
    pupils = {s.urn: 100 + (s.urn * 37) % 601 for s in hartlepool}
    sites = tmp_path / "sites.csv"
    sites.write_text(
        "urn,easting,northing,pupils\n"
        + "".join(f"{s.urn},{s.easting},{s.northing},{pupils[s.urn]}\n" for s in hartlepool)
    )
    out = tmp_path / "out"
    summary = form("--sites", str(sites), "--max-pupils", "2000", "--time-limit", "5", out=out)
    rows = read_csv(out / "proposal.csv")
    totals = {}
    for r in rows:
        assert int(r["pupils"]) == pupils[int(r["urn"])]
        totals[r["cluster"]] = totals.get(r["cluster"], 0) + int(r["pupils"])
    assert max(totals.values()) <= 2000
    assert "pupils" in summary.splitlines()[0]
    for cluster, total in totals.items():
        assert any(
            line.split()[0] == cluster and f"{total:,}" in line.split()
            for line in summary.splitlines()
        )
    # the directory has no numbers for these schools: the cap is refused, nothing written
    with pytest.raises(CommandError, match="have none in the school directory"):
        form("--la", LA, "--max-pupils", "2000", out=tmp_path / "out2")
    assert not (tmp_path / "out2").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--la", "Atlantis"], "No local authority called “Atlantis”"),
        (["--urns", "100000,999999999"], "not in the school directory: 100000, 999999999"),
        (["--trust", "No Such Trust"], "No trust called or numbered “No Such Trust”"),
        (["--la", LA, "--time-limit", "0"], "time limit must be more than 0"),
        (["--la", LA, "--min", "6", "--max", "4"], "largest cluster size (4) is below"),
        (["--la", LA, "--min", "13", "--max", "13"], "cannot be met"),
        (["--la", LA, "--need-phase", "Nursery"], "none of the 38 selected schools"),
        (["--la", LA, "--clusters", "7", "--need-phase", "Secondary"], "cannot be met"),
        (["--la", LA, "--incremental"], "--incremental keeps today's clusters of a --programme"),
        (["--programme", "Nothing"], "No programme called or numbered “Nothing”"),
        ([], "Say which schools to cluster"),
    ],
)
def test_bad_input_is_refused_with_its_cause_and_nothing_written(
    hartlepool, tmp_path, args, message
):
    out = tmp_path / "out"
    with pytest.raises(CommandError) as caught:
        form(*args, out=out)
    assert message in str(caught.value)
    assert not out.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("urn,easting,northing\n{a},450000,530000\n{a},450100,530100\n", "listed more than once"),
        ("urn,easting,northing\n{a},450000,\n", "has no coordinates"),
        ("name,easting,northing\nX,1,2\nX,1,2\n", "listed twice with the same coordinates"),
        ("school,easting,northing\nX,1,2\n", "needs a “urn” or a “name” column"),
        ("name,easting\nX,1\n", "“easting” and “northing” columns, or “lat” and “lon”"),
        ("name,easting,northing\nX,51.5,-0.1\n", "outside the British National Grid"),
        (
            "name,easting,northing,pupils\nX,450000,530000,many\n",
            "Line 2: pupils “many” is not a number",
        ),
        ("name,easting,northing,pupils\nX,450000,530000,12.5\n", "not a whole number"),
    ],
)
def test_bad_sites_file_is_refused(db, tmp_path, text, message):
    from tests.factories import SchoolFactory

    sites = tmp_path / "sites.csv"
    sites.write_text(text.format(a=SchoolFactory().urn))
    out = tmp_path / "out"
    with pytest.raises(CommandError) as caught:
        form("--sites", str(sites), "--min", "1", out=out)
    assert message in str(caught.value)
    assert not out.exists()


def test_incremental_keeps_todays_clusters_and_places_only_new_schools(hartlepool, tmp_path):
    programme = cluster_services.programme_create(actor=None, name="Hartlepool Science")
    # Today's clusters: two deliberately mixed clusters, so a free re-clustering would move
    # schools; incremental mode must not.
    alpha = cluster_services.cluster_create(
        actor=None, programme=programme, name="Alpha", kind="subject_network"
    )
    beta = cluster_services.cluster_create(
        actor=None, programme=programme, name="Beta", kind="subject_network"
    )
    members = {}
    for i, school in enumerate(hartlepool[:10]):
        cluster = alpha if i % 2 else beta
        cluster_services.membership_add(actor=None, cluster=cluster, school=school)
        members[school.urn] = cluster.name
    out = tmp_path / "out"
    summary = form(
        "--programme",
        programme.name,
        "--la",
        LA,
        "--incremental",
        "--time-limit",
        SLOW_LIMIT,
        out=out,
    )
    rows = read_csv(out / "proposal.csv")
    assert len(rows) == 38
    for r in rows:
        if int(r["urn"]) in members:
            assert r["current_cluster"] == members[int(r["urn"])]
            assert r["moved"] == "no"
            assert r["cluster_name"] == members[int(r["urn"])]
    assert "0 moved, 28 not in a cluster today" in summary
    # Without the lock the same schools are re-clustered freely, and some do move.
    free = tmp_path / "free"
    form("--programme", programme.name, "--la", LA, "--time-limit", "2", out=free)
    assert any(r["moved"] == "yes" for r in read_csv(free / "proposal.csv"))


def test_keep_trusts_together_puts_each_trusts_schools_in_one_cluster(hartlepool, tmp_path):
    from tests.factories import TrustFactory

    north, south = TrustFactory(), TrustFactory()
    # Each trust takes schools from opposite ends of the town, so only the constraint keeps
    # them together.
    by_northing = sorted(hartlepool, key=lambda s: s.northing)
    chosen = {
        north: by_northing[:2] + by_northing[-2:],
        south: by_northing[2:4] + by_northing[-4:-2],
    }
    for trust, schools in chosen.items():
        School.objects.filter(pk__in=[s.pk for s in schools]).update(trust=trust)
    out = tmp_path / "out"
    form("--la", LA, "--keep-trusts-together", "--time-limit", SLOW_LIMIT, out=out)
    cluster_of = {int(r["urn"]): r["cluster"] for r in read_csv(out / "proposal.csv")}
    for schools in chosen.values():
        assert len({cluster_of[s.urn] for s in schools}) == 1
    free = tmp_path / "free"
    form("--la", LA, "--time-limit", "2", out=free)
    cluster_free = {int(r["urn"]): r["cluster"] for r in read_csv(free / "proposal.csv")}
    assert any(len({cluster_free[s.urn] for s in schools}) > 1 for schools in chosen.values())
