"""Usage statistics for operators and admins: counts only, never who did what."""

from __future__ import annotations

import datetime as dt

from storage.collation import sort_key
from storage.models import RegionStats, Statistics, UpcomingWorkshop
from storage.proposals import ProposalRepository
from storage.repository import Repository
from storage.timeutil import from_db, to_db

COMMENT_STATUSES = ("pending", "approved", "rejected", "hidden", "deleted")
PROPOSAL_STATUSES = ("pending", "changes", "approved", "rejected", "merged")


def _users_stamp(moment: dt.datetime) -> str:
    """users.first_seen/last_seen are stored to the second (see storage/users.py)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class StatsRepository(Repository):
    """Counts across the tables, in a handful of queries."""

    async def collect(self, now: dt.datetime, *, upcoming_limit: int = 5) -> Statistics:
        """All numbers at once. Activity is users.last_seen (recorded at most once a day)."""
        totals = await self._db.fetchone(
            "SELECT (SELECT COUNT(*) FROM users) AS users,"
            " (SELECT COUNT(*) FROM users WHERE blocked_at IS NOT NULL) AS blocked,"
            " (SELECT COUNT(*) FROM users WHERE last_seen >= ?) AS active_7d,"
            " (SELECT COUNT(*) FROM users WHERE last_seen >= ?) AS active_30d,"
            " (SELECT COUNT(*) FROM ideas WHERE archived_at IS NULL) AS ideas,"
            " (SELECT COUNT(*) FROM ratings) AS ratings,"
            " (SELECT COUNT(*) FROM interest_registrations WHERE status != 'withdrawn')"
            "   AS interest,"
            " (SELECT COUNT(*) FROM region_subscriptions) AS subscribers",
            (
                _users_stamp(now - dt.timedelta(days=7)),
                _users_stamp(now - dt.timedelta(days=30)),
            ),
        )
        assert totals is not None
        by_status = await self._db.fetchall(
            "SELECT status, COUNT(*) AS n FROM comments GROUP BY status"
        )
        comments = dict.fromkeys(COMMENT_STATUSES, 0)
        comments.update({str(r["status"]): int(r["n"]) for r in by_status})
        regions = await self._db.fetchall(
            "SELECT r.name, r.idea_count AS ideas,"
            " (SELECT COUNT(*) FROM comments c JOIN ideas i ON i.id = c.idea_id"
            "   WHERE i.region_id = r.id AND c.status = 'approved') AS comments,"
            " (SELECT COUNT(*) FROM interest_registrations ir"
            "   JOIN working_groups g ON g.id = ir.group_id"
            "   WHERE g.region_id = r.id AND ir.status != 'withdrawn') AS interest,"
            " (SELECT COUNT(*) FROM region_subscriptions s WHERE s.region_id = r.id)"
            "   AS subscribers"
            " FROM regions r ORDER BY r.id"
        )
        stamp = to_db(now)
        upcoming_total = await self._db.count(
            "SELECT COUNT(*) FROM workshops WHERE starts_at > ? AND status != 'cancelled'",
            (stamp,),
        )
        upcoming = await self._db.fetchall(
            "SELECT w.title, r.name AS region, w.starts_at, w.capacity,"
            " (SELECT COUNT(*) FROM registrations g"
            "   WHERE g.workshop_id = w.id AND g.status = 'confirmed') AS confirmed,"
            " (SELECT COUNT(*) FROM registrations g"
            "   WHERE g.workshop_id = w.id AND g.status = 'waiting') AS waiting"
            " FROM workshops w JOIN regions r ON r.id = w.region_id"
            " WHERE w.starts_at > ? AND w.status != 'cancelled'"
            " ORDER BY w.starts_at, w.id LIMIT ?",
            (stamp, upcoming_limit),
        )
        proposals = dict.fromkeys(PROPOSAL_STATUSES, 0)
        by_region: dict[str, dict[str, int]] = {}
        for row in await ProposalRepository(self._db).counts():
            proposals[row.status] += row.count
            by_region.setdefault(row.region_name, dict.fromkeys(PROPOSAL_STATUSES, 0))
            by_region[row.region_name][row.status] = row.count
        return Statistics(
            proposals=proposals,
            proposals_by_region=by_region,
            collected_at=now,
            users=int(totals["users"]),
            blocked=int(totals["blocked"]),
            active_7d=int(totals["active_7d"]),
            active_30d=int(totals["active_30d"]),
            ideas=int(totals["ideas"]),
            comments=comments,
            ratings=int(totals["ratings"]),
            interest=int(totals["interest"]),
            subscribers=int(totals["subscribers"]),
            regions=sorted(
                (RegionStats(**dict(r)) for r in regions), key=lambda r: sort_key(r.name)
            ),
            upcoming_total=upcoming_total,
            upcoming=[
                UpcomingWorkshop(
                    title=r["title"],
                    region=r["region"],
                    starts_at=from_db(r["starts_at"]),
                    confirmed=int(r["confirmed"]),
                    waiting=int(r["waiting"]),
                    capacity=r["capacity"],
                )
                for r in upcoming
            ],
        )
