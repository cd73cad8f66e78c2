"""Proposals beyond the happy path: merging a duplicate, rejecting, withdrawing, the limits,
erasure in every state, the English dialogue."""

from __future__ import annotations

from pathlib import Path

from bot.offline.fake_user import FakeUser
from bot.stats import format_table
from storage.stats import StatsRepository

from conftest import ADMIN_ID, FakeClock, Harness, make_settings, running
from stories.moderation import contact, person
from stories.privacy import erase
from stories.proposals import (
    ERIKA,
    MUENSTER_CONTACT,
    add_similar_idea,
    approved_by,
    forged_tap_refused,
    proposal_notice,
    submit,
)


async def status(h: Harness, proposal_id: int) -> str | None:
    found = await h.data.proposals.repo.get(proposal_id)
    return found.status if found else None


async def test_a_duplicate_is_merged_into_the_idea_the_moderator_picks(harness: Harness) -> None:
    target = await add_similar_idea(harness)
    kim = await contact(harness, "muensterland", MUENSTER_CONTACT)
    erika = await person(harness, ERIKA, "Erika")
    proposal = await submit(harness, erika)
    await harness.deliver()
    notice = proposal_notice(kim)

    await kim.tap("🔗 Duplikat", message=notice)
    assert notice.text.startswith("🔗 Mit welcher Idee soll der Vorschlag „Pflegeschule")
    assert notice.button_labels()[0] == "Digitale Pflegeschule für Quereinsteigende"
    assert await status(harness, proposal.id) == "pending"  # nothing decided yet
    await kim.tap("↩️ Zurück", message=notice)
    assert notice.text.startswith("💡 Vorschlag: Pflegeschule")
    await kim.tap("🔗 Duplikat", message=notice)
    await kim.tap("Digitale Pflegeschule für Quereinsteigende", message=notice)
    assert notice.text.startswith("🔗 Zusammengeführt von Kim")
    assert kim.answers[-1].text == "Zusammengeführt."

    merged = await harness.data.proposals.repo.get(proposal.id)
    assert merged is not None and merged.status == "merged" and merged.idea_id == target
    assert await harness.data.follows.is_following(target, ERIKA)
    await harness.deliver()
    assert erika.last.text.startswith(
        "🔗 Ihr Vorschlag „Pflegeschule für Quereinsteigende digital“ gleicht der Idee "
        "„Digitale Pflegeschule für Quereinsteigende“."
    )
    await erika.tap("💡 Zur Idee")
    assert erika.last.text.startswith("Digitale Pflegeschule für Quereinsteigende")
    log = await harness.data.moderation.log.decisions("proposal", proposal.id)
    assert log == [(MUENSTER_CONTACT, "merge", str(target))]
    audit = await harness.data.db.fetchall(
        "SELECT target FROM audit_log WHERE action = 'moderation'"
    )
    assert [r["target"] for r in audit] == [f"proposal:{proposal.id}"]


async def test_reject_needs_a_reason_and_a_contact_elsewhere_cannot_merge(
    harness: Harness,
) -> None:
    await add_similar_idea(harness)
    kim = await contact(harness, "muensterland", MUENSTER_CONTACT)
    kai = await contact(harness, "koeln", 700011, "Kai")
    erika = await person(harness, ERIKA, "Erika")
    proposal = await submit(harness, erika)
    await harness.deliver()
    notice = proposal_notice(kim)
    await forged_tap_refused(kai, notice, "🔗 Duplikat")

    await kim.tap("❌ Ablehnen", message=notice)
    assert "Ohne Begründung" not in kim.last.button_labels()  # required
    await kim.send("Das ist keine Idee für den Dialogprozess.")
    assert await status(harness, proposal.id) == "rejected"
    await harness.deliver()
    assert erika.last.text == (
        "❌ Ihr Vorschlag „Pflegeschule für Quereinsteigende digital“ wurde nicht veröffentlicht."
        "\nBegründung: Das ist keine Idee für den Dialogprozess."
    )


async def test_withdrawing_and_the_daily_limit(harness: Harness) -> None:
    erika = await person(harness, ERIKA, "Erika")
    first = await submit(harness, erika, "Erste Idee für die Region")
    await erika.command("meine_vorschlaege")
    assert erika.last.text.startswith("💡 Ihre Vorschläge\n\n1. Erste Idee für die Region")
    assert "⏳ wird geprüft" in erika.last.text
    await erika.tap("🗑 1 zurückziehen")
    await erika.tap("🗑 Ja, zurückziehen")
    assert erika.answers[-1].text == "Ihr Vorschlag ist zurückgezogen und gelöscht."
    assert erika.last.text.startswith("Sie haben noch keine Idee vorgeschlagen.")
    assert await status(harness, first.id) is None

    await submit(harness, erika, "Zweite Idee für die Region")
    await submit(harness, erika, "Dritte Idee für die Region")
    await erika.command("idee_vorschlagen")  # three today, one withdrawn: no refund
    assert erika.last.text.startswith("Sie haben in 1 Tag schon 3 Ideen vorgeschlagen")
    harness.clock.advance(days=1, seconds=1)
    await erika.command("idee_vorschlagen")
    assert erika.last.text.startswith("💡 Idee vorschlagen")


