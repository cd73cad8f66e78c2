"""Story steps of citizens joining working groups (Mitmachen), shared by several test modules."""

from __future__ import annotations

from workgroup_helpers import IDEA, link_contact, load, register

from bot.offline.fake_api import SentMessage
from bot.offline.fake_user import FakeUser

from conftest import Harness

MARK = "✅ Als kontaktiert markieren"
EMAIL = "erika@example.org"


async def registered(
    h: Harness, *, email: str | None = None, phone: str | None = None, message: str | None = None
) -> FakeUser:
    """Erika registers for the imported NiederRhein group with these details and agrees."""
    erika = h.user()
    await register(erika, email=email, phone=phone, message=message)
    await erika.tap("✅ Einverstanden, senden")
    return erika


async def with_contact(
    h: Harness, *, email: str | None = EMAIL, phone: str | None = None
) -> tuple[FakeUser, FakeUser]:
    """Anna is NiederRhein's contact; Erika registers for its working group (with her e-mail
    address unless told otherwise) and consents."""
    await load(h)
    anna = await link_contact(h)
    return anna, await registered(h, email=email, phone=phone)


async def announced(
    h: Harness, *, email: str | None = EMAIL
) -> tuple[FakeUser, FakeUser, SentMessage]:
    """Registered as above and delivered: Anna, Erika and Anna's notice with its button."""
    anna, erika = await with_contact(h, email=email)
    await h.deliver()
    notice = anna.last
    assert "Neue Meldung" in notice.text and notice.buttons == [[MARK]]
    return anna, erika, notice


async def withdraw(user: FakeUser) -> None:
    """Withdraw the first registration in /meine_gruppen, and confirm."""
    await user.command("meine_gruppen")
    await user.tap("↩️ Nr. 1 zurückziehen")
    await user.tap("↩️ Ja, zurückziehen")


async def update_details(user: FakeUser, *, phone: str) -> None:
    """Erika updates her registration (Mitmachen again, „Angaben aktualisieren“): the same name
    and e-mail address, now with a phone number; she agrees again."""
    await user.command("start", f"idea_{IDEA}")
    await user.tap("🙋 Mitmachen")
    await user.tap("✏️ Angaben aktualisieren")
    await user.tap("✅ Beibehalten: Erika")
    await user.send(EMAIL)
    await user.send(phone)
    await user.tap("⏭ Überspringen")
    await user.tap("✅ Einverstanden, senden")
    assert "wurden aktualisiert" in user.last.text, user.last.text
