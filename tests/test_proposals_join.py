"""„Ich möchte an der Umsetzung mitarbeiten“ leads into Mitmachen: once the proposal is an
idea, its author gets „🙋 Mitmachen“ (consent screen, the region's contact receives the
registration); the idea names its origin in the issue's words."""

from __future__ import annotations

from pathlib import Path

from bot.offline.fake_user import FakeUser

from conftest import ADMIN_ID, FakeClock, Harness, make_settings, running
from stories.moderation import contact, person
from stories.privacy import erase
from stories.proposals import (
    DESCRIPTION,
    ENGLISH,
    ERIKA,
    MUENSTER_CONTACT,
    TITLE,
    approved_by,
    submit,
    up_to_helping,
)

JOHN = 5005


def registration_notices(contact: FakeUser) -> list[str]:
    """What the contact received about registrations of interest."""
    return [m.text for m in contact.messages if "Neue Meldung" in m.text]


async def test_the_author_who_wants_to_help_joins_from_the_approval_notice(
    harness: Harness,
) -> None:
    kim = await contact(harness, "muensterland", MUENSTER_CONTACT)
    erika = await person(harness, ERIKA, "Erika")
    await up_to_helping(erika, TITLE, DESCRIPTION)
    # The question says truthfully how the contact details are passed on, and when.
    question = erika.last.text
    assert question.startswith("Möchten Sie an der Umsetzung mitarbeiten?")
    assert "Wird Ihr Vorschlag veröffentlicht" in question
    assert "„🙋 Mitmachen“" in question
    await erika.tap("🙋 Ja, ich möchte mitarbeiten")
    await erika.tap("Als Erika")
    await erika.tap("📨 Absenden")
    await approved_by(harness, kim)

    approved = erika.last
    assert approved.text.startswith(f"✅ Ihr Vorschlag „{TITLE}“ ist jetzt eine Idee")
    assert "„🙋 Mitmachen“" in approved.text
    assert approved.button_labels() == ["💡 Zur Idee", "🙋 Mitmachen", "💡 Meine Vorschläge"]
    await erika.command("meine_vorschlaege")
    assert "🙋 1 Mitmachen" in erika.last.button_labels()

    await erika.tap("🙋 Mitmachen", message=approved)
    assert erika.last.text.startswith(f"Mitmachen in der Arbeitsgruppe „{TITLE}“.")
    await erika.tap("✅ Übernehmen: Erika")
    await erika.send("erika@example.org")
    await erika.tap("⏭ Überspringen")
    await erika.tap("⏭ Überspringen")
    consent = erika.last.text
    assert consent.startswith("Bitte prüfen Sie, was weitergegeben wird")
    assert f"Arbeitsgruppe: {TITLE} (Münsterland)" in consent
    assert "Ihr Name und Ihre E-Mail gehen an die Ansprechperson für Münsterland." in consent
    assert registration_notices(kim) == []  # nothing passed on before the consent
    await erika.tap("✅ Einverstanden, senden")
    await harness.deliver()

    notices = registration_notices(kim)
    assert len(notices) == 1
    assert notices[0].startswith(f"🙋 Neue Meldung für die Arbeitsgruppe „{TITLE}“ (Münsterland)")
    assert "erika@example.org" in notices[0]
    proposal = (await harness.data.proposals.repo.of_user(ERIKA))[0]
    assert proposal.idea_id is not None
    groups = await harness.data.workgroups.repo.groups_of_idea(proposal.idea_id)
    assert [g.name for g in groups] == [TITLE]
    # Registered: /meine_vorschlaege no longer offers it.
    await erika.command("meine_vorschlaege")
    assert not [b for b in erika.last.button_labels() if "Mitmachen" in b]


