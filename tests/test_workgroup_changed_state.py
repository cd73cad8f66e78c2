"""Registrations of interest that changed under a contact: withdrawn, erased, already marked,
updated since the contact saw them."""

from __future__ import annotations

import pytest
from workgroup_helpers import GROUP, link_contact, load, register, rows

from bot.offline.fake_user import FakeUser
from bot.services.workgroups import Details, GroupClosedError
from handlers import workgroup_flow
from messages.actions import MarkContacted, Withdraw

from conftest import Harness
from stories.privacy import erase
from stories.screens import copies
from stories.workgroups import EMAIL, MARK, announced, update_details, withdraw

WITHDRAWN = "Diese Meldung gibt es nicht mehr: Die Person hat sie zurückgezogen."
GONE = "Diese Meldung gibt es nicht mehr: Sie wurde zurückgezogen und gelöscht."
OUTDATED = (
    "Die Person hat diese Meldung inzwischen aktualisiert: Die aktuellen Angaben stehen in der"
    " neueren Nachricht. Es wurde nichts markiert."
)
MARKED = "✅ Als kontaktiert markiert."
UPDATED_EARLIER = (
    f"✏️ Aktualisiert: Die Person hat diese Meldung für die Arbeitsgruppe „{GROUP}“ (NiederRhein)"
    " inzwischen aktualisiert; die aktuellen Angaben stehen in der neueren Nachricht."
)
PHONE = "+49 2841 99887"


async def told_contacted(h: Harness, erika: FakeUser) -> list[str]:
    """What Erika was told about being contacted."""
    await h.deliver()
    return [text for text in erika.texts() if "hat Ihre Meldung zur Arbeitsgruppe" in text]


async def audited(h: Harness) -> int:
    """How many "contacted" entries the audit log has."""
    row = await h.data.db.fetchone(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'interest_contacted'"
    )
    return int(row["n"]) if row else 0


async def test_marking_a_withdrawn_registration_says_it_no_longer_exists(
    harness: Harness,
) -> None:
    anna, erika, notice = await announced(harness)
    stale = notice.callback_data(MARK) or ""  # tapped before the notice was edited
    await withdraw(erika)
    await harness.deliver()
    assert "hat die Meldung für die Arbeitsgruppe" in anna.last.text
    assert notice.text.startswith("↩️ Zurückgezogen") and notice.buttons == []
    await anna.tap_data(stale, message=notice)
    assert anna.answers[-1].text == WITHDRAWN
    assert notice.buttons == []  # the stale button is gone
    [row] = await rows(harness)
    assert row["status"] == "withdrawn" and row["contacted_by"] is None
    assert await told_contacted(harness, erika) == []
    assert await audited(harness) == 0


async def test_marking_after_the_citizen_erased_their_data(harness: Harness) -> None:
    anna, erika, notice = await announced(harness)
    await erase(erika)
    assert erika.last.text.startswith("✅ Ihre Daten wurden gelöscht.")
    stale = notice.callback_data(MARK) or ""  # tapped before the notice was edited
    await harness.deliver()
    assert notice.text.startswith("↩️ Zurückgezogen") and "erika@" not in notice.text
    await anna.tap_data(stale, message=notice)
    assert anna.answers[-1].text == GONE
    assert "Berechtigung" not in anna.last.text  # no refusal: Anna may mark, it is just gone
    assert notice.buttons == []
    assert await rows(harness) == []
    assert await told_contacted(harness, erika) == []
    assert await audited(harness) == 0


async def test_a_registration_marked_already_is_not_marked_twice(harness: Harness) -> None:
    anna, erika, notice = await announced(harness)
    ben = await link_contact(harness, 5002)  # a second contact of NiederRhein
    await harness.deliver()
    [bens_notice] = [m for m in ben.messages if m.buttons == [[MARK]]]  # (and the news offer)
    harness.clock.advance(days=1)
    await anna.tap(MARK, message=notice)
    assert anna.answers[-1].text == "✅ Als kontaktiert markiert."
    assert notice.buttons == []
    await ben.tap(MARK, message=bens_notice)
    assert ben.answers[-1].text == (
        "Diese Meldung ist bereits seit dem 26.11.2026 als kontaktiert markiert."
    )
    assert bens_notice.buttons == []
    assert len(await told_contacted(harness, erika)) == 1
    assert await audited(harness) == 1


