"""Any typed text, up to 100,000 characters, at every place the bot reads text, gets replies
Telegram accepts (length, HTML, buttons) and raises nothing.

One application serves all examples (building it per example would cost seconds). Each
example feeds the same text to: the region finder, an unknown command, every registered
command as its argument (as an admin), and every step of every dialogue registered with
`dialog.add_flow`. A dialogue is walked step by step from its draft: the text is sent once at
each step, then the step is left with a valid answer — the longest one it accepts, so that
previews and notices are checked at their largest. A new flow, or a new step in a known
flow, fails the test until it is described here.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import shutil
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from news_helpers import opt_in
from telegram.ext import CommandHandler
from workgroup_helpers import CONTACT_ID, IDEA, link_contact, load

from bot.app import build_application
from bot.config import Settings
from bot.offline.fake_user import FakeUser
from bot.services.comments import MAX_LENGTH as COMMENT_MAX
from bot.services.groups import LIMITS as GROUP_LIMITS
from bot.services.ideas import LIMITS as IDEA_LIMITS
from bot.services.profiles import LIMITS as PROFILE_LIMITS
from bot.services.proposals import DESCRIPTION as PROPOSAL_DESCRIPTION
from bot.services.proposals import TITLE as PROPOSAL_TITLE
from handlers import dialog, idea_edit
from handlers.admin_form import EDIT_FIELDS, MAX_URL
from handlers.workgroup_flow import MAX_MESSAGE, MAX_NAME
from messages import actions as cb
from messages.actions import (
    AnswerKind,
    BroadcastAudience,
    CancelWorkshop,
    EditField,
    EditWorkshop,
    JoinAnswer,
    NewRegion,
    QueueDecision,
)
from messages.admin import BROADCAST_MAX, LIMITS
from messages.moderation import REASON_MAX
from storage.models import Draft
from storage.workshops import WorkshopFields

from conftest import ADMIN_ID, FakeClock, Harness, make_settings, running

WIDE = "😀"  # two UTF-16 units: the longest accepted values are the widest messages

# -------------------------------------------------------------------------- the texts

FRAGMENTS = st.sampled_from(
    ["<b>", "</i>", "<a href='x'>", "&", "&amp;", "&#0;", "<", ">", '"', "\u202e", "\u200f"]
    + ["😀", "👨‍👩‍👧", "𝐀", "\u0301", "ß", "\n", "\r\n", "\t", " ", "@", ".", "/", "x"]
    + ["erika@example.org", "+49 211 123456", "12.05.2027 14:00", "https://x.org/", "koeln"]
)
FILLERS = st.sampled_from(["x", WIDE, "𝐀", "<", "&", " ", "wort ", "1", "a.b@", "\n"])
LENGTHS = st.one_of(
    st.integers(0, 120),
    st.sampled_from([59, 60, 61, 99, 100, 101, 199, 200, 201, 254, 255, 299, 300, 301, 499, 500]),
    st.sampled_from([501, 999, 1000, 1001, 1999, 2000, 2001, 3499, 3500, 3501, 4096, 4097]),
    st.sampled_from([10_000, 100_000]),
    st.integers(0, 100_000),
)


@st.composite
def typed_texts(draw: st.DrawFn) -> str:
    """Up to 100,000 characters: fragments around a repeated filler; never a command."""
    head = "".join(draw(st.lists(FRAGMENTS, max_size=6)))
    body = draw(FILLERS) * draw(LENGTHS)
    tail = "".join(draw(st.lists(FRAGMENTS, max_size=6)))
    text = (head + body + tail)[:100_000].lstrip("/")
    return text or "x"


# -------------------------------------------------------------------------- the dialogues

Step = Callable[["Walk", Draft], Awaitable[None]]


class Walk:
    """One example's visit of every place that reads text."""

    def __init__(self, h: Harness, text: str, ids: dict[str, int]) -> None:
        self.h, self.text, self.ids = h, text, ids
        h.errors.clear()  # an earlier (failing) example must not fail this one
        h.api.errors.clear()
        self.admin = h.admin()
        self.citizen = h.user(next(_USER_IDS), "Erika")
        self.contact = h.user(CONTACT_ID, "Anna")
        self.fields_done = 0  # the edit dialogue's fields visited so far
        self.idea_fields_done = 0  # the same for the idea's edit dialogue
        self.profile_fields_done = 0  # and for the profile's

    def check(self, where: str) -> None:
        """Nothing raised, nothing refused by the fake Bot API."""
        assert self.h.errors == [], (where, self.h.errors)
        refused = [
            (c.endpoint, c.description, len(str(c.params.get("text", ""))), str(c.params)[:300])
            for c in self.h.api.errors
        ]
        assert refused == [], (where, refused)

    async def deliver(self, where: str) -> None:
        """Deliver queued notifications (to contacts, moderators, authors) and check them."""
        await self.h.deliver()
        self.check(where)

    async def flow(
        self, person: FakeUser, name: str, begin: Callable[[], Awaitable[object]]
    ) -> None:
        """Begin the dialogue, send the text once at each step, leave each step validly."""
        steps = FLOWS[name]
        await begin()
        fed: set[str] = set()
        for _ in range(80):
            draft = await self.h.data.drafts.get(person.user_id)
            if draft is None or draft.flow != name:
                break
            assert draft.step in steps, f"step {draft.step!r} of flow {name!r}: describe it here"
            if draft.step not in fed:
                fed.add(draft.step)
                await person.send(self.text)
                kept_for = KEPT_BY.get(name, {})
                if draft.step in kept_for:  # a button step keeps the text for a later step
                    kept = await self.h.data.drafts.get(person.user_id)
                    assert kept is not None and kept.data.get(dialog.TYPED) == self.text
                    if (later := kept_for[draft.step]) is not None:
                        fed.add(later)
            else:
                await steps[draft.step](self, draft)
            self.check(f"{name}.{draft.step}")
        else:
            pytest.fail(f"the walk through {name!r} did not end")
        await self.deliver(name)
        assert fed | OPTIONAL.get(name, set()) >= set(steps), (name, set(steps) - fed)