async def test_the_english_author_joins_and_the_contact_receives_it(harness: Harness) -> None:
    kim = await contact(harness, "muensterland", MUENSTER_CONTACT)
    john = await person(harness, JOHN, "John", "en")
    title = "Mentoring for apprentices in the crafts"
    description = "Apprentices meet experienced crafts people once a month to learn."
    await up_to_helping(john, title, description, ENGLISH)
    assert "If your proposal is published" in john.last.text
    assert "“🙋 Join in”" in john.last.text
    await john.tap("🙋 Yes")
    await john.tap("As John")
    await john.tap("📨 Send")
    await approved_by(harness, kim)

    approved = john.last
    assert approved.text.startswith("✅ Your proposal “Mentoring for apprentices")
    assert approved.button_labels() == ["💡 To the idea", "🙋 Join in", "💡 My proposals"]
    await john.command("my_proposals")
    assert "🙋 Join in: 1" in john.last.button_labels()
    await john.tap("🙋 Join in: 1")
    assert john.last.text.startswith("Joining the working group “Mentoring for apprentices")
    await john.tap("✅ Use: John")
    for _ in range(3):
        await john.tap("⏭ Skip")
    assert "Your name goes to the contact for Münsterland." in john.last.text
    await john.tap("✅ I agree, send")
    await harness.deliver()
    notices = registration_notices(kim)
    assert len(notices) == 1
    assert title in notices[0]
    assert "John" in notices[0]


async def test_no_mitmachen_when_the_author_said_no(harness: Harness) -> None:
    await contact(harness, "muensterland", MUENSTER_CONTACT)
    erika = await person(harness, ERIKA, "Erika")
    proposal = await submit(harness, erika, helps=False)
    await harness.data.moderation.decide("proposal", proposal.id, ADMIN_ID, "approve")
    await harness.deliver()
    assert erika.last.text.startswith(f"✅ Ihr Vorschlag „{TITLE}“ ist jetzt eine Idee")
    assert "Mitmachen" not in erika.last.text
    assert erika.last.button_labels() == ["💡 Zur Idee", "💡 Meine Vorschläge"]
    await erika.command("meine_vorschlaege")
    assert not [b for b in erika.last.button_labels() if "Mitmachen" in b]
    decided = await harness.data.proposals.repo.get(proposal.id)
    assert decided is not None and decided.idea_id is not None
    assert await harness.data.workgroups.repo.groups_of_idea(decided.idea_id) == []


async def test_the_idea_names_its_origin_in_both_languages(harness: Harness) -> None:
    erika = await person(harness, ERIKA, "Erika")
    john = await person(harness, JOHN, "John", "en")
    proposal = await submit(harness, erika, helps=False)
    await harness.data.moderation.decide("proposal", proposal.id, ADMIN_ID, "approve")
    decided = await harness.data.proposals.repo.get(proposal.id)
    assert decided is not None and decided.idea_id is not None
    idea = await harness.data.ideas.get(decided.idea_id)
    assert idea is not None
    await erika.command("start", f"idea_{idea.slug}")
    assert "Herkunft: Vorschlag aus der Bürgerschaft" in erika.last.text
    await john.command("start", f"idea_{idea.slug}")
    assert "Origin: proposed by citizens" in john.last.text


async def test_the_group_goes_with_the_idea_when_erasure_removes_it(
    db_path: Path, clock: FakeClock
) -> None:
    settings = make_settings(db_path, IDEENLABOR_DELETED_COMMENTS="remove")
    async with running(settings, clock) as h:
        erika = await person(h, ERIKA, "Erika")
        proposal = await submit(h, erika, helps=True)
        await h.data.moderation.decide("proposal", proposal.id, ADMIN_ID, "approve")
        decided = await h.data.proposals.repo.get(proposal.id)
        assert decided is not None and decided.idea_id is not None
        assert len(await h.data.workgroups.repo.groups_of_idea(decided.idea_id)) == 1
        await erase(erika)
        assert await h.data.ideas.get(decided.idea_id) is None
        # Its name was her title: it goes too.
        assert (
            await h.data.db.fetchall("SELECT id FROM working_groups WHERE name = ?", (TITLE,)) == []
        )
        assert h.errors == []
