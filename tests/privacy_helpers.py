"""A person with rows in every table that can name them, built through the bot's services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workgroup_helpers import IDEA, link_contact, load

from bot.importfile import parse_bundle
from bot.services.workgroups import Details
from handlers.broadcast import enqueue as enqueue_broadcast
from storage.contact_profiles import ContactProfileRepository
from storage.idea_followers import FollowRepository
from storage.idea_lifecycle import IdeaLifecycle
from storage.proposals import ProposalFields
from storage.workshops import WorkshopFields

from conftest import ADMIN_ID, Harness

# Distinctive values: none of them can appear by chance in the shipped data.
ZED = 7340012345
ZED_NAME = "Zacharias Zettelmeyer"
ZED_EMAIL = "zacharias@example.org"
ZED_PHONE = "+49211987654"
ZED_COMMENT = "Zacharias meint: Arbeit 4.0 braucht Weiterbildung im Betrieb."
ZED_DRAFT = "Ein halb geschriebener Gedanke von Zacharias"
ERIKA = 4711
BRUNO = 4712


@dataclass(frozen=True)
class Everywhere:
    """Ids of what was created for ZED."""

    workshop_id: int
    published_comment: int
    pending_comment: int
    erika_comment: int


async def everywhere(h: Harness) -> Everywhere:
    """ZED uses every feature: citizen, moderator (admin role), contact, broadcaster."""
    data = h.data
    now = h.clock()
    await load(h)
    anna = await link_contact(h)  # the NiederRhein contact (tells about ZED's registration)
    await h.user(ERIKA, "Erika").command("start")
    zed = h.user(ZED, "Zacharias")
    await zed.command("start")
    await zed.command("sprache")
    await zed.tap("Deutsch")
    idea = await data.ideas.get_by_slug(IDEA)
    assert idea is not None and idea.region_id is not None
    koeln = await data.regions.get_by_slug("koeln")
    assert koeln is not None
    # Roles: an admin role granted by the configured admin; ZED grants one to Bruno.
    await data.roles.grant(ZED, "admin", None, ADMIN_ID, now)
    await data.roles.grant(BRUNO, "admin", None, ZED, now)
    # Workshops: a subscription, reminders, a seat (Erika waits for it).
    await data.workshops.repo.subscribe_region(koeln.id, ZED, True, now)
    start = now + dt.timedelta(days=30)
    fields = WorkshopFields(
        region_id=koeln.id,
        title="Gute Arbeit in Köln",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        capacity=1,
    )
    workshop_id = await data.workshops.create(fields, slug="koeln-privacy")
    await data.workshops.repo.follow(workshop_id, ZED, True, now)
    assert await data.workshops.register(workshop_id, ZED, ZED_NAME) == "confirmed"
    assert await data.workshops.register(workshop_id, ERIKA, "Erika Muster") == "waiting"
    # Comments: one published, one waiting; a rating; a report and a decision on Erika's.
    published = await data.comments.submit(idea.id, ZED, "Zacharias", ZED_COMMENT)
    await data.moderation.decide("comment", published.id, ADMIN_ID, "approve")
    pending = await data.comments.submit(idea.id, ZED, "Zacharias", "Noch nicht freigegeben.")
    erika_comment = await data.comments.submit(idea.id, ERIKA, "Erika", "Erikas Gedanke dazu.")
    await data.moderation.decide("comment", erika_comment.id, ZED, "approve")
    await data.comments.report(erika_comment.id, ZED, "spam")
    await data.ratings.set(idea.id, ZED, 4, now)
    # A proposal for an idea, waiting for a decision (its moderators get a notice).
    proposal_fields = ProposalFields(
        "Zacharias' Werkstatt", ZED_COMMENT + " Mit Beispielen.", koeln.id, None, True
    )
    assert await data.proposals.submit(ZED, "Zacharias", proposal_fields) is not None
    # A registration of interest, delivered to Anna.
    [group] = await data.workgroups.repo.groups_of_idea(idea.id)
    await data.workgroups.register(
        group.id, ZED, Details(ZED_NAME, ZED_EMAIL, ZED_PHONE, "Ich helfe mit."), "Einverstanden."
    )
    # ZED as the contact of Köln: invited by himself, marks Erika's registration contacted.
    office = {"slug": "koeln-buero", "region": "koeln", "name": "Regionalbüro Köln"}
    await data.importer.apply(parse_bundle({"contacts": [office]}), now)
    row = await data.db.fetchone("SELECT id FROM contacts WHERE slug = 'koeln-buero'")
    assert row is not None
    token = await data.workgroups.invite(koeln.id, int(row["id"]), ZED)
    assert await data.workgroups.redeem(token, ZED) == ("ok", koeln.id)
    [koeln_group] = await data.workgroups.repo.groups_of_region(koeln.id)
    erika_reg, _ = await data.workgroups.register(koeln_group.id, ERIKA, Details("Erika"), "Ja.")
    assert (await data.workgroups.mark_contacted(erika_reg.id, ZED, ZED_NAME)).outcome == "marked"
    # ZED publishes a profile as Köln's contact; follows an idea; as an admin, changes an
    # idea's status, posts news and archives another idea (the staff tools of the chat come
    # with their feature; storage directly until then).
    async with data.db.transaction() as tx:
        await ContactProfileRepository.publish(
            tx, ZED, koeln.id, now, name=ZED_NAME, public_email=ZED_EMAIL, public_phone=ZED_PHONE
        )
        assert await FollowRepository.follow(tx, idea.id, ZED, now)
        assert await IdeaLifecycle.set_status(tx, idea.id, "elaboration", now, by=ZED)
        assert await IdeaLifecycle.post_news(tx, idea.id, "Es geht weiter.", now, by=ZED)
        other = await IdeaLifecycle.id_of(tx, "schachtzeichen-4-0")
        assert other is not None
        assert await IdeaLifecycle.archive(tx, other, "Doppelt erfasst.", now, by=ZED)
    # A broadcast by ZED (to the news readers, ZED included), and an unfinished comment.
    assert await data.news.choose(ZED, True, now)
    await enqueue_broadcast(data, ZED, "all", "Hallo zusammen!", now)
    await data.drafts.save(ZED, "comment", "text", {"idea_id": idea.id, "text": ZED_DRAFT}, now)
    data.users_with_drafts.add(ZED)
    await h.deliver()
    assert any(ZED_NAME in text for text in anna.texts())
    return Everywhere(workshop_id, published.id, pending.id, erika_comment.id)