_USER_IDS = itertools.count(600_000)


def _send(text: str) -> Step:
    async def step(walk: Walk, draft: Draft) -> None:
        await _person(walk, draft).send(text)

    return step


def _tap(make: Callable[[Walk, Draft], cb.Action]) -> Step:
    async def step(walk: Walk, draft: Draft) -> None:
        person = _person(walk, draft)
        await person.tap_data(make(walk, draft).encode(), message=person.keyboard_message())

    return step


async def _leave(walk: Walk, draft: Draft) -> None:
    await _person(walk, draft).command("abbrechen")


def _person(walk: Walk, draft: Draft) -> FakeUser:
    if draft.user_id == CONTACT_ID:
        return walk.contact
    return walk.admin if draft.user_id == ADMIN_ID else walk.citizen


async def _next_field_or_leave(walk: Walk, draft: Draft) -> None:
    """The edit menu: the next field not yet visited; after the last one the walk leaves."""
    if walk.fields_done == len(EDIT_FIELDS):
        await _leave(walk, draft)
        return
    field = EDIT_FIELDS[walk.fields_done]
    walk.fields_done += 1
    await _tap(lambda w, d: EditField(w.ids["workshop"], field))(walk, draft)


def _longest(limit: int, first: str = "L") -> Step:
    """The longest text a limit accepts, in the widest characters."""
    return _send(first + WIDE * (limit - 1))


async def _next_idea_field_or_leave(walk: Walk, draft: Draft) -> None:
    """The idea's edit menu: the next field not yet visited; after the last one, leave."""
    if walk.idea_fields_done == len(idea_edit.FIELDS):
        await _leave(walk, draft)
        return
    number = walk.idea_fields_done
    walk.idea_fields_done += 1
    await _tap(lambda w, d: cb.StaffAnswer("field", number))(walk, draft)


async def _next_profile_field_or_consent(walk: Walk, draft: Draft) -> None:
    """The profile's overview: the next field not yet visited; then on to the consent."""
    number = walk.profile_fields_done
    walk.profile_fields_done += 1
    kind: AnswerKind = "field" if number < 4 else "confirm"
    await _tap(lambda w, d: cb.StaffAnswer(kind, number if number < 4 else 0))(walk, draft)


