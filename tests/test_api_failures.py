"""Failed Bot API calls: an action commits once before Telegram hears of it; replies are retried.

The fake Bot API fails exactly the call a test names. "Once" is the common case (a 502 on a
busy Telegram): the reply path tries again. "For good" (as often as the reply path tries)
shows that an answer or edit after the action is best effort: the action stands, exactly once,
and nobody is told to "try again".
"""

from __future__ import annotations

import contextlib
import sqlite3

import httpx
import pytest
from telegram.error import NetworkError, RetryAfter, TimedOut
from workgroup_helpers import invite_link, link_contact, load, register, rows

from bot.flood import ATTEMPTS, BUDGET, NO_RETRY, Flood, ReplyRetry
from bot.importfile import shipped_bundle
from bot.offline.fake_api import SentMessage
from bot.offline.fake_user import FakeUser
from bot.services.workgroups import Details
from messages import actions as cb
from storage.drafts import DraftEnd, DraftGone
from storage.outbox import OutboxRepository, Outgoing

from conftest import ADMIN_ID, Harness, Ticks
from stories.admin import PICK, add_workshop, open_field, up_to
from stories.broadcast import TEXT, compose
from stories.broadcast import person as citizen
from stories.moderation import add_ideas, noticed, status
from stories.moderation import person as moderation_person

APOLOGY = "Entschuldigung, da ist etwas schiefgegangen."
TRIES = ATTEMPTS  # how often the reply path makes one call at most
FAILING = "answerCallbackQuery"  # the answer to a final tap, after the action committed
FAILURES = pytest.mark.parametrize("times", [1, TRIES], ids=["once", "for-good"])


def apologised(user: FakeUser) -> bool:
    """Whether the user was told that something went wrong."""
    return any(text.startswith(APOLOGY) for text in user.texts())


def expected_failures(h: Harness, endpoint: str, times: int) -> None:
    """The injected failures were the only rejected calls; forget them."""
    assert [c.endpoint for c in h.api.errors] == [endpoint] * times
    h.api.errors.clear()


def absorbed(h: Harness, user: FakeUser, endpoint: str, times: int) -> None:
    """The injected failures went unnoticed: no apology to the user, no handler error, and
    they were the only rejected calls (then forgotten)."""
    assert not apologised(user) and h.errors == []
    expected_failures(h, endpoint, times)


async def count(h: Harness, table: str) -> int:
    """Rows in a table."""
    row = await h.data.db.fetchone(f"SELECT COUNT(*) AS n FROM {table}")
    assert row is not None
    return int(row["n"])


async def audited(h: Harness, action: str) -> int:
    """Audit rows of an action."""
    row = await h.data.db.fetchone(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = ?", (action,)
    )
    assert row is not None
    return int(row["n"])


async def final_tap_despite(
    h: Harness, person: FakeUser, button: str, endpoint: str, times: int, shown: str
) -> None:
    """A dialogue's last tap while `endpoint` fails `times` times: the person sees `shown`, is
    told of no error, and the dialogue is over."""
    h.api.fail_next(endpoint, status=502, times=times)
    await person.tap(button)
    assert person.last.text.startswith(shown), person.last.text
    assert await h.data.drafts.get(person.user_id) is None
    absorbed(h, person, endpoint, times)


# ------------------------------------------------------------ final steps of the dialogues


async def broadcast_despite(
    h: Harness, endpoint: str, times: int
) -> tuple[FakeUser, SentMessage, list[FakeUser]]:
    """Two fans of Köln; the admin sends them a broadcast while `endpoint` fails `times`
    times: the admin, the preview, the fans."""
    fans = [await citizen(h, 5000 + n) for n in range(2)]
    admin = await compose(h, "Region Köln (2)")
    preview = admin.last
    h.api.fail_next(endpoint, status=502, times=times)
    await admin.tap("📣 Jetzt senden")
    return admin, preview, fans


async def sent_once(h: Harness, fans: list[FakeUser], endpoint: str, times: int) -> None:
    """One broadcast, audited once, and each fan got it once; no failures but the injected."""
    assert (await count(h, "broadcasts"), await audited(h, "broadcast")) == (1, 1)
    await h.deliver()
    for fan in fans:
        assert len([t for t in fan.texts() if t.endswith(TEXT)]) == 1
    expected_failures(h, endpoint, times)


