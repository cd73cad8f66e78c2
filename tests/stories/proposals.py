"""Shared steps of the proposal tests: the people, the proposal's text, a similar idea."""

from __future__ import annotations

from bot.offline.fake_user import FakeUser
from bot.offline.records import SentMessage
from storage.import_models import ImportBundle

from conftest import ADMIN_ID, Harness
from stories.moderation import person

MUENSTER_CONTACT = 700010
OTHER_CONTACT = 700011
ERIKA = 4711
TITLE = "Pflegeschule für Quereinsteigende digital"
DESCRIPTION = (
    "Menschen, die in die Pflege wechseln, lernen abends digital und am Wochenende in der "
    "Praxis – begleitet von erfahrenen Pflegekräften aus dem Münsterland."
)


async def add_similar_idea(h: Harness) -> int:
    """An idea in the Münsterland that looks like the proposal."""
    bundle = ImportBundle.model_validate(
        {
            "ideas": [
                {
                    "slug": "pflegeschule-digital",
                    "title": "Digitale Pflegeschule für Quereinsteigende",
                    "region": "muensterland",
                    "summary": "Abendkurse für den Wechsel in die Pflege.",
                }
            ]
        }
    )
    await h.data.importer.apply(bundle, h.clock())
    idea = await h.data.ideas.get_by_slug("pflegeschule-digital")
    assert idea is not None
    return idea.id


async def contact_of(h: Harness, region: str, user_id: int, name: str) -> FakeUser:
    """A regional contact (moderates the region's proposals)."""
    user = await person(h, user_id, name)
    found = await h.data.regions.get_by_slug(region)
    assert found is not None
    await h.data.roles.grant(user_id, "contact", found.id, ADMIN_ID, h.clock())
    return user


def proposal_notice(user: FakeUser) -> SentMessage:
    """The newest notice of a proposal to review."""
    for message in reversed(user.messages):
        if message.text.startswith("💡") and "zur Freigabe" in message.text:
            return message
    raise AssertionError(f"no proposal notice: {user.texts()!r}")
