"""A regional contact's public profile: what citizens see on the region's page and on the
Mitmachen consent screen.

Citizens see an imported contact (the operator's directory) by name and organisation. What a
contact publishes in the chat (name, organisation, optional e-mail and phone) is kept in the
public_* columns beside the imported record, with published_at, the moment they agreed that
it is shown to citizens; it then takes the imported record's place. A contact without an
imported record gets one of their own (self_made). An erasure (storage.privacy) removes what
they published and the records they made, and leaves the operator's imported record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from storage.collation import sort_key
from storage.db import Transaction
from storage.models import ContactProfile
from storage.repository import Repository
from storage.slugs import unique_slug
from storage.timeutil import to_db

# Published: what the person gave; otherwise the imported record (and no e-mail or phone).
_SELECT = (
    "SELECT id, region_id,"
    " CASE WHEN published_at IS NULL THEN name ELSE COALESCE(public_name, name) END AS name,"
    " CASE WHEN published_at IS NULL THEN organisation"
    "  ELSE COALESCE(public_organisation, organisation) END AS organisation,"
    " CASE WHEN published_at IS NULL THEN NULL ELSE public_email END AS public_email,"
    " CASE WHEN published_at IS NULL THEN NULL ELSE public_phone END AS public_phone,"
    " published_at, telegram_id FROM contacts"
)


class ContactProfileRepository(Repository):
    """Read and write contacts' public profiles."""

    async def public_of_region(self, region_id: int) -> list[ContactProfile]:
        """What citizens see of a region's contacts: imported ones and published profiles,
        by name (a profile made in the chat and not published is not shown)."""
        rows = await self._db.fetchall(
            f"{_SELECT} WHERE region_id = ? AND (self_made = 0 OR published_at IS NOT NULL)"
            " ORDER BY id",
            (region_id,),
        )
        profiles = [ContactProfile.of(r).model_copy(update={"telegram_id": None}) for r in rows]
        return sorted(profiles, key=lambda p: sort_key(p.name))

    async def names_of(self, user_ids: Iterable[int]) -> dict[int, str]:
        """The name citizens see for each linked contact, by Telegram id (staff lists name
        people with it; the bot keeps no other names, so someone who is no contact is absent)."""
        wanted = sorted(set(user_ids))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = await self._db.fetchall(
            f"{_SELECT} WHERE telegram_id IN ({marks})"
            " AND (self_made = 0 OR published_at IS NOT NULL) ORDER BY id DESC",
            wanted,
        )
        # The oldest linked record wins (rows come newest first): one stable name per person.
        return {int(r["telegram_id"]): str(r["name"]) for r in rows if r["name"]}

    async def profile_of(self, user_id: int, region_id: int) -> ContactProfile | None:
        """The contact record linked to this Telegram user in the region (the first one)."""
        row = await self._db.fetchone(
            f"{_SELECT} WHERE telegram_id = ? AND region_id = ? ORDER BY id LIMIT 1",
            (user_id, region_id),
        )
        return ContactProfile.of(row) if row else None

    @staticmethod
    async def publish(
        tx: Transaction,
        user_id: int,
        region_id: int,
        now: dt.datetime,
        *,
        name: str,
        organisation: str = "",
        public_email: str | None = None,
        public_phone: str | None = None,
    ) -> ContactProfile:
        """Save and publish the profile (the person agreed now); creates their own record
        when no contact record of the region is linked to them."""
        stamp = to_db(now)
        row = await tx.fetchone(
            "SELECT id FROM contacts WHERE telegram_id = ? AND region_id = ? ORDER BY id LIMIT 1",
            (user_id, region_id),
        )
        # An empty organisation: the imported record's (if any) is shown.
        values = (
            name,
            organisation or None,
            public_email or None,
            public_phone or None,
            stamp,
            stamp,
        )
        if row is not None:
            contact_id = int(row["id"])
            await tx.execute(
                "UPDATE contacts SET public_name = ?, public_organisation = ?, public_email = ?,"
                " public_phone = ?, published_at = ?, updated_at = ? WHERE id = ?",
                (*values, contact_id),
            )
        else:
            # By region, not by name: a key should not carry the person's name.
            region = await tx.fetchone("SELECT slug FROM regions WHERE id = ?", (region_id,))
            base = f"kontakt {region['slug']}" if region else "kontakt"
            slug = await unique_slug(tx, "contacts", base, fallback="kontakt")
            contact_id = await tx.insert(
                "INSERT INTO contacts (slug, region_id, name, organisation, public_name,"
                " public_organisation, public_email, public_phone, published_at, updated_at,"
                " telegram_id, self_made) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                (slug, region_id, name, organisation, *values, user_id),
            )
        found = await tx.fetchone(f"{_SELECT} WHERE id = ?", (contact_id,))
        assert found is not None
        return ContactProfile.of(found)

    @staticmethod
    async def unpublish(tx: Transaction, user_id: int, region_id: int, now: dt.datetime) -> bool:
        """Withdraw the profile: what was published is gone (citizens see an imported record
        as imported, nothing of a record made in the chat); False if nothing was published."""
        changed = await tx.execute(
            "UPDATE contacts SET public_name = NULL, public_organisation = NULL,"
            " public_email = NULL, public_phone = NULL, published_at = NULL,"
            " updated_at = ? WHERE telegram_id = ? AND region_id = ?"
            " AND published_at IS NOT NULL",
            (to_db(now), user_id, region_id),
        )
        return changed > 0