@FAILURES
async def test_a_failed_answer_does_not_lose_the_broadcast(harness: Harness, times: int) -> None:
    admin, preview, fans = await broadcast_despite(harness, "answerCallbackQuery", times)
    assert preview.text.startswith("Rundschreiben bestätigt – es wird an 2 Personen versendet.")
    assert not apologised(admin) and harness.errors == []
    assert await harness.data.drafts.get(ADMIN_ID) is None
    await sent_once(harness, fans, "answerCallbackQuery", times)


@FAILURES
async def test_a_failed_edit_after_the_broadcast_neither_loses_nor_repeats_it(
    harness: Harness, times: int
) -> None:
    admin, preview, fans = await broadcast_despite(harness, "editMessageText", times)
    assert "zugestellt: 0 von 2" in admin.last.text  # the progress message tells the outcome
    assert not apologised(admin) and harness.errors == []
    if times == TRIES:  # the preview still offers to send: a second tap sends nothing
        await admin.tap("📣 Jetzt senden", message=preview)
        assert admin.answers[-1].text == "Dieser Schritt ist nicht mehr aktuell."
    await sent_once(harness, fans, "editMessageText", times)


@FAILURES
async def test_a_failed_answer_does_not_lose_the_new_workshop(harness: Harness, times: int) -> None:
    admin = await up_to(harness, "description")
    await admin.send("Wir sammeln Ideen.")
    shown = "✅ Veröffentlicht: Gute Arbeit in Köln"
    await final_tap_despite(harness, admin, "✅ Veröffentlichen", FAILING, times, shown)
    created = await count(harness, "workshops") - len(shipped_bundle().workshops)
    assert (created, await audited(harness, "workshop_create")) == (1, 1)


@FAILURES
async def test_a_failed_answer_does_not_lose_the_change(harness: Harness, times: int) -> None:
    workshop_id = await add_workshop(harness)
    admin = await open_field(harness, "Titel")
    await admin.send("Faire Arbeit in Köln")
    save, shown = "✅ Speichern und benachrichtigen", "✅ Gespeichert: Faire Arbeit in Köln"
    await final_tap_despite(harness, admin, save, FAILING, times, shown)
    workshop = await harness.data.workshops.repo.get(workshop_id)
    assert workshop is not None and workshop.title == "Faire Arbeit in Köln"
    assert await audited(harness, "workshop_edit") == 1


@FAILURES
async def test_a_failed_answer_does_not_lose_the_cancellation(harness: Harness, times: int) -> None:
    workshop_id = await add_workshop(harness)
    admin = harness.admin()
    await admin.command("termin_absagen")
    await admin.tap(PICK)
    shown = "❌ Abgesagt: Gute Arbeit in Köln"
    await final_tap_despite(harness, admin, "❌ Ja, absagen", FAILING, times, shown)
    workshop = await harness.data.workshops.repo.get(workshop_id)
    assert workshop is not None and workshop.status == "cancelled"
    assert await audited(harness, "workshop_cancel") == 1


async def test_a_second_tap_after_a_committed_cancellation_says_it_is_done(
    harness: Harness,
) -> None:
    await add_workshop(harness)
    admin = harness.admin()
    await admin.command("termin_absagen")
    await admin.tap(PICK)
    question = admin.last
    confirm = question.callback_data("❌ Ja, absagen") or ""
    harness.api.fail_next("editMessageText", status=502, times=TRIES)
    await admin.tap("❌ Ja, absagen")  # cancelled; the edit that would say so fails
    await admin.tap_data(confirm, message=question)
    assert admin.answers[-1].text == "Dieser Schritt ist nicht mehr aktuell."
    assert await audited(harness, "workshop_cancel") == 1
    assert harness.errors == []
    expected_failures(harness, "editMessageText", TRIES)


@FAILURES
async def test_a_failed_answer_does_not_lose_the_interest_registration(
    harness: Harness, times: int
) -> None:
    await load(harness)
    erika = harness.user()
    await register(erika, email="erika@example.org")
    shown = "✅ Danke! Ihre Meldung für die Arbeitsgruppe"
    await final_tap_despite(harness, erika, "✅ Einverstanden, senden", FAILING, times, shown)
    assert len(await rows(harness)) == 1