async def _group_preview(walk: Walk, draft: Draft) -> None:
    """After the name's preview, the description; after that one's, leave."""
    if draft.data.get("field") == "name":
        await _tap(lambda w, d: cb.ManageGroup(w.ids["group"], "d"))(walk, draft)
    else:
        await _leave(walk, draft)


# Not the seeded workshop's time: an unchanged value would be refused.
DATE_START, DATE_END = "13.05.2027 10:00", "13.05.2027 16:00"
WORKSHOP_TEXT: dict[str, Step] = {
    "title": _send("T" + WIDE * (LIMITS["title"] - 1)),
    "starts": _send(DATE_START),
    "ends": _send(DATE_END),
    "venue": _send("V" + WIDE * (LIMITS["venue"] - 1)),
    "address": _send("A" + WIDE * (LIMITS["address"] - 1)),
    "link": _send("https://example.org/" + "a" * (MAX_URL - 20)),
    "capacity": _send("9999"),
    "description": _send("D" + WIDE * (LIMITS["description"] - 1)),
}
# Steps that come only for some texts: „Gibt es schon?“ only when the typed title or
# description resembles an idea (the examples with an unacceptable title always reach it).
OPTIONAL = {"proposal": {"similar"}}
# A text typed at a button step is kept (handlers.dialog): the step that reads it next (None:
# none in this walk, which leaves the consent screen by sending).
KEPT_BY: dict[str, dict[str, str | None]] = {
    "comment": {"name": "text"},
    "workgroup": {"consent": None},
}

