"""Who may maintain what: admins every region, a region's contacts their own; text limits.

Shared by the services through which staff change the idea map (ideas, working groups,
contacts' profiles). Roles are read at every use, inside the change's own transaction, so a
revoked contact's open dialogue changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.basis import Service
from storage.db import Transaction
from storage.drafts import DraftEnd
from storage.roles import RoleRepository


class NotAllowedError(PermissionError):
    """The person may not change this (not staff, or not staff of that region)."""


class ChangeRefusedError(Exception):
    """The change cannot be made as asked (the thing is gone or in another state); `key`
    names the explanation (catalog `staff.refused.<key>`)."""

    key = "gone"


class InvalidTextError(ValueError):
    """A text outside its limits; `key` names the problem (empty, too_short, too_long)."""

    def __init__(self, field: str, key: str, *, length: int, limit: TextLimit) -> None:
        super().__init__(f"{field}: {key}")
        self.field = field
        self.key = key
        self.length = length
        self.limit = limit


@dataclass(frozen=True)
class Staff:
    """A person's staff roles, as read at one moment."""

    user_id: int
    admin: bool
    regions: frozenset[int]

    @property
    def is_staff(self) -> bool:
        """An admin, or a contact of at least one region."""
        return self.admin or bool(self.regions)

    def may(self, region_id: int | None) -> bool:
        """Whether the person may maintain what belongs to this region (no region: admins)."""
        return self.admin or (region_id is not None and region_id in self.regions)


async def staff_in(tx: Transaction, user_id: int, config_admins: frozenset[int]) -> Staff:
    """The person's roles, read inside the caller's transaction."""
    admin = user_id in config_admins or user_id in await RoleRepository.admin_ids(tx)
    regions = frozenset(await RoleRepository.contact_regions_in(tx, user_id))
    return Staff(user_id, admin, regions)


async def staff_of(roles: RoleRepository, user_id: int, config_admins: frozenset[int]) -> Staff:
    """The person's roles right now (for what a screen offers; changes check again)."""
    admin = user_id in config_admins or await roles.is_admin(user_id)
    return Staff(user_id, admin, frozenset(await roles.contact_regions(user_id)))


def require(staff: Staff, *region_ids: int | None) -> None:
    """NotAllowedError unless the person may maintain every one of these regions."""
    if not staff.is_staff or not all(staff.may(region_id) for region_id in region_ids):
        raise NotAllowedError(staff.user_id)


class StaffService(Service):
    """What the services through which staff change the idea map share: who may change what
    (the configured admins with the roles in the database)."""

    async def _staff(self, tx: Transaction, user_id: int, ends: DraftEnd | None = None) -> Staff:
        """The person's roles read in the change's transaction, after the dialogue `ends` that
        asked for the change is ended in it (it ends even if the change is refused)."""
        if ends is not None:
            await ends.apply(tx)
        return await staff_in(tx, user_id, self._config_admins)


@dataclass(frozen=True)
class TextLimit:
    """How long a text staff write may be (characters, after tidying the white space)."""

    min: int
    max: int
    multiline: bool = False
    optional: bool = False  # may be left empty (then it is "none"), else at least `min`

    def clean(self, field: str, raw: str) -> str:
        """The tidied text; InvalidTextError if it is outside the limits.

        Single-line texts have runs of white space made one space; multi-line ones keep
        their line breaks and lose only the white space around them.
        """
        value = raw.strip() if self.multiline else " ".join(raw.split())
        if not value:
            if self.optional or self.min == 0:
                return value
            raise InvalidTextError(field, "empty", length=0, limit=self)
        if len(value) < self.min:
            raise InvalidTextError(field, "too_short", length=len(value), limit=self)
        if len(value) > self.max:
            raise InvalidTextError(field, "too_long", length=len(value), limit=self)
        return value