@FAILURES
async def test_a_failed_edit_does_not_lose_the_rejection_reason(
    harness: Harness, times: int
) -> None:
    admin, _, comment, note = await noticed(harness, "Das ist Werbung für meinen Laden!")
    await admin.tap("❌ Ablehnen", message=note)
    harness.api.fail_next("editMessageReplyMarkup", status=502, times=times)
    await admin.send("Werbung ist hier nicht erlaubt.")
    assert await status(harness, comment.id) == "rejected"
    assert admin.last.text.startswith("❌ Abgelehnt von Ada\nBegründung: Werbung ist hier")
    assert await harness.data.moderation.log.decisions("comment", comment.id) == [
        (ADMIN_ID, "reject", "Werbung ist hier nicht erlaubt.")
    ]
    absorbed(harness, admin, "editMessageReplyMarkup", times)


async def test_a_failed_answer_after_rejecting_without_reason_still_shows_the_outcome(
    harness: Harness,
) -> None:
    admin, _, comment, note = await noticed(harness, "Das ist Werbung für meinen Laden!")
    await admin.tap("❌ Ablehnen", message=note)
    question = admin.last
    harness.api.fail_next("answerCallbackQuery", status=502, times=TRIES)
    await admin.tap("Ohne Begründung")
    assert await status(harness, comment.id) == "rejected"
    assert question.text.startswith("❌ Abgelehnt von Ada")
    absorbed(harness, admin, "answerCallbackQuery", TRIES)


@FAILURES
async def test_a_failed_answer_does_not_hide_the_submitted_comment(
    harness: Harness, times: int
) -> None:
    await add_ideas(harness)
    erika = await moderation_person(harness, 4711, "Erika")
    await erika.command("start", "idea_koeln-werkstatt")
    await erika.tap("✍️ Kommentieren")
    await erika.tap("👤 Erika")
    await erika.send("Eine Lernwerkstatt wäre großartig für uns alle.")
    await final_tap_despite(harness, erika, "✅ Absenden", FAILING, times, "✅ Danke!")
    assert await count(harness, "comments") == 1


async def test_a_failed_answer_after_erasing_still_says_the_data_is_gone(
    harness: Harness,
) -> None:
    erika = harness.user()
    await erika.command("start")
    await erika.command("daten_loeschen")
    harness.api.fail_next("answerCallbackQuery", status=502, times=TRIES)
    await erika.tap("🗑 Ja, alles löschen")
    assert erika.last.text.startswith("✅ Ihre Daten wurden gelöscht.")
    assert await harness.data.users.get(erika.user_id) is None
    absorbed(harness, erika, "answerCallbackQuery", TRIES)


async def test_a_failed_reply_after_granting_a_role_asks_nobody_to_try_again(
    harness: Harness,
) -> None:
    admin = harness.admin()
    await admin.command("start")
    await harness.user(4800, "Gert").command("start")
    harness.api.fail_next("sendMessage", status=502, times=TRIES)
    await admin.command("rolle_vergeben", "4800", "admin")
    assert await harness.data.roles.is_admin(4800)
    assert await audited(harness, "role_grant") == 1
    absorbed(harness, admin, "sendMessage", TRIES)


async def test_a_failed_edit_after_unregistering_asks_nobody_to_try_again(
    harness: Harness,
) -> None:
    workshop_id = await add_workshop(harness)
    erika = harness.user()
    await erika.command("termine")
    await erika.tap_data(cb.ShowWorkshop(workshop_id).encode())
    await erika.tap("🙋 Ich nehme teil")
    await erika.tap("✅ Ja, anmelden")
    harness.api.fail_next("editMessageText", status=502, times=TRIES)
    await erika.tap("Abmelden")
    assert erika.answers[-1].text == "Sie sind abgemeldet – Ihr Platz ist wieder frei."
    assert await harness.data.workshops.repo.participants(workshop_id) == []
    absorbed(harness, erika, "editMessageText", TRIES)


# ------------------------------------------------------------ replies: bounded retries


async def test_a_reply_refused_with_429_waits_and_is_sent_once(harness: Harness) -> None:
    user = harness.user()
    flood = harness.data.flood
    before = flood.monotonic()
    harness.api.fail_next("sendMessage", status=429, retry_after=2)
    await user.command("start")
    assert user.texts() == [user.last.text] and user.last.text.startswith("Willkommen")
    assert flood.monotonic() - before == pytest.approx(2.0)  # it waited as Telegram asked
    assert harness.errors == []
    expected_failures(harness, "sendMessage", 1)