async def proposals_in_every_state(h: Harness, erika: FakeUser) -> dict[str, int]:
    """Erika's proposals: pending, changes, rejected, merged, approved (ids by status)."""
    target = await add_similar_idea(h)
    ids: dict[str, int] = {}
    for state in ("pending", "changes", "rejected", "merged", "approved"):
        h.clock.advance(days=1)  # three a day at most
        proposal = await submit(h, erika, f"Vorschlag im Zustand {state}")
        decision = {"changes": "changes", "rejected": "reject", "approved": "approve"}.get(state)
        if decision:
            await h.data.moderation.decide("proposal", proposal.id, ADMIN_ID, decision, "Grund")
        if state == "merged":
            await h.data.moderation.decide("proposal", proposal.id, ADMIN_ID, "merge", str(target))
        assert await status(h, proposal.id) == state
        ids[state] = proposal.id
    await h.deliver()
    return ids


async def erased_after_proposing(h: Harness) -> tuple[int, int]:
    """Erika, with proposals in every state, erases her data: the approved one's id and idea."""
    erika = await person(h, ERIKA, "Erika")
    ids = await proposals_in_every_state(h, erika)
    approved = await h.data.proposals.repo.get(ids["approved"])
    assert approved is not None and approved.idea_id is not None
    await erase(erika)
    return approved.id, approved.idea_id


async def test_erasure_keeps_only_the_published_proposal_anonymously(harness: Harness) -> None:
    approved_id, idea_id = await erased_after_proposing(harness)
    rows = await harness.data.db.fetchall("SELECT id, user_id, author_name FROM proposals")
    assert [tuple(r) for r in rows] == [(approved_id, None, "gelöschte Person")]
    assert await harness.data.ideas.get(idea_id) is not None
    notices = await harness.data.db.fetchall(
        "SELECT payload FROM outbox WHERE kind LIKE 'proposal_%' AND payload LIKE '%Zustand%'"
    )
    assert notices == []  # the moderators' notices of her proposals are scrubbed


async def test_remove_setting_takes_the_published_idea_too(db_path: Path, clock: FakeClock) -> None:
    settings = make_settings(db_path, IDEENLABOR_DELETED_COMMENTS="remove")
    async with running(settings, clock) as h:
        _, idea_id = await erased_after_proposing(h)
        assert await h.data.db.fetchall("SELECT id FROM proposals") == []
        assert await h.data.ideas.get(idea_id) is None
        assert h.errors == []


async def test_the_english_dialogue(harness: Harness) -> None:
    await add_similar_idea(harness)
    kim = await contact(harness, "muensterland", MUENSTER_CONTACT)
    john = await person(harness, 5005, "John", "en")
    await john.command("propose")
    assert john.last.text.startswith("💡 Propose an idea\nWhat is your idea called?")
    await john.send("Mentoring for apprentices in the crafts")
    assert john.last.text.startswith("🔍 Does it exist already? These ideas sound similar:")
    await john.tap("➡️ Propose anyway")
    assert john.last.text.startswith("In which region")
    await john.tap("Münsterland")
    assert john.last.text == "Which challenge does your idea fit?"
    await john.tap("None fits")
    await john.send("Apprentices meet experienced crafts people once a month to learn.")
    assert john.last.text.startswith("🔍 Does it exist already?")  # other ideas than before
    assert "Collaboration between industry" not in john.last.text
    await john.tap("➡️ Propose anyway")
    assert john.last.text.startswith("Would you like to help")
    await john.tap("No, thanks")
    assert john.last.text == "Under which name should your proposal appear?"
    await john.tap("As “anonymous”")
    assert john.last.text.startswith("👀 Preview of your proposal")
    assert "Appears under: anonymous" in john.last.text
    await john.tap("📨 Send")
    assert john.last.text.startswith("📨 Thank you! Your proposal")
    await approved_by(harness, kim)
    assert john.last.text.startswith(
        "✅ Your proposal “Mentoring for apprentices in the crafts” is now an idea"
    )
    await john.command("my_proposals")
    assert "✅ published" in john.last.text


async def test_statistics_count_proposals_by_status_and_region(harness: Harness) -> None:
    erika = await person(harness, ERIKA, "Erika")
    await proposals_in_every_state(harness, erika)
    stats = await StatsRepository(harness.data.db).collect(harness.clock())
    assert stats.proposals == {
        "pending": 1,
        "changes": 1,
        "approved": 1,
        "rejected": 1,
        "merged": 1,
    }
    assert list(stats.proposals_by_region) == ["Münsterland"]
    table = format_table(stats)
    assert "proposals               5 (pending 1, changes 1, approved 1, rejected 1," in table
    assert "  Münsterland" in table.split("proposals by region")[1]
    admin = await person(harness, ADMIN_ID, "Ada")
    await admin.command("statistik")
    text = "\n".join(admin.texts())
    assert "💡 Vorschläge nach Region und Status" in text
    assert "Münsterland: ⏳ wird geprüft 1, ✏️ Änderungen erbeten 1, ✅ veröffentlicht 1" in text
