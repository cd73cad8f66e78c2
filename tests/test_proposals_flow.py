"""A citizen proposes an idea: the dialogue, „Gibt es schon?“, moderation by the region's
contact (changes, resubmission, approval), the idea on the map, in search, followed."""

from __future__ import annotations

from bot.config import Settings
from bot.offline.fake_api import FakeBotApi
from bot.offline.fake_user import FakeUser

from conftest import FakeClock, Harness, running
from stories.moderation import contact, person
from stories.proposals import (
    DESCRIPTION,
    ERIKA,
    MUENSTER_CONTACT,
    OTHER_CONTACT,
    TITLE,
    add_similar_idea,
    forged_tap_refused,
    past_similar,
    proposal_notice,
)


async def propose(erika: FakeUser) -> None:
    """Erika proposes TITLE in the Münsterland (by typing Münster), skipping a similar idea."""
    await erika.tap("💡 Idee vorschlagen", message=erika.keyboard_message())
    assert erika.last.text.startswith("💡 Idee vorschlagen\nWie heißt Ihre Idee?")
    await erika.send("Pfl")
    assert erika.last.text.startswith("Der Titel ist zu kurz – bitte mindestens 5 Zeichen.")
    await erika.send(TITLE)
    similar = erika.last
    assert similar.text.startswith("🔍 Gibt es schon? Diese Ideen klingen ähnlich:")
    assert "Digitale Pflegeschule für Quereinsteigende (Münsterland)" in similar.text
    await erika.tap("Digitale Pflegeschule", message=similar)
    assert erika.last.text.startswith("Digitale Pflegeschule für Quereinsteigende\nMünsterland")
    await erika.tap("➡️ Trotzdem vorschlagen", message=similar)
    assert erika.last.text.startswith("In welcher Region soll Ihre Idee umgesetzt werden?")
    await erika.send("Münster")
    assert erika.last.text == "Zu welcher Herausforderung passt Ihre Idee?"
    await erika.tap("Passt zu keiner")
    assert erika.last.text.startswith("Beschreiben Sie Ihre Idee (30 bis 3000 Zeichen)")
    await past_similar(erika, DESCRIPTION)
    assert erika.last.text.startswith("Möchten Sie an der Umsetzung mitarbeiten?")
    await erika.send("Ich kenne eine Schule in Coesfeld, die mitmachen würde.")
    assert erika.last.text.startswith("Möchten Sie an der Umsetzung mitarbeiten?")
    assert "Ihren Text habe ich aufgehoben" in erika.messages[-2].text
    await erika.tap("🙋 Ja, ich möchte mitarbeiten")
    assert erika.last.text == "Unter welchem Namen soll Ihr Vorschlag erscheinen?"
    await erika.tap("Als Erika")
    preview = erika.last
    assert preview.text.startswith(f"👀 Vorschau Ihres Vorschlags\n{TITLE}\nMünsterland · keine")
    assert "Erscheint unter: Erika" in preview.text
    assert "📝 Zuletzt geschriebenen Text als Beschreibung" in preview.button_labels()


