"""Turn schools into engine input: one *site* per school, on the British National Grid.

The engine measures straight-line distance in metres, so every site needs an easting and
northing (EPSG:27700). GIAS gives those directly; a site given only as latitude/longitude is
converted with pyproj. Schools that share a postcode (infant and junior schools on one site)
share GIAS's postcode-centroid coordinates; they are distinct schools and are accepted, but
the same school listed twice is refused.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field

from clusterwork.core.errors import ServiceError

# England's extent on the National Grid, generously; anything outside is a typo or lat/lon
# given in the easting/northing columns.
_EASTING = (0, 700_000)
_NORTHING = (0, 1_300_000)


@dataclass
class Site:
    urn: int | None
    name: str
    easting: float
    northing: float
    school_id: int | None = None
    phase: str = ""
    town: str = ""
    trust_id: int | None = None
    trust_name: str = ""
    flag: bool = False
    pupils: int | None = None  # GIAS's number of pupils, or the CSV's ``pupils`` column
    current_cluster_id: int | None = None
    current_cluster: str = ""
    latitude: float | None = None
    longitude: float | None = None
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("extra")
        return data


def bng_from_latlon(lat: float, lon: float) -> tuple[float, float]:
    from pyproj import Transformer

    transformer = _transformer(Transformer, "EPSG:4326", "EPSG:27700")
    easting, northing = transformer.transform(lat, lon)
    return round(easting, 1), round(northing, 1)


def latlon_from_bng(easting: float, northing: float) -> tuple[float, float]:
    from pyproj import Transformer

    transformer = _transformer(Transformer, "EPSG:27700", "EPSG:4326")
    lat, lon = transformer.transform(easting, northing)
    return round(lat, 6), round(lon, 6)


_TRANSFORMERS: dict = {}


def _transformer(cls, source, target):
    key = (source, target)
    if key not in _TRANSFORMERS:
        _TRANSFORMERS[key] = cls.from_crs(source, target)
    return _TRANSFORMERS[key]


def site_for_school(school, *, membership=None) -> Site:
    """A site for ``school`` (with its current cluster, if ``membership`` is given)."""
    easting, northing = school.easting, school.northing
    if (easting is None or northing is None) and school.has_location:
        easting, northing = bng_from_latlon(school.latitude, school.longitude)
    if easting is None or northing is None:
        raise ServiceError(
            f"{school.name} (URN {school.urn}) has no location (no easting/northing or "
            f"latitude/longitude); add one or leave the school out."
        )
    return Site(
        urn=school.urn,
        name=school.name,
        easting=float(easting),
        northing=float(northing),
        school_id=school.pk,
        phase=school.phase,
        town=school.town,
        trust_id=school.trust_id,
        trust_name=school.trust.name if school.trust_id else "",
        pupils=school.number_of_pupils,
        current_cluster_id=membership.cluster_id if membership else None,
        current_cluster=membership.cluster.name if membership else "",
        latitude=school.latitude,
        longitude=school.longitude,
    )


def sites_from_schools(schools, *, programme=None) -> list[Site]:
    """Sites for ``schools`` (a queryset or list), with today's cluster in ``programme``."""
    from clusterwork.clusters.models import ClusterMembership

    schools = list(schools)
    current = {}
    if programme is not None:
        current = {
            m.school_id: m
            for m in ClusterMembership.objects.current()
            .filter(programme=programme, school_id__in=[s.pk for s in schools])
            .select_related("cluster")
        }
    sites = [site_for_school(s, membership=current.get(s.pk)) for s in schools]
    check_sites(sites)
    return sites


def _number(value: str, column: str, line: int) -> float | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise ServiceError(f"Line {line}: {column} “{value}” is not a number.") from None
    if not math.isfinite(number):
        raise ServiceError(f"Line {line}: {column} “{value}” is not a finite number.")
    return number


_TRUE = {"1", "true", "yes", "y", "x"}


