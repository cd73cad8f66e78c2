"""A citizen's buttons on things that changed meanwhile say what happened and show the state."""

from __future__ import annotations

from test_comments_flow import comment

from conftest import Harness

ALREADY = "Dieser Kommentar ist bereits gelöscht."
EMPTY = "Sie haben noch keine Kommentare geschrieben."


async def test_deleting_a_comment_deleted_meanwhile(harness: Harness) -> None:
    erika = harness.user()
    await comment(erika, "Den lösche ich gleich zweimal")
    await erika.command("meine_kommentare")
    first = erika.last
    await erika.command("meine_kommentare")
    second = erika.last
    await erika.command("meine_kommentare")
    third = erika.last
    await erika.tap("🗑 Löschen: Nr. 1", message=third)
    confirm = erika.last
    assert confirm.buttons[0] == ["🗑 Ja, endgültig löschen"]
    await erika.tap("🗑 Löschen: Nr. 1", message=first)
    await erika.tap("🗑 Ja, endgültig löschen", message=first)
    assert "Ihr Kommentar wurde gelöscht." in first.text
    # An older list: told, and shown as it is now.
    await erika.tap("🗑 Löschen: Nr. 1", message=second)
    assert erika.answers[-1].text == ALREADY
    assert EMPTY in second.text and "🗑 Löschen: Nr. 1" not in str(second.buttons)
    # A confirmation from before: the same.
    await erika.tap("🗑 Ja, endgültig löschen", message=confirm)
    assert erika.answers[-1].text == ALREADY
    assert EMPTY in confirm.text and confirm.buttons[0] != ["🗑 Ja, endgültig löschen"]
