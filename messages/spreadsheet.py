"""CSV files for spreadsheet programs: one writer for every export, every text cell neutralised.

A cell that starts with `=`, `+`, `-` or `@` is read as a formula by Excel, LibreOffice and
Google Sheets ("CSV injection"): `=HYPERLINK(...)` or `=cmd|' /c calc'!A1` typed into the bot
by anybody would run on the machine of the contact or admin who opens the export. A leading
tab or carriage return is stripped by some of them, and what follows then counts. OWASP's
"CSV Injection" page and ASVS 5.0 (1.2.10) name these characters and the remedy used here: a
single quote in front of the cell.

Why the apostrophe, not `="..."`: the wrapper is itself a formula, which LibreOffice shows
verbatim unless the user ticks "Evaluate formulas", and it needs the content escaped inside a
string literal — one more place to get wrong. The apostrophe is inert everywhere; where a
program shows it, the reader sees that the cell was neutralised. It also keeps phone numbers
(stored as `+49…`) as text with their plus sign instead of the number 49211… .
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

# First characters that make a spreadsheet program read a cell as a formula (NUL and LF
# as well: some programs drop them like tab and CR).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def cell(value: str) -> str:
    """Text that spreadsheet programs show as text, never run as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_document(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with BOM, `;`-separated, CRLF: German Excel opens it as it is.

    Every text cell (header included) goes through `cell`, so a new column cannot forget it;
    numbers and None (an empty cell) are written as they are.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in (header, *rows):
        writer.writerow([_neutral(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _neutral(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        return cell(value)
    if isinstance(value, int | float):
        return value
    raise TypeError(f"a CSV cell must be text or a number, not {type(value).__name__}")
