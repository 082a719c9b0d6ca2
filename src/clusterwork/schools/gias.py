"""Reading and checking a GIAS "all establishments" CSV. Pure functions: no database.

The real download (edubasealldataYYYYMMDD.csv, get-information-schools.service.gov.uk/Downloads)
is Windows-1252 with 140 columns; any subset of those columns is accepted as long as it has
``URN`` and ``EstablishmentName``. Columns are matched by their exact GIAS header names.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from .models import LocalAuthority, Phase, School, Trust

REQUIRED_COLUMNS = ("URN", "EstablishmentName")

# GIAS header -> School field, for plain text values.
TEXT_COLUMNS = {
    "EstablishmentName": "name",
    "TypeOfEstablishment (name)": "establishment_type",
    "PhaseOfEducation (name)": "phase",
    "EstablishmentStatus (name)": "status",
    "Town": "town",
    "Postcode": "postcode",
    "Gender (name)": "gender",
    "OfstedRating (name)": "ofsted_rating",
    "SchoolWebsite": "website",
}
INT_COLUMNS = {
    "NumberOfPupils": "number_of_pupils",
    "StatutoryLowAge": "statutory_low_age",
    "StatutoryHighAge": "statutory_high_age",
}
DATE_COLUMNS = {
    "OfstedLastInsp": "ofsted_date",
    "OpenDate": "open_date",
    "CloseDate": "close_date",
}
LA_NAME, LA_CODE = "LA (name)", "LA (code)"
TRUST_CODE, TRUST_NAME, TRUST_FLAG = "Trusts (code)", "Trusts (name)", "TrustSchoolFlag (name)"
STATUS = "EstablishmentStatus (name)"
EASTING, NORTHING = "Easting", "Northing"
# GIAS itself has no latitude/longitude; other extracts do, under one of these names.
LATITUDE_NAMES = ("Latitude", "latitude", "lat")
LONGITUDE_NAMES = ("Longitude", "longitude", "lon", "long")

# GIAS's own "no local authority" entry (e.g. British schools overseas, LA code 0).
NO_LOCAL_AUTHORITY = "Does not apply"

# British National Grid extent (EPSG:27700 area of use, rounded outwards).
EASTING_RANGE = (0, 700_000)
NORTHING_RANGE = (0, 1_300_000)
# Great Britain and its islands, for files that carry WGS84 instead of BNG.
LATITUDE_RANGE = (49.0, 61.5)
LONGITUDE_RANGE = (-9.0, 2.5)
# The two coordinates a row gives (the GiasRow attribute and its range), in column order.
GRID_PAIR = (("easting", EASTING_RANGE), ("northing", NORTHING_RANGE))
LATLON_PAIR = (("latitude", LATITUDE_RANGE), ("longitude", LONGITUDE_RANGE))

MAX_PUPILS = 2_147_483_647
MAX_AGE = 32_767  # PositiveSmallIntegerField


def _max_lengths() -> dict[str, int]:
    lengths = {
        column: School._meta.get_field(name).max_length for column, name in TEXT_COLUMNS.items()
    }
    lengths[LA_NAME] = LocalAuthority._meta.get_field("name").max_length
    lengths[LA_CODE] = LocalAuthority._meta.get_field("code").max_length
    lengths[TRUST_NAME] = Trust._meta.get_field("name").max_length
    lengths[TRUST_CODE] = Trust._meta.get_field("gias_code").max_length
    return lengths


MAX_LENGTHS = _max_lengths()
PHASES = frozenset(Phase.values)


class GiasFormatError(Exception):
    """The file as a whole cannot be read as a GIAS CSV; nothing should be imported."""


@dataclass
class Reject:
    line: int  # physical line in the source file where the record starts; header = 1
    urn: str  # as written in the file, which may be the problem
    reason: str


@dataclass
class GiasRow:
    line: int
    urn: int
    values: dict  # School field -> value, only for columns present in the file
    la_name: str | None = None  # None: column absent; "": present but empty
    la_code: str = ""
    trust_code: str | None = None
    trust_name: str = ""
    trust_flag: str = ""
    easting: float | None = None
    northing: float | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class ParsedFile:
    header: list[str]
    rows: list[GiasRow] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    rows_read: int = 0
    skipped: int = 0  # not open, with only_open

    @property
    def has_coordinates(self) -> bool:
        return self.has_grid or self.has_latlon

    @property
    def has_grid(self) -> bool:
        return EASTING in self.header and NORTHING in self.header

    @property
    def has_latlon(self) -> bool:
        return _first_present(self.header, LATITUDE_NAMES) is not None and (
            _first_present(self.header, LONGITUDE_NAMES) is not None
        )


def _first_present(header, names) -> str | None:
    return next((name for name in names if name in header), None)


def decode(data: bytes, source: str) -> str:
    """Text of a GIAS download, which is Windows-1252; refuses anything else it can recognise.

    UTF-8 (with or without a byte-order mark) is accepted too, because a file re-saved from
    Excel often is; a UTF-8 file read as cp1252 would import mangled names silently.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise GiasFormatError(
            f"{source} looks like UTF-16 text, not a GIAS CSV. GIAS downloads are Windows-1252; "
            "save the file as 'CSV (Comma delimited)' or download it again."
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_strict(data[3:], "utf-8", source)
    if not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return _decode_strict(data, "cp1252", source)


def _decode_strict(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise GiasFormatError(
            f"{source} is not a Windows-1252 (or UTF-8) text file: byte 0x{data[error.start]:02x} "
            f"on line {line} cannot be decoded. GIAS downloads are Windows-1252; download the "
            "file again from get-information-schools.service.gov.uk/Downloads."
        ) from None


def check_header(header: list[str], source: str) -> None:
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        found = ", ".join(repr(name) for name in header[:30]) or "nothing"
        if len(header) > 30:
            found += f", … ({len(header)} columns)"
        raise GiasFormatError(
            f"{source} is missing the column(s) {', '.join(missing)}; a GIAS establishments "
            f"file needs at least URN and EstablishmentName. Found: {found}."
        )
    duplicates = sorted({name for name in header if name and header.count(name) > 1})
    if duplicates:
        raise GiasFormatError(f"{source} has duplicate column(s): {', '.join(duplicates)}.")


def parse_date(text: str) -> dt.date:
    """GIAS writes DD-MM-YYYY; ISO YYYY-MM-DD is accepted for hand-made files."""
    parts = text.split("-")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        parts = text.split("/")
        if len(parts) != 3 or not all(part.isdigit() for part in parts):
            raise ValueError(text)
    if len(parts[0]) == 4:
        year, month, day = parts
    elif len(parts[2]) == 4:
        day, month, year = parts
    else:
        raise ValueError(text)
    return dt.date(int(year), int(month), int(day))


def normalise_website(text: str) -> str:
    # GIAS often omits the scheme ("www.example.sch.uk"), which a link would treat as relative.
    if text and "://" not in text:
        return "http://" + text
    return text


def parse(text: str, source: str, *, only_open: bool = False) -> ParsedFile:
    """Check every row; good rows become ``GiasRow``, bad ones ``Reject`` with the reason."""
    buffer = io.StringIO(text, newline="")
    reader = csv.reader(buffer)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise GiasFormatError(f"{source} is empty.") from None
    check_header(header, source)
    if only_open and STATUS not in header:
        raise GiasFormatError(
            f"{source} has no '{STATUS}' column, so --only-open cannot tell which schools are open."
        )
    index = {name: position for position, name in enumerate(header)}
    text_columns = [(index[c], c, f) for c, f in TEXT_COLUMNS.items() if c in index]
    int_columns = [(index[c], c, f) for c, f in INT_COLUMNS.items() if c in index]
    date_columns = [(index[c], c, f) for c, f in DATE_COLUMNS.items() if c in index]
    lat_name = _first_present(header, LATITUDE_NAMES)
    lon_name = _first_present(header, LONGITUDE_NAMES)
    # The coordinates read: the grid when the file has it, else latitude and longitude.
    if EASTING in index and NORTHING in index:
        pair = (index[EASTING], index[NORTHING], GRID_PAIR)
    elif lat_name is not None and lon_name is not None:
        pair = (index[lat_name], index[lon_name], LATLON_PAIR)
    else:
        pair = None
    width = len(header)
    urn_at, status_at = index["URN"], index.get(STATUS)

    parsed = ParsedFile(header=header)
    first_line_of: dict[int, int] = {}
    previous_end = reader.line_num
    for record in reader:
        line = previous_end + 1
        previous_end = reader.line_num
        if not record or (len(record) == 1 and not record[0].strip()):
            continue
        parsed.rows_read += 1
        raw_urn = record[urn_at].strip() if urn_at < len(record) else ""
        if len(record) != width:
            parsed.rejects.append(
                Reject(line, raw_urn, f"has {len(record)} fields but the header has {width}")
            )
            continue
        if only_open and not record[status_at].strip().startswith("Open"):
            parsed.skipped += 1
            continue
        problems = []
        urn = None
        if raw_urn.isdigit() and 0 < int(raw_urn) <= 2_147_483_647:
            urn = int(raw_urn)
            if urn in first_line_of:
                problems.append(f"duplicate URN in file (first on line {first_line_of[urn]})")
            else:
                first_line_of[urn] = line
        else:
            problems.append(f"bad URN {raw_urn!r}" if raw_urn else "bad URN (empty)")

        values = {}
        for at, column, name in text_columns:
            value = record[at].strip()
            if len(value) > MAX_LENGTHS[column]:
                problems.append(f"{column} is too long ({len(value)} > {MAX_LENGTHS[column]})")
            values[name] = value
        if "name" in values and not values["name"]:
            problems.append("EstablishmentName is empty")
        if values.get("phase") and values["phase"] not in PHASES:
            problems.append(f"unknown phase {values['phase']!r}")
        if "website" in values:
            values["website"] = normalise_website(values["website"])
            if len(values["website"]) > MAX_LENGTHS["SchoolWebsite"]:
                problems.append("SchoolWebsite is too long")
        for at, column, name in int_columns:
            value = record[at].strip()
            if not value:
                values[name] = None
            elif value.isdigit() and int(value) <= (
                MAX_PUPILS if name == "number_of_pupils" else MAX_AGE
            ):
                values[name] = int(value)
            else:
                problems.append(f"bad number in {column}: {value!r}")
        for at, column, name in date_columns:
            value = record[at].strip()
            if not value:
                values[name] = None
                continue
            try:
                values[name] = parse_date(value)
            except ValueError:
                problems.append(f"bad date in {column}: {value!r}")

        row = GiasRow(line=line, urn=urn or 0, values=values)
        if LA_NAME in index:
            row.la_name = record[index[LA_NAME]].strip()
            row.la_code = record[index[LA_CODE]].strip() if LA_CODE in index else ""
            if row.la_name == NO_LOCAL_AUTHORITY:
                row.la_name, row.la_code = "", ""
            for column, value in ((LA_NAME, row.la_name), (LA_CODE, row.la_code)):
                if len(value) > MAX_LENGTHS[column]:
                    problems.append(f"{column} is too long ({len(value)} > {MAX_LENGTHS[column]})")
        if TRUST_CODE in index or TRUST_NAME in index:
            row.trust_code = record[index[TRUST_CODE]].strip() if TRUST_CODE in index else ""
            row.trust_name = record[index[TRUST_NAME]].strip() if TRUST_NAME in index else ""
            row.trust_flag = record[index[TRUST_FLAG]].strip() if TRUST_FLAG in index else ""
            if row.trust_code and not row.trust_name:
                problems.append(f"Trusts (code) {row.trust_code} has no Trusts (name)")
            for column, value in ((TRUST_NAME, row.trust_name), (TRUST_CODE, row.trust_code)):
                if len(value) > MAX_LENGTHS[column]:
                    problems.append(f"{column} is too long ({len(value)} > {MAX_LENGTHS[column]})")
        if pair:
            first_at, second_at, specs = pair
            problem = _read_pair(row, record[first_at], record[second_at], *specs)
            if problem:
                problems.append(problem)

        if problems:
            parsed.rejects.append(Reject(line, raw_urn, "; ".join(problems)))
        else:
            parsed.rows.append(row)
    return parsed


def _read_pair(row: GiasRow, first: str, second: str, first_spec, second_spec) -> str | None:
    first, second = first.strip(), second.strip()
    if not first and not second:
        return None
    (first_name, first_range), (second_name, second_range) = first_spec, second_spec
    try:
        a, b = float(first), float(second)
    except ValueError:
        return f"bad coordinates: {first_name} {first!r}, {second_name} {second!r} (not numbers)"
    if not (first_range[0] <= a <= first_range[1] and second_range[0] <= b <= second_range[1]):
        return (
            f"bad coordinates: {first_name} {first}, {second_name} {second} (outside Great Britain)"
        )
    setattr(row, first_name, a)
    setattr(row, second_name, b)
    return None


@lru_cache(maxsize=2)
def _transformer(source_crs: str, target_crs: str):
    from pyproj import Transformer

    return Transformer.from_crs(source_crs, target_crs, always_xy=True)


def convert_coordinates(rows: list[GiasRow]) -> None:
    """Fill latitude/longitude from BNG (or BNG from latitude/longitude), all rows at once."""
    grid = [row for row in rows if row.easting is not None]
    if grid:
        x = np.fromiter((row.easting for row in grid), float, len(grid))
        y = np.fromiter((row.northing for row in grid), float, len(grid))
        lon, lat = _transformer("EPSG:27700", "EPSG:4326").transform(x, y)
        for row, latitude, longitude in zip(grid, lat.tolist(), lon.tolist(), strict=True):
            row.latitude, row.longitude = round(latitude, 6), round(longitude, 6)
            row.easting, row.northing = round(row.easting), round(row.northing)
    wgs = [row for row in rows if row.easting is None and row.latitude is not None]
    if wgs:
        lon = np.fromiter((row.longitude for row in wgs), float, len(wgs))
        lat = np.fromiter((row.latitude for row in wgs), float, len(wgs))
        x, y = _transformer("EPSG:4326", "EPSG:27700").transform(lon, lat)
        for row, easting, northing in zip(wgs, x.tolist(), y.tolist(), strict=True):
            row.easting, row.northing = round(easting), round(northing)
            row.latitude, row.longitude = round(row.latitude, 6), round(row.longitude, 6)


def read_file(path: Path, *, only_open: bool = False) -> ParsedFile:
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise GiasFormatError(f"{source} does not exist.") from None
    except IsADirectoryError:
        raise GiasFormatError(f"{source} is a directory, not a CSV file.") from None
    parsed = parse(decode(data, source), source, only_open=only_open)
    convert_coordinates(parsed.rows)
    return parsed
