"""The dashboards' tables: one description serves the page, the CSV and the XLSX export, so a
download always matches what the page shows."""

import csv
import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from diplomacy_portal.exports import csv_text

TEXT, NUMBER, DATE, PERCENT = "text", "number", "date", "percent"


@dataclass(frozen=True)
class Link:
    text: str
    url: str

    def __str__(self):
        return self.text


@dataclass(frozen=True)
class Badge:
    """A short coloured label, e.g. a city's health."""

    text: str
    level: str

    def __str__(self):
        return self.text


@dataclass
class Column:
    label: str
    kind: str = TEXT
    # The key that sorts the page's table by this column (health table only), else "".
    sort: str = ""


@dataclass
class Table:
    """Rows of raw values (numbers, dates, text or Links); the template formats them."""

    slug: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    # The first column names each row (a <th scope="row">).
    row_headers: bool = True
    # How many rows there are in all when `rows` holds only the first of them (a page's table;
    # its download has them all); None: `rows` is every row.
    total: int | None = None

    @property
    def body(self) -> list[list[tuple[str, object]]]:
        """Each row's cells with the kind of their column, for the template."""
        return [
            [(c.kind, value) for c, value in zip(self.columns, row, strict=True)]
            for row in self.rows
        ]

    @property
    def cut_short(self) -> bool:
        return self.total is not None and self.total > len(self.rows)

    def first(self, count: int) -> "Table":
        """This table as a page shows it: its first `count` rows (the downloads keep all)."""
        if len(self.rows) <= count:
            return self
        return replace(self, rows=self.rows[:count], total=len(self.rows))


def plain(value):
    """A cell as a spreadsheet keeps it: links as their text, None as empty."""
    if value is None:
        return ""
    if isinstance(value, Link | Badge):
        return value.text
    return value


def _csv_cell(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return csv_text(plain(value))


def _xlsx_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=plain(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never a formula
    return cell


class _Echo:
    def write(self, value):
        return value


def _csv_lines(table: Table) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark, so spreadsheet programs read the Persian text as UTF-8.
    yield "\ufeff"
    yield writer.writerow([column.label for column in table.columns])
    for row in table.rows:
        yield writer.writerow([_csv_cell(value) for value in row])


def csv_response(table: Table, filename: str) -> StreamingHttpResponse:
    """The table as CSV, streamed row by row."""
    response = StreamingHttpResponse(_csv_lines(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(table: Table, filename: str) -> HttpResponse:
    """The table as an Excel workbook of one sheet, written in openpyxl's streaming mode."""
    workbook = Workbook(write_only=True)
    # Excel refuses these characters and more than 31 of them in a sheet's name.
    sheet = workbook.create_sheet(title=re.sub(r"[\\/*?:\[\]]", " ", table.title)[:31] or "Sheet")
    sheet.append([column.label for column in table.columns])
    for row in table.rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
