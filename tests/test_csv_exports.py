"""Every CSV export neutralises every text cell that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

import pytest
from workgroup_helpers import IDEA, link_contact, load

from messages.spreadsheet import FORMULA_START, cell, csv_document

from conftest import Harness
from stories.workshops import add_workshop, open_detail, register_typed

HOSTILE_EMAIL = "=cmd|calc@x.de"  # a valid address by RFC 5322's local-part rules


def cells(content: bytes) -> list[list[str]]:
    """The rows of a CSV export as a spreadsheet program reads them."""
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def no_formula(rows: list[list[str]]) -> None:
    """No cell of any row starts like a formula."""
    for row in rows:
        for value in row:
            assert not value.startswith(FORMULA_START), (value, row)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised(start: str) -> None:
    assert cell(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"
    no_formula(cells(csv_document(["h"], [[f"{start}1+1"], [f"{start}x", 3]])))


def test_ordinary_text_numbers_and_empty_cells_stay() -> None:
    assert cell("Erika Müller") == "Erika Müller" and cell("") == ""
    assert cell("a=b") == "a=b"  # only the first character counts
    content = csv_document(["Nr.", "Name"], [[1, "Erika"], [-2, None]])
    assert content.decode("utf-8-sig") == "Nr.;Name\r\n1;Erika\r\n-2;\r\n"


async def test_interest_export_neutralises_email_phone_name_and_message(harness: Harness) -> None:
    await load(harness)
    anna = await link_contact(harness)
    mallory = harness.user(4711, "@SUM(1+1)")
    await mallory.command("start", f"idea_{IDEA}")
    await mallory.tap("🙋 Mitmachen")
    await mallory.tap("✅ Übernehmen: @SUM(1+1)")
    await mallory.send(HOSTILE_EMAIL)
    assert "Telefon" in mallory.last.text, mallory.last.text  # the address was accepted
    await mallory.send("0211 987654")
    await mallory.send("-1+cmd|' /c calc'!A0")
    await mallory.tap("✅ Einverstanden, senden")
    await anna.command("interessenten")
    await anna.tap("📄 Export (CSV)")
    assert anna.last.document is not None
    header, row = cells(anna.last.document.content)
    values = dict(zip(header, row, strict=True))
    assert values["Name"] == "'@SUM(1+1)"
    assert values["E-Mail"] == "'" + HOSTILE_EMAIL
    assert values["Telefon"] == "'+49211987654"  # text, with its plus: Excel keeps "+49"
    assert values["Nachricht"] == "'-1+cmd|' /c calc'!A0"
    no_formula([header, row])


async def test_participant_export_neutralises_names(harness: Harness) -> None:
    workshop_id = await add_workshop(harness, capacity=5)
    await register_typed(harness, workshop_id, [("+1", "Plus"), ("-Minus", ""), ("@at", "x")])
    admin = harness.admin()
    await open_detail(admin, workshop_id)
    await admin.tap("👥 Teilnehmende (3)")
    await admin.tap("CSV-Export")
    assert admin.last.document is not None
    rows = cells(admin.last.document.content)
    assert [r[1] for r in rows[1:]] == ["'+1 Plus", "'-Minus", "'@at x"]
    no_formula(rows)
