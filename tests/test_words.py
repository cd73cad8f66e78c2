"""Words as a reader sees them: region names, plurals, German order, the region finder's labels."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from messages.catalog import LANGUAGES, catalog, placeholders, t, tn
from storage.collation import sort_key

from conftest import Harness

REGIONS = Path(__file__).parent.parent / "bot" / "data" / "nrw-regions.json"


def _region_names(language: str) -> list[str]:
    import json

    regions = json.loads(REGIONS.read_text("utf-8"))["regions"]
    return [r.get("name_en", r["name"]) if language == "en" else r["name"] for r in regions]


def _plain(text: str) -> str:
    """What the reader sees: tags dropped, entities resolved, quotes and spaces evened out."""
    return html.unescape(re.sub(r"<[^>]*>", "", text))


def _fill(names: set[str], **given: object) -> dict[str, object]:
    return {name: given.get(name, "7" if name in COUNTS else "Xyz") for name in names}


# ---- region names ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_with_a_region_reads_right_for_all_16_regions(language: str) -> None:
    """A region's name is used as it is; no template puts „Region“ before it."""
    texts = catalog(language)
    keys = [key for key, text in texts.items() if "region" in placeholders(text)]
    assert len(keys) > 20
    bad: list[str] = []
    for key in keys:
        for name in _region_names(language):
            rendered = _plain(t(language, key, **_fill(placeholders(texts[key]), region=name)))
            before = rendered[: rendered.index(name)]
            if re.search(r"\bregions?[\s„“”\"'(]*$", before, re.I):
                bad.append(f"{key}: {rendered[:90]}")
                break
    assert bad == []


async def test_the_region_finder_and_a_region_page_name_the_region_once(harness: Harness) -> None:
    erika = harness.user()
    await erika.send("Köln")
    assert "Region Region" not in erika.last.text
    assert "Köln" in erika.last.text and "Region Köln" in erika.last.text
    await erika.send("Lüdenscheid")
    assert "Region Märkische" not in erika.last.text and "Märkische Region" in erika.last.text
    john = harness.user(4712, "John", language_code="en")
    await john.send("Köln")
    assert "region Cologne Region" not in john.last.text and "Cologne Region" in john.last.text


# ---- plurals --------------------------------------------------------------------------------

# Placeholders that carry a number of things. Length limits (max, min, …: „höchstens {max}
# Zeichen“) are not among them: they are fixed in the code, never 1, and always plural.
COUNTS = {
    "count", "total", "n", "days", "years", "length", "confirmed", "waiting", "pending",
    "approved", "rejected", "sent", "blocked", "failed", "users", "ratings", "capacity", "free",
}  # fmt: skip
# A number followed by one of these words reads right for every count („3 von 5“).
NEUTRAL = {"von", "of", "bis", "to"}
PLURAL_FORMS = {"zero", "one", "two", "few", "many", "other"}


def _groups(language: str) -> dict[str, set[str]]:
    """Plural groups: key → its forms (key.one, key.other)."""
    out: dict[str, set[str]] = {}
    for key in catalog(language):
        base, _, form = key.rpartition(".")
        if form in PLURAL_FORMS:
            out.setdefault(base, set()).add(form)
    return {base: forms for base, forms in out.items() if "one" in forms}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_count_stands_before_a_word_outside_a_plural_group(language: str) -> None:
    """„1 Meldungen“: a number followed by a noun or verb must come from plural forms (tn)."""
    bad = []
    for key, text in catalog(language).items():
        if key.rpartition(".")[2] in PLURAL_FORMS:
            continue
        for name in placeholders(text) & COUNTS:
            for match in re.finditer(r"\{" + name + r"(?::\w+)?\}", text):
                after = re.sub(r"^(?:[ \t]|</?\w+>)*", "", text[match.end() :])
                word = re.match(r"[^\W\d_]+", after)
                if word and word.group(0) not in NEUTRAL:
                    bad.append(f"{key}: {text[:80]}")
    assert bad == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_count_message_renders_with_0_1_2_and_5(language: str) -> None:
    groups = _groups(language)
    assert len(groups) > 30
    seen_one = set()
    for base, forms in groups.items():
        assert {"one", "other"} <= forms, base
        names = set().union(*(placeholders(catalog(language)[f"{base}.{f}"]) for f in forms))
        assert "count" in names, f"{base} must show its count"
        for count in (0, 1, 2, 5):
            text = tn(language, base, count, **_fill(names - {"count"}))
            assert str(count) in _plain(text) or count == 0, (base, count)
            if count == 1:
                seen_one.add(text)
                assert text == t(language, f"{base}.one", **_fill(names, count=1))
            else:
                assert text == t(language, f"{base}.other", **_fill(names, count=count))
    assert seen_one


