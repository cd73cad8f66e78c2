"""Shared set-up for the working-group tests: an import with groups and contacts, linking."""

from __future__ import annotations

import re

from bot.importfile import parse_bundle
from bot.offline.fake_user import FakeUser

from conftest import Harness

IDEA = "we-make-you-sexy-niederrhein"
GROUP = "Fachkräfte NiederRhein"
CONTACT_ID = 5001


def bundle() -> dict[str, object]:
    """Two regions with a group each; NiederRhein has an imported contact."""
    return {
        "ideas": [{"slug": "pflege-koeln", "title": "Pflege in Köln", "region": "koeln"}],
        "working_groups": [
            {
                "slug": "ag-niederrhein",
                "name": GROUP,
                "region": "niederrhein",
                "ideas": [IDEA],
                "description": "Wir bringen die Idee voran.",
            },
            {
                "slug": "ag-koeln",
                "name": "Pflege Köln",
                "region": "koeln",
                "ideas": ["pflege-koeln"],
            },
        ],
        "contacts": [
            {
                "slug": "anna",
                "region": "niederrhein",
                "name": "Anna Schmidt",
                "organisation": "Regionalagentur NiederRhein",
                "email": "anna.schmidt@example.org",
                "phone": "02841 123456",
            }
        ],
    }


async def load(harness: Harness) -> None:
    """Import the working groups and contacts."""
    await harness.data.importer.apply(parse_bundle(bundle()), harness.clock())


async def invite_link(harness: Harness, region: str = "niederrhein") -> str:
    """The admin's invitation payload for a region."""
    admin = harness.admin()
    await admin.command("kontakt_einladen", region)
    match = re.search(
        r"https://t\.me/IdeenlaborBot\?start=(contact_[A-Za-z0-9_-]+)", admin.last.text
    )
    assert match, admin.last.text
    return match.group(1)


async def link_contact(
    harness: Harness, user_id: int = CONTACT_ID, region: str = "niederrhein"
) -> FakeUser:
    """A contact opens the invitation link."""
    contact = harness.user(user_id, "Anna")
    await contact.command("start", await invite_link(harness, region))
    assert "Sie sind jetzt als Ansprechperson" in contact.last.text, contact.last.text
    return contact


async def register(
    user: FakeUser,
    *,
    email: str | None = None,
    phone: str | None = None,
    message: str | None = None,
) -> None:
    """Mitmachen on the idea, up to the consent screen (not yet agreed)."""
    await user.command("start", f"idea_{IDEA}")
    await user.tap("🙋 Mitmachen")
    await user.tap("✅ Übernehmen: Erika")
    for value in (email, phone, message):
        if value is None:
            await user.tap("⏭ Überspringen")
        else:
            await user.send(value)


async def rows(harness: Harness) -> list[dict[str, object]]:
    """Every stored registration."""
    found = await harness.data.db.fetchall("SELECT * FROM interest_registrations ORDER BY id")
    return [dict(r) for r in found]