def sites_from_csv(text: str, *, programme=None) -> list[Site]:
    """Sites from a CSV with ``urn`` or ``name``, and ``easting,northing`` or ``lat,lon``
    (an optional ``flag`` column marks sites every cluster must include one of; an optional
    ``pupils`` column gives or overrides the number of pupils).

    A URN that is in the school directory brings its name, phase, trust and today's cluster;
    the coordinates in the file always win.
    """
    from clusterwork.clusters.models import ClusterMembership
    from clusterwork.schools.models import School

    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = {c.strip().lower(): c for c in (reader.fieldnames or [])}
    if "urn" not in columns and "name" not in columns:
        raise ServiceError("The sites file needs a “urn” or a “name” column.")
    has_bng = "easting" in columns and "northing" in columns
    lat_col = columns.get("lat") or columns.get("latitude")
    lon_col = columns.get("lon") or columns.get("lng") or columns.get("longitude")
    if not has_bng and not (lat_col and lon_col):
        raise ServiceError(
            "The sites file needs “easting” and “northing” columns, or “lat” and “lon”."
        )
    rows = list(reader)
    if not rows:
        raise ServiceError("The sites file has no rows.")
    urns = []
    for line, row in enumerate(rows, start=2):
        raw = (row.get(columns.get("urn", ""), "") or "").strip()
        if raw:
            if not raw.isdigit():
                raise ServiceError(f"Line {line}: URN “{raw}” is not a number.")
            urns.append(int(raw))
    schools = {s.urn: s for s in School.objects.filter(urn__in=urns).select_related("trust")}
    memberships = {}
    if programme is not None:
        memberships = {
            m.school_id: m
            for m in ClusterMembership.objects.current()
            .filter(programme=programme, school__urn__in=urns)
            .select_related("cluster")
        }
    sites = []
    for line, row in enumerate(rows, start=2):

        def get(column, row=row):
            return (row.get(columns[column], "") or "").strip() if column in columns else ""

        raw_urn = get("urn")
        urn = int(raw_urn) if raw_urn else None
        school = schools.get(urn) if urn else None
        name = get("name") or (school.name if school else "")
        if not name:
            raise ServiceError(
                f"Line {line}: URN {urn} is not in the school directory and the row has no name."
                if urn
                else f"Line {line}: the row has neither a URN nor a name."
            )
        easting = northing = None
        if has_bng:
            easting = _number(get("easting"), "easting", line)
            northing = _number(get("northing"), "northing", line)
        if (easting is None or northing is None) and lat_col and lon_col:
            lat = _number((row.get(lat_col) or ""), "lat", line)
            lon = _number((row.get(lon_col) or ""), "lon", line)
            if lat is not None and lon is not None:
                if not (49 <= lat <= 61 and -9 <= lon <= 3):
                    raise ServiceError(f"Line {line}: {lat}, {lon} is not in Great Britain.")
                easting, northing = bng_from_latlon(lat, lon)
        if easting is None or northing is None:
            raise ServiceError(f"Line {line}: {name} has no coordinates.")
        flag = get("flag").lower() in _TRUE
        pupils = _number(get("pupils"), "pupils", line)
        if pupils is not None:
            if pupils < 0 or pupils != int(pupils):
                raise ServiceError(f"Line {line}: pupils “{get('pupils')}” is not a whole number.")
            pupils = int(pupils)
        if school is not None:
            site = site_for_school(school, membership=memberships.get(school.pk))
            site.easting, site.northing = easting, northing
            site.latitude = site.longitude = None
            site.flag = flag
            if pupils is not None:
                site.pupils = pupils
        else:
            site = Site(
                urn=urn, name=name, easting=easting, northing=northing, flag=flag, pupils=pupils
            )
        sites.append(site)
    check_sites(sites)
    return sites


def check_sites(sites: list[Site]) -> None:
    """Refuse the same school twice and coordinates that cannot be on the National Grid."""
    if not sites:
        raise ServiceError("No schools were selected.")
    urns = Counter(s.urn for s in sites if s.urn is not None)
    repeated = sorted(urn for urn, count in urns.items() if count > 1)
    if repeated:
        raise ServiceError(
            f"{len(repeated)} school(s) are listed more than once: URN "
            f"{', '.join(map(str, repeated[:10]))}."
        )
    # Without URNs, the same name at the same place is the same school entered twice.
    same = Counter((s.name.lower(), s.easting, s.northing) for s in sites if s.urn is None)
    dupes = sorted(name for (name, _, _), count in same.items() if count > 1)
    if dupes:
        raise ServiceError(
            f"These sites are listed twice with the same coordinates: {', '.join(dupes[:10])}."
        )
    for s in sites:
        if not (
            _EASTING[0] <= s.easting <= _EASTING[1] and _NORTHING[0] <= s.northing <= _NORTHING[1]
        ):
            raise ServiceError(
                f"{s.name}: easting {s.easting:g}, northing {s.northing:g} is outside the "
                f"British National Grid (metres). Latitude/longitude belong in lat/lon columns."
            )


def colocated_groups(sites: list[Site]) -> list[list[Site]]:
    """Sets of distinct schools that share coordinates (usually one postcode centroid)."""
    groups = defaultdict(list)
    for s in sites:
        groups[(s.easting, s.northing)].append(s)
    return [g for g in groups.values() if len(g) > 1]


def sites_to_inputs(sites: list[Site], selection: str) -> dict:
    return {"selection": selection, "sites": [s.as_dict() for s in sites]}


def sites_from_inputs(inputs: dict) -> list[Site]:
    known = set(Site.__dataclass_fields__) - {"extra"}
    return [Site(**{k: v for k, v in row.items() if k in known}) for row in inputs["sites"]]