def test_the_plural_groups_are_the_same_in_both_languages() -> None:
    assert _groups("de").keys() == _groups("en").keys()


# ---- order ----------------------------------------------------------------------------------


def test_the_sort_key_sorts_as_german_readers_expect() -> None:
    names = ["Münsterland", "Mittlerer Niederrhein", "Märkische Region", "MEO", "mittel", "Zülpich"]
    assert sorted(names, key=sort_key) == [
        "Märkische Region", "MEO", "mittel", "Mittlerer Niederrhein", "Münsterland", "Zülpich",
    ]  # fmt: skip


async def test_the_region_list_is_in_german_order(harness: Harness) -> None:
    erika = harness.user()
    await erika.command("regionen")
    labels = [label.rsplit(" (", 1)[0] for label in erika.last.button_labels() if "(" in label]
    regions = [label for label in labels if not label.startswith("Ohne")]
    assert regions.index("Märkische Region") < regions.index("Mittlerer Niederrhein")
    assert regions == sorted(regions, key=sort_key)


# ---- the region finder ----------------------------------------------------------------------


async def test_a_district_is_named_with_its_kind_once(harness: Harness) -> None:
    erika = harness.user()
    await erika.send("Kreis Soest")
    assert "Kreis Soest (Kreis)" not in erika.last.text
    assert "Kreis Soest" in erika.last.text and "Hellweg-Hochsauerland" in erika.last.text


async def test_suggestions_are_short_enough_to_read_whole(harness: Harness) -> None:
    erika = harness.user()
    for typed in ("Eslohe Sauerlnd", "Sundern Sauerlnad", "Bad", "Neukirchen"):
        await erika.send(typed)
        labels = erika.last.button_labels()[:-1]
        assert labels, typed
        assert not any(label.endswith("…") for label in labels), labels
        assert len(set(labels)) == len(labels), labels


@pytest.mark.parametrize(
    ("typed", "region"),
    [
        ("Köln-Ehrenfeld", "Region Köln"),
        ("Essen-Steele", "MEO"),
        ("Dortmund Hörde", "Westfälisches Ruhrgebiet"),
        ("Mülheim", "MEO"),
    ],
)
async def test_town_parts_resolve_to_their_town(harness: Harness, typed: str, region: str) -> None:
    erika = harness.user()
    await erika.send(typed)
    assert "nicht gefunden" not in erika.last.text
    assert region in erika.last.text or any(region in b for b in erika.last.button_labels())


# ---- words ----------------------------------------------------------------------------------


def _de_texts() -> dict[str, str]:
    folder = Path(__file__).parent.parent / "messages" / "locales" / "de"
    out: dict[str, str] = {}
    for path in folder.glob("*.yaml"):
        out[path.name] = path.read_text("utf-8")
        yaml.safe_load(out[path.name])
    return out


def test_german_texts_say_interessierte_and_name_authors_fairly() -> None:
    for name, text in _de_texts().items():
        without_command = text.replace("/interessenten", "")
        assert "Interessent" not in without_command, name
        assert not re.search(r"\bVerfasser\b(?! oder| und|in)", text), name


def test_help_tells_about_the_process() -> None:
    about = _plain(t("de", "about"))
    for fact in ("September 2016", "Open.NRW", "halbtägig", "Regionalagenturen"):
        assert fact in about
    assert "Land der guten und fairen Arbeit im digitalen Wandel" in about
    assert "September 2016" in _plain(t("en", "about")) and "half-day" in _plain(t("en", "about"))


def test_the_marked_contacted_notice_says_what_happened() -> None:
    for language, words in (("de", "hat Sie kontaktiert"), ("en", "has contacted you")):
        text = t(language, "wg.notice.contacted", contact="Anna", group="Pflege")
        assert words in text and "bearbeitet" not in text
