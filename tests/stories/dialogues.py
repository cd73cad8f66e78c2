"""Story steps of typed dialogues, shared by the test modules of every dialogue."""

from __future__ import annotations

from bot.offline.fake_user import FakeUser

from conftest import Harness


async def refused(h: Harness, user: FakeUser, text: str, why: str) -> None:
    """Send an answer the dialogue must refuse: the warning says why, and nothing is lost.

    The person's draft (flow, step and everything entered) is exactly as before, so the same
    question can be answered again; without a draft (the region finder) none appears.
    """
    before = await h.data.drafts.get(user.user_id)
    await user.send(text)
    assert why in user.last.text, f"{text[:40]!r} got no {why!r}: {user.last.text!r}"
    after = await h.data.drafts.get(user.user_id)
    assert after == before, f"{text[:40]!r} changed the draft: {before} -> {after}"
