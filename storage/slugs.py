"""Slugs for what staff create in the chat: from the title, unique in their table."""

from __future__ import annotations

import re
import unicodedata

from storage.db import Transaction

MAX_LENGTH = 40  # as the import format allows (storage.import_models.Slug)
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_TABLES = frozenset({"ideas", "working_groups", "contacts", "organisations", "workshops"})


def slugify(title: str, fallback: str = "eintrag") -> str:
    """A slug from a title: lower case, umlauts folded, words joined by '-', at most 40
    characters, cut at a word boundary ("Dachmarke für Köln" → dachmarke-fuer-koeln)."""
    text = unicodedata.normalize("NFC", title).casefold().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.findall(r"[a-z0-9]+", text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_LENGTH:
            break
        slug = candidate
    if not slug and words:  # one word longer than the limit
        slug = words[0][:MAX_LENGTH]
    return slug or fallback


async def unique_slug(tx: Transaction, table: str, title: str, fallback: str = "eintrag") -> str:
    """slugify(title), with -2, -3, ... appended while the table already has it."""
    if table not in _TABLES:
        raise ValueError(f"no slugs in table {table!r}")
    base = slugify(title, fallback)
    # Every candidate starts with at least the first 30 characters of base.
    rows = await tx.fetchall(f"SELECT slug FROM {table} WHERE slug LIKE ?", (f"{base[:30]}%",))
    taken = {str(r["slug"]) for r in rows}
    if base not in taken:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        number += 1
