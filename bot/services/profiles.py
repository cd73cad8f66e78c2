"""A regional contact's public profile: published with the person's consent (the moment is
recorded), withdrawn at any time; both audited."""

from __future__ import annotations

from functools import cached_property

from bot.services.staff import NotAllowedError, StaffService, TextLimit
from storage.audit import AuditNote, AuditRepository
from storage.contact_format import normal_phone, valid_email
from storage.contact_profiles import ContactProfileRepository
from storage.drafts import DraftEnd
from storage.models import ContactProfile

LIMITS: dict[str, TextLimit] = {
    "name": TextLimit(2, 100),
    "organisation": TextLimit(0, 150),
}


class ProfileService(StaffService):
    """Publish and withdraw contacts' public profiles."""

    @cached_property
    def repo(self) -> ContactProfileRepository:
        """The profiles, published and withdrawn."""
        return ContactProfileRepository(self._db)

    async def publish(
        self,
        user_id: int,
        region_id: int,
        *,
        name: str,
        organisation: str = "",
        email: str | None = None,
        phone: str | None = None,
        ends: DraftEnd | None = None,
    ) -> ContactProfile:
        """Show these details to citizens from now on (the person agreed now).

        Only a contact of the region publishes their profile there (NotAllowedError); the
        details must be valid (ValueError: the dialogue checks them first).
        """
        name = LIMITS["name"].clean("name", name)
        organisation = LIMITS["organisation"].clean("organisation", organisation)
        if email and not valid_email(email):
            raise ValueError("not an e-mail address")
        if phone and normal_phone(phone) != phone:
            raise ValueError("not a phone number in international form")
        now = self._clock()
        async with self._db.transaction() as tx:
            if region_id not in (await self._staff(tx, user_id, ends)).regions:
                raise NotAllowedError(user_id)
            profile = await ContactProfileRepository.publish(
                tx,
                user_id,
                region_id,
                now,
                name=name,
                organisation=organisation,
                public_email=email,
                public_phone=phone,
            )
            shown = ["name"] + [
                key
                for key, value in (
                    ("organisation", organisation),
                    ("email", email),
                    ("phone", phone),
                )
                if value
            ]
            note = AuditNote.by_user(
                user_id,
                "profile_publish",
                f"contact:{profile.id}",
                region_id=region_id,
                shown=shown,
            )
            await AuditRepository.record(tx, note, now)
        return profile

    async def unpublish(
        self, user_id: int, region_id: int, *, ends: DraftEnd | None = None
    ) -> bool:
        """Citizens no longer see what the person published; False if nothing was."""
        now = self._clock()
        async with self._db.transaction() as tx:
            if ends is not None:
                await ends.apply(tx)
            changed = await ContactProfileRepository.unpublish(tx, user_id, region_id, now)
            if changed:
                note = AuditNote.by_user(
                    user_id, "profile_unpublish", f"region:{region_id}", region_id=region_id
                )
                await AuditRepository.record(tx, note, now)
        return changed
