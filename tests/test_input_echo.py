"""What someone typed is quoted back shortened; forged out-of-range buttons are only stale.

Catalog texts mark a field that quotes input as `{name:short}`; `t()` shortens it (and only
it), so every caller of such a text gets a reply Telegram accepts, whatever was typed.
"""

from __future__ import annotations

import re
import string

import pytest
from workgroup_helpers import IDEA, load

from messages import actions as cb
from messages.actions import ConfirmErase
from messages.catalog import LANGUAGES, QUOTE_LIMIT, Html, catalog, t

from conftest import Harness
from stories.dialogues import refused
from stories.newsreaders import news_reader

LONG = "x" * 4100
STALE = "Diese Schaltfläche ist nicht mehr gültig."


def quoted(text: str) -> list[str]:
    """The parts of a German message between „ and “."""
    return re.findall(r"„([^“]*)“", text)


def assert_echo_shortened(text: str) -> None:
    """The message quotes something, and every quote is at most QUOTE_LIMIT characters."""
    found = quoted(text)
    assert found, text
    assert all(len(q) <= QUOTE_LIMIT for q in found), found
    assert any(q.endswith("…") for q in found), found


def test_quoted_fields_are_marked_alike_in_every_language() -> None:
    def fields(text: str) -> set[tuple[str, str | None]]:
        return {(name, spec) for _, name, spec, _ in string.Formatter().parse(text) if name}

    reference = catalog("de")
    marked = {key for key, text in reference.items() if any(s for _, s in fields(text))}
    assert {"wg.invalid.email", "wg.invalid.phone", "find.nothing"} <= marked
    for language in LANGUAGES:
        for key, text in catalog(language).items():
            assert fields(text) == fields(reference[key]), (language, key)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_quoted_field_is_shortened_and_escaped_after_shortening(language: str) -> None:
    text = t(language, "wg.invalid.email", value="<b>&" + "a" * 4100)
    assert len(text) < 200
    assert text.count("&amp;") == 1 and "&lt;b&gt;" in text and "…" in text
    short = t(language, "wg.invalid.email", value="a@b")
    assert "a@b" in short and "…" not in short
    with pytest.raises(TypeError):
        t(language, "wg.invalid.email", value=Html("<b>x</b>"))  # quoted input is plain text


async def test_a_4100_character_email_is_quoted_short(harness: Harness) -> None:
    await load(harness)
    erika = harness.user()
    await erika.command("start", f"idea_{IDEA}")
    await erika.tap("🙋 Mitmachen")
    await erika.tap("✅ Übernehmen: Erika")
    await refused(harness, erika, LONG + "@example.org", "ist keine gültige E-Mail-Adresse")
    assert_echo_shortened(erika.last.text)
    await erika.tap("⏭ Überspringen")
    await refused(harness, erika, "1" * 50 + "x" * 4100, "ist keine gültige Telefonnummer")
    assert_echo_shortened(erika.last.text)


async def test_region_and_contact_arguments_are_quoted_short(harness: Harness) -> None:
    await load(harness)
    admin = harness.admin()
    await admin.command("start")
    await admin.command("rolle_vergeben", str(admin.user_id), "kontakt", LONG)
    assert "kenne ich nicht" in admin.last.text
    assert_echo_shortened(admin.last.text)
    await admin.command("kontakt_einladen", LONG)
    assert_echo_shortened(admin.last.text)
    await admin.command("kontakt_einladen", "niederrhein", LONG)
    assert_echo_shortened(admin.last.text)


async def test_an_unknown_long_command_is_quoted_short(harness: Harness) -> None:
    user = harness.user()
    await user.send("/" + "befehl" * 700)
    assert "kenne ich nicht" in user.last.text
    assert len(user.last.text) < 200 and "…" in user.last.text


async def test_a_long_place_query_is_quoted_short(harness: Harness) -> None:
    user = harness.user()
    await user.send("Dortmnd " + "x" * 70)  # at most 80 characters are looked up
    assert_echo_shortened(user.last.text)


def test_a_timestamp_beyond_what_a_date_can_hold_is_invalid_callback_data() -> None:
    assert cb.parse(ConfirmErase(999_999_999_999).encode()) is None
    assert cb.parse(ConfirmErase(1_764_064_800).encode()) == ConfirmErase(1_764_064_800)


async def test_a_forged_far_future_deletion_confirmation_is_stale(harness: Harness) -> None:
    erika = harness.user()
    await erika.command("daten_loeschen")
    await erika.tap_data(ConfirmErase(999_999_999_999).encode())
    assert erika.answers[-1].text == STALE
    assert await harness.data.users.get(erika.user_id) is not None


EXTREMES = (0, 1, 6, 2**31, cb.MAX_ID - 1)


async def test_every_button_with_extreme_numbers_gets_an_answer_and_no_error(
    harness: Harness,
) -> None:
    """Every registered action, every int field at the edges, tapped by an admin and a citizen."""
    admin, citizen = harness.admin(), harness.user()
    for person in (admin, citizen):
        await person.command("start")
    for code, cls in sorted(cb.registry().items()):
        for number in EXTREMES:
            values: dict[str, object] = {}
            for f in cls.SPEC:
                if f.numbers is not None:
                    values[f.name] = number
                elif f.word is not None:
                    values[f.name] = f.word.example
                else:
                    values[f.name] = sorted(f.texts or ())[0]
            data = cls(**values).encode()
            for person in (admin, citizen):
                # Buttons are on text messages only (an .ics or CSV file has none; the shipped
                # data has workshops, so "wc" with a small id sends a file).
                shown = next(m for m in reversed(person.messages) if m.document is None)
                await person.tap_data(data, message=shown)
                assert harness.errors == [], (code, data, harness.errors)
    # Showing what a message shows already is refused by Telegram and deliberately ignored.
    refused = [c for c in harness.api.errors if "not modified" not in c.description]
    assert refused == [], refused
    harness.api.errors.clear()


async def test_an_audit_filter_of_thousands_of_digits_is_explained(harness: Harness) -> None:
    admin = harness.admin()
    await admin.command("protokoll", "1" * 5000)  # int() refuses more than 4300 digits
    assert admin.last.text.startswith("So filtern Sie das Protokoll")


async def test_a_broadcast_padded_with_blank_lines_is_stored_as_it_is_shown(
    harness: Harness,
) -> None:
    """Only the text between the blank lines counts and is kept (Telegram would refuse 10,000)."""
    admin = await news_reader(harness, harness.admin())
    await admin.command("rundschreiben")
    await admin.send("\n" * 5000 + "Hallo & <b>alle</b>" + "\n" * 5000)
    await admin.tap("Alle (1)")
    assert "\n\nHallo & <b>alle</b>\n\n" in admin.last.text
    draft = await harness.data.drafts.get(admin.user_id)
    assert draft is not None and draft.data["text"] == "Hallo &amp; &lt;b&gt;alle&lt;/b&gt;"
