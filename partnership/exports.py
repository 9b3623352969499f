"""The one CSV writer: the directory download, the API's CSV and the admin's exports all use it.

Every text cell is made safe for spreadsheets (CSV injection): a value that starts like a
formula (=, +, -, @, a tab or a carriage return) is prefixed with a quote, so that a
spreadsheet shows it as text instead of running it. Numbers, booleans and other values are
written as they are; None is an empty cell.
"""

import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A CSV cell that a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(stream, header, rows):
    """A header row, then each row (a sequence of values) to a text stream, cells made safe."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(name) for name in header])
    for row in rows:
        writer.writerow([spreadsheet_safe(value) for value in row])


class _Line:
    """A file-like object whose write() hands back what it was given, for streaming."""

    def write(self, text):
        return text


def csv_lines(header, rows):
    """The same CSV as an iterator of lines, for a StreamingHttpResponse: memory stays flat
    however many rows there are."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield writer.writerow([spreadsheet_safe(name) for name in header])
    for row in rows:
        yield writer.writerow([spreadsheet_safe(value) for value in row])


def csv_text(header, rows):
    """The same CSV as one string."""
    buffer = io.StringIO()
    write_csv(buffer, header, rows)
    return buffer.getvalue()
