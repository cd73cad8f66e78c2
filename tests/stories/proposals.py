"""Shared steps of the proposal tests: the people, the proposal's text, a similar idea."""

from __future__ import annotations

from dataclasses import dataclass

from bot.offline.fake_user import FakeUser
from bot.offline.records import SentMessage
from storage.import_models import IdeaIn
from storage.models import Proposal
from storage.proposals import ProposalFields

from conftest import Harness
from stories.moderation import NOT_ALLOWED, imported

MUENSTER_CONTACT = 700010
OTHER_CONTACT = 700011
ERIKA = 4711
TITLE = "Pflegeschule für Quereinsteigende digital"
DESCRIPTION = (
    "Menschen, die in die Pflege wechseln, lernen abends digital und am Wochenende in der "
    "Praxis – begleitet von erfahrenen Pflegekräften aus dem Münsterland."
)


@dataclass(frozen=True)
class Dialogue:
    """What a person types and taps in the proposal dialogue, in one language."""

    command: str
    none_fits: str  # the challenge
    similar: str  # how „Gibt es schon?“ begins
    anyway: str


GERMAN = Dialogue(
    "idee_vorschlagen", "Passt zu keiner", "🔍 Gibt es schon?", "➡️ Trotzdem vorschlagen"
)
ENGLISH = Dialogue("propose", "None fits", "🔍 Does it exist already?", "➡️ Propose anyway")


async def add_similar_idea(h: Harness) -> int:
    """An idea in the Münsterland that looks like the proposal."""
    [idea_id] = await imported(
        h,
        IdeaIn(
            slug="pflegeschule-digital",
            title="Digitale Pflegeschule für Quereinsteigende",
            region="muensterland",
            summary="Abendkurse für den Wechsel in die Pflege.",
        ),
    )
    return idea_id


async def submit(
    h: Harness, user: FakeUser, title: str = TITLE, *, helps: bool = False
) -> Proposal:
    """A proposal in the Münsterland by Erika, as the dialogue sends it."""
    region = await h.data.regions.get_by_slug("muensterland")
    assert region is not None
    fields = ProposalFields(title, DESCRIPTION, region.id, None, helps)
    proposal = await h.data.proposals.submit(user.user_id, "Erika", fields)
    assert proposal is not None
    return proposal


async def past_similar(user: FakeUser, text: str, words: Dialogue = GERMAN) -> None:
    """Send a title or description; past „Gibt es schon?“ if similar ideas are shown."""
    await user.send(text)
    if user.last.text.startswith(words.similar):
        await user.tap(words.anyway)


async def up_to_helping(
    user: FakeUser, title: str, description: str, words: Dialogue = GERMAN
) -> None:
    """Through the dialogue in the Münsterland, no challenge, up to „… mitarbeiten?“."""
    await user.command(words.command)
    await past_similar(user, title, words)
    await user.tap("Münsterland")
    await user.tap(words.none_fits)
    await past_similar(user, description, words)


def proposal_notice(user: FakeUser) -> SentMessage:
    """The newest notice of a proposal to review."""
    for message in reversed(user.messages):
        if message.text.startswith("💡") and "zur Freigabe" in message.text:
            return message
    raise AssertionError(f"no proposal notice: {user.texts()!r}")


async def approved_by(h: Harness, contact: FakeUser) -> None:
    """The proposal's notice reaches the contact, who approves it; the author is told."""
    await h.deliver()
    await contact.tap("✅ Freigeben", message=proposal_notice(contact))
    await h.deliver()


async def forged_tap_refused(other: FakeUser, notice: SentMessage, label: str) -> None:
    """A contact of another region taps a button of the notice (forged): not allowed."""
    data = notice.find_button(label).callback_data
    assert data is not None
    await other.tap_data(data, message=other.last)
    assert other.answers[-1].text is not None
    assert other.answers[-1].text.startswith(NOT_ALLOWED)
