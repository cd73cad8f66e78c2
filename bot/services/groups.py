"""Staff maintain working groups: create, edit, open or close them, link and unlink ideas.

Each change is one transaction with its audit row, after checking (inside it) that the person
maintains the group's region — and, for a link, the idea's.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, replace
from functools import cached_property

from bot.logs import person
from bot.services.ideas import IdeaGoneError
from bot.services.staff import ChangeRefusedError, StaffService, TextLimit, require
from storage.audit import AuditNote, AuditRepository
from storage.db import Transaction
from storage.drafts import DraftEnd
from storage.ideas import IdeaRepository
from storage.workgroup_edits import GroupFields, WorkgroupEdits
from storage.workgroups import WorkgroupRepository

logger = logging.getLogger(__name__)

# Characters; the group's view shows at most 1500 of a description.
LIMITS: dict[str, TextLimit] = {
    "name": TextLimit(3, 100),
    "description": TextLimit(0, 1500, multiline=True),
}


class GroupGoneError(ChangeRefusedError):
    """There is no such working group (any more)."""

    key = "group_gone"


def checked(fields: GroupFields, names: tuple[str, ...] = ("name", "description")) -> GroupFields:
    """The fields with the named texts tidied; InvalidTextError for one outside its limits."""
    name, description = fields.name, fields.description
    if "name" in names:
        name = LIMITS["name"].clean("name", name)
    if "description" in names:
        description = LIMITS["description"].clean("description", description)
    return replace(fields, name=name, description=description)


class GroupEditService(StaffService):
    """Working groups as staff change them."""

    @cached_property
    def repo(self) -> WorkgroupRepository:
        """The working groups as citizens and staff screens read them."""
        return WorkgroupRepository(self._db)

    async def _region(self, tx: Transaction, group_id: int, user_id: int) -> int:
        """The group's region, if the person maintains it."""
        region_id = await WorkgroupEdits.region_of(tx, group_id)
        require(await self._staff(tx, user_id), region_id)
        if region_id is None:
            raise GroupGoneError(group_id)
        return region_id

    async def create(
        self, user_id: int, fields: GroupFields, *, open: bool, ends: DraftEnd | None = None
    ) -> tuple[int, str]:
        """A new working group in a region the person maintains; (id, slug)."""
        fields = checked(fields)
        now = self._clock()
        async with self._db.transaction() as tx:
            require(await self._staff(tx, user_id, ends), fields.region_id)
            group_id, slug = await WorkgroupEdits.create(tx, fields, now, open=open)
            note = AuditNote.by_user(
                user_id, "group_create", f"group:{group_id}", slug=slug, name=fields.name, open=open
            )
            await AuditRepository.record(tx, note, now)
        logger.info("Staff %s created working group %s", person(user_id), group_id)
        return group_id, slug

    async def edit(
        self, user_id: int, group_id: int, fields: GroupFields, *, ends: DraftEnd | None = None
    ) -> tuple[str, ...]:
        """Change name or description (the region stays); what changed."""
        now = self._clock()
        async with self._db.transaction() as tx:
            if ends is not None:
                await ends.apply(tx)
            region_id = await self._region(tx, group_id, user_id)
            group = await self.repo.group(group_id)
            assert group is not None  # it exists: _region found it
            before = asdict(
                GroupFields(
                    group.name, region_id, group.description, group.name_en, group.description_en
                )
            )
            names = tuple(n for n in ("name", "description") if before[n] != getattr(fields, n))
            fields = checked(replace(fields, region_id=region_id), names)
            changed = await WorkgroupEdits.edit(tx, group_id, fields, now) or ()
            if changed:
                note = AuditNote.by_user(
                    user_id,
                    "group_edit",
                    f"group:{group_id}",
                    changed=list(changed),
                    name=fields.name,
                )
                await AuditRepository.record(tx, note, now)
        return changed

    async def set_open(self, user_id: int, group_id: int, open: bool) -> bool:
        """Open the group for registrations, or close it; False if it already was so."""
        now = self._clock()
        async with self._db.transaction() as tx:
            await self._region(tx, group_id, user_id)
            changed = await WorkgroupEdits.set_open(tx, group_id, open, now)
            if changed:
                action = "group_open" if open else "group_close"
                await AuditRepository.record(
                    tx, AuditNote.by_user(user_id, action, f"group:{group_id}"), now
                )
        return changed

    async def link(self, user_id: int, group_id: int, idea_id: int, *, link: bool) -> bool:
        """The group carries the idea (link) or no longer; False if nothing changed.

        The person must maintain the group's region and the idea's.
        """
        now = self._clock()
        async with self._db.transaction() as tx:
            await self._region(tx, group_id, user_id)
            idea = await IdeaRepository.get_in(tx, idea_id)
            require(await self._staff(tx, user_id), idea.region_id if idea else None)
            if idea is None:
                raise IdeaGoneError(idea_id)
            if link:
                changed = await WorkgroupEdits.link_idea(tx, group_id, idea_id, now)
            else:
                changed = await WorkgroupEdits.unlink_idea(tx, group_id, idea_id, now)
            if changed:
                note = AuditNote.by_user(
                    user_id,
                    "group_link" if link else "group_unlink",
                    f"group:{group_id}",
                    idea=idea.slug,
                )
                await AuditRepository.record(tx, note, now)
        return changed