@pytest.mark.parametrize("endpoint", ["sendMessage", "editMessageText"])
async def test_a_5xx_is_tried_again_after_a_short_pause(harness: Harness, endpoint: str) -> None:
    user = harness.user()
    await user.command("start")
    menu = user.last
    flood = harness.data.flood
    before = flood.monotonic()
    harness.api.fail_next(endpoint, status=502, times=2)
    if endpoint == "sendMessage":
        await user.command("regionen")
        assert user.last is not menu
    else:
        await user.tap("🗺 Ideen nach Region")
        assert user.last is menu
    assert user.last.text.startswith("Ideen nach Region")
    assert 0 < flood.monotonic() - before <= 4.0
    absorbed(harness, user, endpoint, 2)


async def test_replies_give_up_after_a_few_tries(harness: Harness) -> None:
    user = harness.user()
    flood = harness.data.flood
    before = flood.monotonic()
    harness.api.fail_next("sendMessage", status=500, times=TRIES)
    await user.command("start")
    assert len(harness.api.calls_to("sendMessage")) == TRIES + 1  # then the apology
    assert user.last.text.startswith(APOLOGY)
    assert flood.monotonic() - before <= 4.0
    assert len(harness.errors) == 1
    harness.errors.clear()
    expected_failures(harness, "sendMessage", TRIES)


@pytest.mark.parametrize("fault", ["bad-request", "timed-out"])
async def test_a_refused_or_timed_out_message_is_not_sent_again(
    harness: Harness, fault: str
) -> None:
    """A bad request is never repeated; a timed-out message may have been delivered by
    Telegram, and sending it again could show it twice."""
    user = harness.user()
    if fault == "bad-request":
        harness.api.fail_next("sendMessage", status=400, description="Bad Request: chat not found")
    else:
        harness.api.timeout_next("sendMessage")
    await user.command("start")
    assert len(harness.api.calls_to("sendMessage")) == 2  # the failed welcome, the apology
    assert len(harness.errors) == 1
    harness.errors.clear()
    expected_failures(harness, "sendMessage", 1)


async def test_a_timed_out_edit_is_made_again(harness: Harness) -> None:
    """Editing twice changes nothing: the second edit of the same text is "not modified"."""
    user = harness.user()
    await user.command("start")
    harness.api.timeout_next("editMessageText")
    await user.tap("🗺 Ideen nach Region")
    assert user.last.text.startswith("Ideen nach Region")
    assert len(user.messages) == 1 and harness.errors == []
    expected_failures(harness, "editMessageText", 1)


async def test_a_long_flood_wait_is_not_followed_by_an_apology_to_the_same_chat(
    harness: Harness,
) -> None:
    user = harness.user()
    harness.api.fail_next("sendMessage", status=429, retry_after=30)
    await user.command("start")
    assert len(harness.api.calls_to("sendMessage")) == 1  # neither repeated nor apologised
    assert [type(e) for e in harness.errors] == [RetryAfter]
    harness.errors.clear()
    expected_failures(harness, "sendMessage", 1)


async def test_a_429_on_a_reply_holds_back_the_outbox_for_that_chat(harness: Harness) -> None:
    user, other = harness.user(), harness.user(4712, "Max")
    await user.command("start")
    await other.command("start")
    await harness.deliver()  # their news offers
    harness.api.fail_next("sendMessage", status=429, retry_after=30)
    await user.command("hilfe")
    harness.errors.clear()
    expected_failures(harness, "sendMessage", 1)
    async with harness.data.db.transaction() as tx:
        outgoing = [Outgoing(chat, {"text": f"Hallo {chat}"}) for chat in (4711, 4712)]
        await OutboxRepository.enqueue(tx, "test", outgoing, harness.clock())
    flood = harness.data.flood
    pause_ends = flood.monotonic() + flood.remaining(4711)
    assert flood.remaining(4711) == pytest.approx(30.0) and flood.remaining(4712) == 0.0
    sent_at: dict[int, float] = {}
    harness.api.observers.append(
        lambda call, result: sent_at.setdefault(call.params.get("chat_id", 0), flood.monotonic())
    )
    assert (await harness.deliver()).sent == 2
    assert sent_at[4711] >= pause_ends - 1e-6  # waited for the pause Telegram asked for
    assert user.last.text == "Hallo 4711"


async def test_a_pause_of_the_outbox_holds_back_replies(harness: Harness) -> None:
    user = harness.user()
    flood = harness.data.flood
    harness.data.dispatcher.pacer.pause(3)  # what the dispatcher does on a 429
    before = flood.monotonic()
    await user.command("start")
    assert user.last.text.startswith("Willkommen")
    assert flood.monotonic() - before == pytest.approx(3.0)


# ------------------------------------------------------------ one handler per update


