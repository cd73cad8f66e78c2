"""Story steps about tapping itself, shared by test modules of several areas."""

from __future__ import annotations

from bot.offline.fake_user import FakeUser

STALE_STEP = "Dieser Schritt ist nicht mehr aktuell."


async def tap_twice(user: FakeUser, label: str) -> None:
    """Tap a button, then the same button of the same message again: the second tap is stale."""
    message = user.keyboard_message()
    data = message.callback_data(label)
    assert data is not None
    await user.tap(label, message=message)
    await user.tap_data(data, message=message)
    assert user.answers[-1].text == STALE_STEP
