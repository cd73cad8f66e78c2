"""Story steps of citizens joining working groups, shared by several test modules."""

from __future__ import annotations

from workgroup_helpers import register

from bot.offline.fake_user import FakeUser

from conftest import Harness


async def registered(
    h: Harness, *, email: str | None = None, phone: str | None = None, message: str | None = None
) -> FakeUser:
    """Erika registers for the imported NiederRhein group with these details and agrees."""
    erika = h.user()
    await register(erika, email=email, phone=phone, message=message)
    await erika.tap("✅ Einverstanden, senden")
    return erika