async def test_the_list_shows_what_happened_after_a_tap(harness: Harness) -> None:
    anna, erika, _ = await announced(harness)
    await anna.command("interessenten")
    listing = anna.last
    assert "1. <b>Erika</b>" in listing.html and "· neu" in listing.text
    assert listing.buttons[0] == ["✅ Nr. 1 kontaktiert"]
    await anna.command("interessenten")
    older = anna.last
    await anna.tap("✅ Nr. 1 kontaktiert", message=listing)
    assert anna.answers[-1].text == "✅ Als kontaktiert markiert."
    assert "· kontaktiert" in listing.text
    assert listing.buttons == [["📄 Export (CSV)"], ["« Hauptmenü"]]
    # An older copy of the list: told, and shown as it is now.
    await withdraw(erika)
    await anna.tap("✅ Nr. 1 kontaktiert", message=older)
    assert anna.answers[-1].text == WITHDRAWN
    assert "Es gibt noch keine Meldungen." in older.text  # withdrawn ones are not listed
    assert older.buttons == [["« Hauptmenü"]]
    assert len(await told_contacted(harness, erika)) == 1


async def test_an_update_edits_the_older_notice_without_its_details(harness: Harness) -> None:
    anna, erika, notice = await announced(harness)
    assert EMAIL in notice.text and "Erika" in notice.text
    harness.clock.advance(days=1)
    await update_details(erika, phone=PHONE)
    await harness.deliver()
    updated = anna.last
    assert updated is not notice
    assert "Aktualisierte Meldung" in updated.text and "Telefon: +49284199887" in updated.text
    assert EMAIL in updated.text and updated.buttons == [[MARK]]
    # The older notice says it was updated, without the details it had and without its button.
    assert notice.text == UPDATED_EARLIER
    assert EMAIL not in notice.html and "Erika" not in notice.html
    assert "Gemeldet am" not in notice.text and notice.buttons == []
    # The newer notice marks the version it shows.
    await anna.tap(MARK, message=updated)
    assert anna.answers[-1].text == MARKED
    [row] = await rows(harness)
    assert (row["status"], row["contacted_by"], row["revision"]) == ("contacted", anna.user_id, 2)
    assert len(await told_contacted(harness, erika)) == 1


async def test_each_older_notice_is_edited_once(harness: Harness) -> None:
    anna, erika, first = await announced(harness)
    await update_details(erika, phone=PHONE)
    await harness.deliver()
    second = anna.last
    await update_details(erika, phone="+49 2841 11111")
    await harness.deliver()
    third = anna.last
    assert first.text == UPDATED_EARLIER and second.text == UPDATED_EARLIER
    assert "Telefon: +49284111111" in third.text and third.buttons == [[MARK]]
    edits = await harness.data.db.fetchall(
        "SELECT json_extract(payload, '$.edit_message_id') AS edited, state FROM outbox"
        " WHERE kind = 'wg_updated_edit' ORDER BY id"
    )
    assert [(r["edited"], r["state"]) for r in edits] == [
        (first.message_id, "sent"),
        (second.message_id, "sent"),
    ]  # the first notice is not edited again (Telegram would refuse the same text)


async def test_a_withdrawal_after_an_update_edits_every_notice(harness: Harness) -> None:
    anna, erika, first = await announced(harness)
    await update_details(erika, phone=PHONE)
    await harness.deliver()
    second = anna.last
    await withdraw(erika)
    await harness.deliver()
    for notice in (first, second):
        assert notice.text.startswith("↩️ Zurückgezogen") and notice.buttons == []
        assert PHONE not in notice.text and EMAIL not in notice.text


async def test_an_english_contact_reads_that_the_notice_was_updated(harness: Harness) -> None:
    anna, erika, notice = await announced(harness)
    await harness.data.users.set_language(anna.user_id, "en", harness.clock())
    await update_details(erika, phone=PHONE)
    await harness.deliver()
    assert notice.text == (
        "✏️ Updated: the person has since updated this registration for the working group"
        f" “{GROUP}” (NiederRhein); the newer message has the current details."
    )


async def test_the_notice_of_an_older_version_marks_nothing(harness: Harness) -> None:
    anna, erika, notice = await announced(harness)
    stale = notice.callback_data(MARK) or ""  # tapped before the notice was edited
    harness.clock.advance(days=1)
    await update_details(erika, phone=PHONE)
    await harness.deliver()
    updated = anna.last
    assert "Aktualisierte Meldung" in updated.text and "Telefon: +49284199887" in updated.text
    assert updated.buttons == [[MARK]]
    # Anna had not seen the new details: the older notice's button marks nothing.
    await anna.tap_data(stale, message=notice)
    assert anna.answers[-1].text == OUTDATED
    assert notice.buttons == []  # it never will mark: gone
    assert updated.buttons == [[MARK]]
    [row] = await rows(harness)
    assert (row["status"], row["contacted_at"], row["contacted_by"]) == ("new", None, None)
    assert row["revision"] == 2
    assert await told_contacted(harness, erika) == []
    assert await audited(harness) == 0
    # The newer notice's button marks the version it shows.
    await anna.tap(MARK, message=updated)
    assert anna.answers[-1].text == MARKED
    assert updated.buttons == []
    [row] = await rows(harness)
    assert (row["status"], row["contacted_by"], row["revision"]) == ("contacted", anna.user_id, 2)
    assert len(await told_contacted(harness, erika)) == 1
    assert await audited(harness) == 1


