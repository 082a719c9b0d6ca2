"""Exports of a list: exactly the rows the user sees, as CSV or XLSX (openpyxl).

Columns are ``(heading, value)`` pairs where ``value`` is an attribute path
(``"programme.name"``, ``"get_kind_display"``) or a callable taking the row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

FORMATS = ("csv", "xlsx")
# A cell that starts like a formula runs as one in a spreadsheet (CSV injection): such text
# gets a leading apostrophe, which spreadsheets show as plain text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Column = tuple[str, str | Callable]


def cell(row, value: str | Callable):
    if callable(value):
        return value(row)
    result = row
    for part in value.split("."):
        if result is None:
            return None
        result = getattr(result, part)
        if callable(result):
            result = result()
    return result


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class _Echo:
    def write(self, value):
        return value


def csv_response(rows: Iterable, columns: Sequence[Column], filename: str):
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # Excel reads UTF-8 only with a byte-order mark
        yield writer.writerow([heading for heading, _ in columns])
        for row in rows:
            yield writer.writerow([_text(cell(row, value)) for _, value in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_value(value):
    if isinstance(value, dt.datetime):
        # spreadsheets have no time zones: write the local time the page shows
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None or isinstance(value, int | float | Decimal | dt.date):
        return value
    return _text(value)


def xlsx_response(rows: Iterable, columns: Sequence[Column], filename: str, *, title: str = ""):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(title or filename)[:31])
    sheet.append([heading for heading, _ in columns])
    for row in rows:
        sheet.append([_xlsx_value(cell(row, value)) for _, value in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def export_response(fmt: str, rows: Iterable, columns: Sequence[Column], filename: str):
    if fmt == "xlsx":
        return xlsx_response(rows, columns, filename)
    return csv_response(rows, columns, filename)