async def test_after_a_failed_dialogue_step_no_other_feature_answers(harness: Harness) -> None:
    """The region finder must not read an e-mail address as a place name after an error."""
    await load(harness)
    erika = harness.user()
    await erika.command("start", "idea_we-make-you-sexy-niederrhein")
    await erika.tap("🙋 Mitmachen")
    await erika.tap("✅ Übernehmen: Erika")
    shown = len(erika.messages)
    harness.api.fail_next("sendMessage", status=400, description="Bad Request: message is too long")
    await erika.send("erika@beispiel")
    assert [m.text[: len(APOLOGY)] for m in erika.messages[shown:]] == [APOLOGY]
    assert len(harness.errors) == 1
    harness.errors.clear()
    expected_failures(harness, "sendMessage", 1)


# ------------------------------------------------------------ read-only answers and a full disk


async def test_a_full_disk_does_not_break_a_new_users_first_screen(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = harness.data.users
    real_touch = users.touch

    async def disk_full(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(users, "touch", disk_full)
    erika = harness.user()
    await erika.command("start")
    assert erika.last.text.startswith("Willkommen")
    await erika.tap("🗺 Ideen nach Region")
    assert erika.last.text.startswith("Ideen nach Region")
    assert harness.errors == []
    monkeypatch.setattr(users, "touch", real_touch)  # space again: recorded at the next update
    harness.clock.advance(minutes=1)
    await erika.command("start")
    assert await users.get(erika.user_id) is not None


async def test_an_export_that_cannot_be_audited_does_not_leave(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    workshop_id = await add_workshop(harness)
    admin = harness.admin()
    await admin.command("start")

    async def disk_full(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(harness.data.audit, "add", disk_full)
    await admin.tap_data(cb.ParticipantsCsv(workshop_id).encode())
    assert harness.api.calls_to("sendDocument") == []
    assert (admin.answers[-1].text or "").startswith(APOLOGY)
    assert len(harness.errors) == 1
    harness.errors.clear()


# ------------------------------------------------------------ the pieces on their own


def retry_with_clock() -> tuple[ReplyRetry, Ticks]:
    """A ReplyRetry on its own clock."""
    clock = Ticks(0.0)
    return ReplyRetry(Flood(clock, clock.sleep)), clock


class Failing:
    """A Bot API call that fails with the given errors first, then answers True."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> bool:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return True


async def test_retries_stay_within_the_budget() -> None:
    retry, clock = retry_with_clock()
    call = Failing(RetryAfter(3), RetryAfter(3))
    with pytest.raises(RetryAfter):
        await retry.process_request(call, (), {}, "sendMessage", {"chat_id": 1}, None)
    assert call.calls == 2 and clock.now == 3.0  # a second wait of 3 s would pass the budget
    assert retry.flood.remaining(1) == pytest.approx(3.0)
    assert clock.now <= BUDGET


async def test_a_chat_held_back_longer_than_the_budget_is_not_called() -> None:
    retry, clock = retry_with_clock()
    retry.flood.pause(BUDGET + 1, 7)
    call = Failing()
    with pytest.raises(RetryAfter):
        await retry.process_request(call, (), {}, "sendMessage", {"chat_id": 7}, None)
    assert call.calls == 0 and clock.now == 0.0
    assert await retry.process_request(call, (), {}, "sendMessage", {"chat_id": 8}, None)


async def test_answers_are_retried_without_holding_back_a_chat() -> None:
    retry, clock = retry_with_clock()
    call = Failing(RetryAfter(1), NetworkError("Bad Gateway"))
    data = {"callback_query_id": "1"}
    assert await retry.process_request(call, (), {}, "answerCallbackQuery", data, None)
    assert call.calls == 3 and clock.now == pytest.approx(1.0 + 1.0)
    assert retry.flood.remaining() == 0.0 and retry.flood.pauses == 0


async def test_a_send_whose_request_may_have_arrived_is_not_repeated() -> None:
    retry, _ = retry_with_clock()
    lost = NetworkError("httpx.ReadError: connection reset")
    lost.__cause__ = httpx.ReadError("connection reset")
    never_sent = NetworkError("httpx.ConnectError: refused")
    never_sent.__cause__ = httpx.ConnectError("refused")
    call = Failing(lost)
    with pytest.raises(NetworkError):
        await retry.process_request(call, (), {}, "sendMessage", {"chat_id": 1}, None)
    assert call.calls == 1
    call = Failing(never_sent, TimedOut())
    with pytest.raises(TimedOut):  # a time-out: perhaps delivered
        await retry.process_request(call, (), {}, "sendDocument", {"chat_id": 1}, None)
    assert call.calls == 2
    call = Failing(lost, TimedOut())
    assert await retry.process_request(call, (), {}, "editMessageText", {"chat_id": 1}, None)


async def test_the_outbox_calls_fail_at_once() -> None:
    retry, _ = retry_with_clock()
    call = Failing(RetryAfter(1))
    with pytest.raises(RetryAfter):
        await retry.process_request(call, (), {}, "sendmessage", {"chat_id": 1}, NO_RETRY)
    assert call.calls == 1 and retry.flood.pauses == 0  # the dispatcher pauses on its own


async def test_a_draft_end_rolls_back_the_action_when_the_dialogue_is_over(
    harness: Harness,
) -> None:
    data = harness.data
    await data.drafts.save(ADMIN_ID, "broadcast", "preview", {}, harness.clock())
    ends = DraftEnd(ADMIN_ID, "broadcast")
    for attempt in range(2):
        with contextlib.suppress(DraftGone):
            async with data.db.transaction() as tx:
                await ends.apply(tx)
                await OutboxRepository.enqueue(
                    tx, "test", [Outgoing(ADMIN_ID, {"text": f"Nr. {attempt}"})], harness.clock()
                )
    assert await count(harness, "outbox") == 1  # the second attempt was rolled back
    assert await data.drafts.get(ADMIN_ID) is None


async def test_a_comment_is_stored_only_together_with_the_end_of_its_dialogue(
    harness: Harness,
) -> None:
    ideas = await add_ideas(harness)
    data = harness.data
    await data.users.touch(4711, harness.clock(), "de")
    with pytest.raises(DraftGone):  # the dialogue was over (a second tap, /abbrechen, expiry)
        await data.comments.submit(
            ideas["koeln"],
            4711,
            "Erika",
            "Eine Lernwerkstatt wäre gut.",
            ends=DraftEnd(4711, "comment"),
        )
    assert await count(harness, "comments") == 0 and await count(harness, "outbox") == 0
    await data.drafts.save(4711, "comment", "preview", {}, harness.clock())
    await data.comments.submit(
        ideas["koeln"],
        4711,
        "Erika",
        "Eine Lernwerkstatt wäre gut.",
        ends=DraftEnd(4711, "comment"),
    )
    assert await count(harness, "comments") == 1
    assert await data.drafts.get(4711) is None  # gone in the same transaction


async def test_an_interest_registration_is_stored_only_together_with_the_end_of_its_dialogue(
    harness: Harness,
) -> None:
    await load(harness)
    data = harness.data
    await data.users.touch(4711, harness.clock(), "de")
    group = (await data.db.fetchone("SELECT id FROM working_groups WHERE slug = 'ag-niederrhein'"))[
        "id"
    ]  # type: ignore[index]
    details = Details(name="Erika", email="erika@example.org")
    with pytest.raises(DraftGone):
        await data.workgroups.register(group, 4711, details, "ok", ends=DraftEnd(4711, "workgroup"))
    assert await rows(harness) == []
    await data.drafts.save(4711, "workgroup", "consent", {}, harness.clock())
    await data.workgroups.register(group, 4711, details, "ok", ends=DraftEnd(4711, "workgroup"))
    assert len(await rows(harness)) == 1
    assert await data.drafts.get(4711) is None


@FAILURES
async def test_a_failed_reply_after_redeeming_an_invitation_asks_nobody_to_try_again(
    harness: Harness, times: int
) -> None:
    await load(harness)
    payload = await invite_link(harness)
    anna = harness.user(5001, "Anna")
    harness.api.fail_next("sendMessage", status=502, times=times)
    await anna.command("start", payload)
    assert await harness.data.roles.contact_regions(5001) != []  # linked, exactly once
    absorbed(harness, anna, "sendMessage", times)


@FAILURES
async def test_a_failed_answer_after_removing_a_contact_asks_nobody_to_try_again(
    harness: Harness, times: int
) -> None:
    await load(harness)
    await link_contact(harness)
    admin = harness.admin()
    await admin.command("kontakte")
    harness.api.fail_next("sendMessage", status=502, times=times)  # the list shown anew
    await admin.tap("🗑 Anna Schmidt (NiederRhein) entfernen")
    assert await harness.data.roles.contact_regions(5001) == []
    assert await audited(harness, "contact_remove") == 1
    absorbed(harness, admin, "sendMessage", times)