async def test_a_proposal_is_revised_approved_and_becomes_an_idea(harness: Harness) -> None:
    similar_id = await add_similar_idea(harness)
    muenster = await contact(harness, "muensterland", MUENSTER_CONTACT)
    other = await contact(harness, "koeln", OTHER_CONTACT, "Kai")
    erika = await person(harness, ERIKA, "Erika")
    region = await harness.data.regions.get_by_slug("muensterland")
    assert region is not None
    ideas_before = region.idea_count

    await propose(erika)
    await erika.tap("📨 Absenden")
    assert erika.last.text.startswith("📨 Danke! Ihr Vorschlag „Pflegeschule")
    await harness.deliver()

    notice = proposal_notice(muenster)
    assert notice.text.startswith(f"💡 Neuer Vorschlag zur Freigabe\n{TITLE}\nMünsterland")
    assert "🙋 möchte an der Umsetzung mitarbeiten" in notice.text
    assert notice.button_labels() == ["✅ Freigeben", "✏️ Änderungen", "❌ Ablehnen", "🔗 Duplikat"]
    assert not [m for m in other.messages if "Vorschlag" in m.text]  # not Köln's

    # A contact of another region cannot decide (a forged tap on the same button).
    await forged_tap_refused(other, notice, "✅ Freigeben")

    # Kim asks for a change; the reason is required.
    await muenster.tap("✏️ Änderungen", message=notice)
    assert muenster.last.text.startswith("✏️ Änderungen erbitten")
    await muenster.send("Bitte nennen Sie eine Stadt, in der es beginnen soll.")
    assert muenster.last.text.startswith("✏️ Änderungen erbeten von Kim")
    await harness.deliver()
    told = erika.last
    assert told.text.startswith("✏️ Zu Ihrem Vorschlag „Pflegeschule")
    assert "Begründung: Bitte nennen Sie eine Stadt" in told.text

    # Erika revises: the dialogue opens at the preview with her text; she changes the
    # description and sends it again.
    await erika.tap("✍️ Vorschlag überarbeiten", message=told)
    assert erika.last.text.startswith("👀 Vorschau Ihres Vorschlags")
    await erika.tap("✏️ Beschreibung")
    await past_similar(erika, DESCRIPTION + " Beginnen soll es in Münster.")
    assert "Beginnen soll es in Münster." in erika.last.text
    await erika.tap("📨 Absenden")
    assert erika.last.text.startswith("📨 Danke! Ihr überarbeiteter Vorschlag")
    await harness.deliver()
    revised = proposal_notice(muenster)
    assert revised.text.startswith("💡 Überarbeiteter Vorschlag zur Freigabe")

    await muenster.tap("✅ Freigeben", message=revised)
    assert muenster.last.text.startswith("✅ Freigegeben von Kim")
    await harness.deliver()
    approved = erika.last
    assert approved.text.startswith("✅ Ihr Vorschlag „Pflegeschule")
    assert [m for m in muenster.messages if m.text.startswith("✅ Ein Vorschlag aus Ihrer Region")]

    proposal = (await harness.data.proposals.repo.of_user(ERIKA))[0]
    assert proposal.status == "approved" and proposal.idea_id is not None
    idea = await harness.data.ideas.get(proposal.idea_id)
    assert idea is not None and idea.origin == "citizen" and idea.status == "idea"
    assert idea.region_id == region.id and idea.title == TITLE
    assert await harness.data.follows.is_following(idea.id, ERIKA)
    assert not await harness.data.follows.is_following(similar_id, ERIKA)
    # On the map's counts, in the region's list, in search.
    region_after = await harness.data.regions.get(region.id)
    assert region_after is not None and region_after.idea_count == ideas_before + 1
    page = await harness.data.ideas.page_by_region(region.id, 0)
    assert TITLE in [item.title for item in page.items]
    found = await harness.data.search.search("Pflegeschule Quereinsteigende", page=0)
    assert idea.id in [hit.id for hit in found.items]

    await erika.tap("💡 Zur Idee", message=approved)
    assert erika.last.text.startswith(TITLE)
    assert "Herkunft: Vorschlag aus der Bürgerschaft" in erika.last.text

    await erika.command("meine_vorschlaege")
    assert "✅ veröffentlicht" in erika.last.text
    decisions = await harness.data.moderation.log.decisions("proposal", proposal.id)
    assert [entry.action for entry in decisions] == ["changes", "resubmit", "approve"]


async def test_pre_filled_from_a_region_page_and_surviving_a_restart(
    settings: Settings, clock: FakeClock
) -> None:
    api = FakeBotApi()
    async with running(settings, clock, api) as h:
        erika = await person(h, ERIKA, "Erika")
        await erika.command("regionen")
        await erika.tap("Münsterland")
        await erika.tap("💡 Idee vorschlagen")
        await past_similar(erika, "Werkstatt für Ehrenamtliche im Kreis")
        assert erika.last.text == "Zu welcher Herausforderung passt Ihre Idee?"  # region known
        assert h.errors == []
    async with running(settings, clock, api) as h:  # a restart: the draft is still there
        erika = h.user(user_id=ERIKA, first_name="Erika", language_code="de")
        await erika.tap("Passt zu keiner")
        assert erika.last.text.startswith("Beschreiben Sie Ihre Idee")
        await erika.command("abbrechen")
        assert await h.data.drafts.get(ERIKA) is None
        assert h.errors == []


async def test_pre_filled_from_a_challenge_page(harness: Harness) -> None:
    erika = await person(harness, ERIKA, "Erika")
    challenge = (await harness.data.ideas.challenges())[0]
    await erika.command("herausforderungen")
    await erika.tap(f"{challenge.position} (")
    await erika.tap("💡 Idee vorschlagen")
    await past_similar(erika, "Werkstatt für Ehrenamtliche im Kreis")
    await erika.tap("Münsterland")
    assert erika.last.text.startswith("Beschreiben Sie Ihre Idee")  # the challenge is known
    draft = await harness.data.drafts.get(ERIKA)
    assert draft is not None and draft.data["challenge_id"] == challenge.id