async def test_the_list_marks_the_version_it_showed(harness: Harness) -> None:
    anna, erika, _ = await announced(harness)
    await anna.command("interessenten")
    listing = anna.last
    await update_details(erika, phone=PHONE)
    await anna.tap("✅ Nr. 1 kontaktiert", message=listing)
    assert anna.answers[-1].text == OUTDATED
    [row] = await rows(harness)
    assert (row["status"], row["contacted_at"]) == ("new", None)
    assert "· neu" in listing.text  # shown anew: its button now carries the current version
    await anna.tap("✅ Nr. 1 kontaktiert", message=listing)
    assert anna.answers[-1].text == MARKED
    assert "· kontaktiert" in listing.text
    [row] = await rows(harness)
    assert (row["status"], row["revision"]) == ("contacted", 2)
    assert len(await told_contacted(harness, erika)) == 1


async def test_an_older_version_marked_since_says_when(harness: Harness) -> None:
    anna, erika, notice = await announced(harness)
    stale = notice.callback_data(MARK) or ""  # tapped before the notice was edited
    await update_details(erika, phone=PHONE)
    await harness.deliver()
    updated = anna.last
    harness.clock.advance(days=1)
    await anna.tap(MARK, message=updated)
    await anna.tap_data(stale, message=notice)
    assert anna.answers[-1].text == (
        "Diese Meldung ist bereits seit dem 26.11.2026 als kontaktiert markiert."
    )
    assert len(await told_contacted(harness, erika)) == 1


async def test_a_button_sent_before_versions_still_marks(harness: Harness) -> None:
    # "gc" buttons in chats and in the outbox carry no version: they mark what is current.
    anna, erika, notice = await announced(harness)
    [row] = await rows(harness)
    legacy = MarkContacted(int(str(row["id"]))).encode()
    await anna.tap_data(legacy, message=notice)
    assert anna.answers[-1].text == MARKED
    [row] = await rows(harness)
    assert row["status"] == "contacted"
    assert len(await told_contacted(harness, erika)) == 1


async def test_withdrawing_twice_says_so(harness: Harness) -> None:
    _, erika, _ = await announced(harness)
    first, second = await copies(erika, "meine_gruppen")
    await erika.tap("↩️ Nr. 1 zurückziehen", message=first)
    await erika.tap("↩️ Ja, zurückziehen", message=first)
    assert "wurde zurückgezogen" in first.text
    await erika.tap("↩️ Nr. 1 zurückziehen", message=second)
    assert erika.answers[-1].text == (
        f"Ihre Meldung für die Arbeitsgruppe „{GROUP}“ ist bereits zurückgezogen."
    )
    assert "zurückgezogen" in second.text and second.buttons == [["« Hauptmenü"]]
    [row] = await rows(harness)
    assert row["revision"] == 2  # withdrawn once


async def test_withdrawing_an_erased_registration_says_so(harness: Harness) -> None:
    _, erika, _ = await announced(harness)
    [row] = await rows(harness)
    await erika.command("meine_gruppen")
    mine = erika.last
    await harness.data.privacy.erase(erika.user_id)
    harness.data.forget(erika.user_id)
    await erika.tap_data(Withdraw(int(str(row["id"]))).encode(), message=mine)
    assert erika.answers[-1].text == "Diese Meldung gibt es nicht mehr."
    assert "noch für keine Arbeitsgruppe gemeldet" in mine.text


async def test_a_group_closed_just_before_the_consent_stores_nothing(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await load(harness)
    await link_contact(harness)
    erika = harness.user()
    await register(erika, email=EMAIL)
    group = await harness.data.db.fetchone("SELECT id FROM working_groups WHERE name = ?", (GROUP,))
    assert group is not None
    group_id = int(group["id"])
    await harness.data.db.execute("UPDATE working_groups SET open = 0 WHERE id = ?", (group_id,))
    with pytest.raises(GroupClosedError):  # the service checks in its own transaction
        await harness.data.workgroups.register(group_id, 4711, Details("Erika"), "Ja.")
    # The dialogue read the group as open a moment before an import closed it.
    opened = await harness.data.workgroups.repo.group(group_id)
    assert opened is not None

    async def still_open(context: object, _draft: object) -> object:
        monkeypatch.undo()  # once: asked again, the dialogue sees the group as it is now
        return opened.model_copy(update={"open": True})

    monkeypatch.setattr(workgroup_flow, "_group", still_open)
    await erika.tap("✅ Einverstanden, senden")
    assert erika.last.text == "Diese Arbeitsgruppe gibt es nicht mehr oder sie nimmt niemanden auf."
    assert await rows(harness) == []
    assert await harness.data.drafts.get(4711) is None
    await harness.deliver()
    assert await harness.data.db.fetchall("SELECT * FROM outbox WHERE kind LIKE 'wg_%'") == []