FLOWS: dict[str, dict[str, Step]] = {
    "workgroup": {
        "name": _send("N" + WIDE * (MAX_NAME - 1)),
        "email": _send("e" * 60 + "@" + "d" * 60 + ".example.org"),
        "phone": _send("+49 211 123456"),
        "message": _send("M" + WIDE * (MAX_MESSAGE - 1)),
        "consent": _tap(lambda w, d: JoinAnswer("k")),
    },
    "comment": {
        "name": _tap(lambda w, d: cb.CommentName("f")),
        "text": _send("K" + WIDE * (COMMENT_MAX - 1)),
        "preview": _tap(lambda w, d: cb.SubmitComment(int(str(d.data.get("version", 0))))),
    },
    "moderation_reason": {
        "reason": _send("G" + WIDE * (REASON_MAX - 1)),
    },
    "new_workshop": {
        "region": _tap(lambda w, d: NewRegion(w.ids["region"])),
        **WORKSHOP_TEXT,
        "preview": _leave,
    },
    "edit_workshop": {
        "pick": _tap(lambda w, d: EditWorkshop(w.ids["workshop"])),
        "field": _next_field_or_leave,
        **WORKSHOP_TEXT,
        "preview": _tap(lambda w, d: EditWorkshop(w.ids["workshop"])),
    },
    "cancel_workshop": {
        "pick": _tap(lambda w, d: CancelWorkshop(w.ids["workshop"])),
        "confirm": _leave,
    },
    "search": {
        "words": _send("Digital Region"),
    },
    # Words of the shipped ideas, so that „Gibt es schon?“ shows similar ones.
    "proposal": {
        "title": _send("Digital-Scouts " + WIDE * (PROPOSAL_TITLE[1] - 15)),
        "similar": _tap(lambda w, d: cb.ProposalAnyway()),
        "region": _tap(lambda w, d: cb.ProposalRegion(w.ids["region"])),
        "challenge": _tap(lambda w, d: cb.ProposalChallenge(w.ids["challenge"])),
        "description": _send(
            "Netzwerk Weiterbildung Pflege Schachtzeichen " + WIDE * (PROPOSAL_DESCRIPTION[1] - 45)
        ),
        "help": _tap(lambda w, d: cb.ProposalHelp("y")),
        "name": _tap(lambda w, d: cb.ProposalName("f")),
        "preview": _tap(lambda w, d: cb.SubmitProposal(int(str(d.data.get("version", 0))))),
    },
    "workshop_name": {
        "name": _tap(lambda w, d: cb.ConfirmRegister(w.ids["workshop"])),
    },
    "broadcast": {
        "text": _send("R" + WIDE * (BROADCAST_MAX // 2 - 1)),
        "audience": _tap(lambda w, d: BroadcastAudience(0)),
        "preview": _leave,
    },
    "new_idea": {
        "region": _tap(lambda w, d: cb.StaffAnswer("region", w.ids["region"])),
        "title": _longest(IDEA_LIMITS["title"].max, "T"),
        "summary": _longest(IDEA_LIMITS["summary"].max, "S"),
        "body": _longest(IDEA_LIMITS["body"].max, "B"),
        "challenge": _tap(lambda w, d: cb.StaffAnswer("challenge", w.ids["challenge"])),
        "preview": _leave,
    },
    "edit_idea": {
        "field": _next_idea_field_or_leave,
        "title": _longest(IDEA_LIMITS["title"].max, "T"),
        "summary": _longest(IDEA_LIMITS["summary"].max, "S"),
        "body": _longest(IDEA_LIMITS["body"].max, "B"),
        "title_en": _longest(IDEA_LIMITS["title_en"].max, "T"),
        "summary_en": _longest(IDEA_LIMITS["summary_en"].max, "S"),
        "region": _tap(lambda w, d: cb.StaffAnswer("region", w.ids["region"])),
        "challenge": _tap(lambda w, d: cb.StaffAnswer("challenge", w.ids["challenge"])),
        "preview": _tap(lambda w, d: cb.StaffAnswer("back", 0)),
    },
    "idea_news": {
        "text": _longest(IDEA_LIMITS["news"].max, "N"),
        "preview": _leave,
    },
    "idea_status": {
        "status": _tap(lambda w, d: cb.StaffAnswer("status", 2)),
        "note": _longest(IDEA_LIMITS["note"].max, "N"),
        "preview": _leave,
    },
    "idea_archive": {
        "reason": _longest(IDEA_LIMITS["reason"].max, "R"),
        "preview": _leave,
    },
    "new_group": {
        "region": _tap(lambda w, d: cb.StaffAnswer("region", w.ids["region"])),
        "name": _longest(GROUP_LIMITS["name"].max, "G"),
        "description": _longest(GROUP_LIMITS["description"].max, "D"),
        "open": _tap(lambda w, d: cb.StaffAnswer("open", 1)),
        "preview": _leave,
    },
    "edit_group": {
        "name": _longest(GROUP_LIMITS["name"].max, "G"),
        "description": _longest(GROUP_LIMITS["description"].max, "D"),
        "preview": _group_preview,
    },
    "profile": {
        "overview": _next_profile_field_or_consent,
        "name": _longest(PROFILE_LIMITS["name"].max, "N"),
        "organisation": _longest(PROFILE_LIMITS["organisation"].max, "O"),
        "email": _send("e" * 60 + "@" + "d" * 60 + ".example.org"),
        "phone": _send("+49 211 123456"),
        "consent": _leave,
    },
}


async def _every_flow(walk: Walk) -> None:
    h, admin, citizen = walk.h, walk.admin, walk.citizen
    await citizen.command("start")

    async def join() -> None:
        await citizen.command("start", f"idea_{IDEA}")
        await citizen.tap("🙋 Mitmachen")

    async def write() -> None:
        await citizen.tap_data(cb.WriteComment(walk.ids["idea"]).encode(), message=citizen.last)

    await walk.flow(citizen, "workgroup", join)
    await walk.flow(citizen, "comment", write)
    await walk.flow(citizen, "search", lambda: citizen.command("suche"))
    await walk.flow(citizen, "proposal", lambda: citizen.command("idee_vorschlagen"))

    async def take_part() -> None:
        register = cb.Register(walk.ids["workshop"]).encode()
        await citizen.tap_data(register, message=citizen.last)

    await walk.flow(citizen, "workshop_name", take_part)
    [pending] = await h.data.comments.repo.by_user(citizen.user_id)

    async def reject() -> None:
        await admin.command("moderation")
        decision = QueueDecision(pending.id, "reject", 0)
        await admin.tap_data(decision.encode(), message=admin.last)

    await walk.flow(admin, "moderation_reason", reject)
    await walk.flow(admin, "new_workshop", lambda: admin.command("neuer_termin"))
    await walk.flow(admin, "edit_workshop", lambda: admin.command("termin_aendern"))
    await walk.flow(admin, "cancel_workshop", lambda: admin.command("termin_absagen"))
    await walk.flow(admin, "broadcast", lambda: admin.command("rundschreiben"))

    def manage(task: cb.IdeaTask) -> Callable[[], Awaitable[object]]:
        return lambda: admin.tap_data(cb.ManageIdea(walk.ids["idea"], task).encode())

    await walk.flow(admin, "new_idea", lambda: admin.command("neue_idee"))
    await walk.flow(admin, "edit_idea", manage("e"))
    await walk.flow(admin, "idea_news", manage("n"))
    await walk.flow(admin, "idea_status", manage("s"))
    await walk.flow(admin, "idea_archive", manage("a"))
    await walk.flow(admin, "new_group", lambda: admin.tap_data(cb.NewGroup().encode()))
    group = cb.ManageGroup(walk.ids["group"], "n")
    await walk.flow(admin, "edit_group", lambda: admin.tap_data(group.encode()))
    await walk.flow(walk.contact, "profile", lambda: walk.contact.command("profil"))


# -------------------------------------------------------------------------- outside dialogues


def _commands(h: Harness) -> list[str]:
    """One name of every registered command (German and English names share a callback)."""
    seen: dict[object, str] = {}
    for handlers in h.app.handlers.values():
        for handler in handlers:
            if isinstance(handler, CommandHandler):
                seen.setdefault(handler.callback, sorted(handler.commands)[0])
    return sorted(seen.values())


async def _outside_dialogues(walk: Walk) -> None:
    h, admin, citizen = walk.h, walk.admin, walk.citizen
    await citizen.send(walk.text)  # the region finder
    walk.check("region finder")
    await citizen.send("/" + walk.text)  # an unknown command
    walk.check("unknown command")
    for command in _commands(h):
        await admin.send(f"/{command} {walk.text}")
        walk.check(f"/{command}")
        if await h.data.drafts.get(admin.user_id) is not None:
            await admin.command("abbrechen")
    await walk.deliver("commands")


# -------------------------------------------------------------------------- the test


def _config(db_path: Path) -> Settings:
    return make_settings(db_path)


def test_every_registered_flow_is_walked(tmp_path: Path) -> None:
    app = build_application(_config(tmp_path / "unused.sqlite3"))
    assert set(dialog.flows(app.bot_data)) == set(FLOWS)


async def _prepare(h: Harness) -> dict[str, int]:
    await load(h)
    await link_contact(h)
    admin = h.admin()
    await admin.command("start")
    await h.deliver()
    await opt_in(admin)  # the broadcast to „Alle“ reaches someone
    region = await h.data.regions.get_by_slug("koeln")
    assert region is not None
    start = dt.datetime(2027, 5, 12, 12, 0, tzinfo=dt.UTC)
    workshop = await h.data.workshops.create(
        WorkshopFields(
            region_id=region.id,
            title="Gute Arbeit",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=4),
        )
    )
    idea = await h.data.db.fetchone("SELECT id FROM ideas WHERE slug = ?", (IDEA,))
    assert idea is not None
    challenge = (await h.data.ideas.challenges())[0]  # the idea has none: a change
    group = await h.data.db.fetchone("SELECT id FROM working_groups ORDER BY id LIMIT 1")
    assert group is not None
    return {
        "region": region.id,
        "workshop": workshop,
        "idea": int(idea["id"]),
        "challenge": challenge.id,
        "group": int(group["id"]),
    }


def test_any_text_anywhere_gets_replies_telegram_accepts(template_db: Path, tmp_path: Path) -> None:
    db_path = tmp_path / "ideenlabor.sqlite3"
    shutil.copy(template_db, db_path)
    config = _config(db_path)
    clock = FakeClock(dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC))
    with asyncio.Runner() as runner:
        stack = AsyncExitStack()
        h = runner.run(stack.enter_async_context(running(config, clock)))
        try:
            ids = runner.run(_prepare(h))

            @settings(
                max_examples=12,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            )
            @example(text="x" * 4100 + "@example.org")
            @example(text=WIDE * 100_000)
            @given(text=typed_texts())
            def anywhere(text: str) -> None:
                walk = Walk(h, text, ids)
                runner.run(_outside_dialogues(walk))
                runner.run(_every_flow(walk))

            anywhere()
        finally:
            runner.run(stack.aclose())
