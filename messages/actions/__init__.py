"""The vocabulary of button actions: one protocol for handlers, views and services.

Every button the bot sends carries one of these actions as its callback data (see `base`).
They live here, below the services and the handlers, because all of them build buttons:
views and services put them into keyboards (also into the outbox), handlers answer them.
Importing this package declares every action, so the registry is complete.

One file, in sections by feature (the payloads first: `OnIdea`, … name what an action is about,
for handlers that take any action on, say, an idea): the whole protocol reads top to bottom,
and a new code is chosen with every code in sight. `tests/test_callback_wire.py` pins each.
"""

from __future__ import annotations

from typing import Annotated, Literal

from messages.actions.base import (
    MAX_BYTES,
    MAX_ID,
    VERSION,
    Action,
    FieldSpec,
    UnixTime,
    Word,
    parse,
    registry,
)
from storage.audit import AuditAction

# What the actions are about: the id each carries first, declared once for all of them.
#
# An action on an idea is `class RateIdea(OnIdea, code="rt")`: its data starts with the idea's id
# (more fields follow, after it), and a handler can take any `OnIdea` by its `idea_id`.


class OnIdea(Action, payload=True):
    """An action on one idea."""

    idea_id: int


class OnComment(Action, payload=True):
    """An action on one comment."""

    comment_id: int


class OnWorkshop(Action, payload=True):
    """An action on one workshop (Ideenlabor)."""

    workshop_id: int


class OnRegion(Action, payload=True):
    """An action on one region; what region_id 0 means, each action says."""

    region_id: int


class OnChallenge(Action, payload=True):
    """An action on one challenge; what challenge_id 0 means, each action says."""

    challenge_id: int


class OnProposal(Action, payload=True):
    """An action on one proposed idea."""

    proposal_id: int


class OnGroup(Action, payload=True):
    """An action on one working group."""

    group_id: int


class OnRegistration(Action, payload=True):
    """An action on one registration for a working group."""

    registration_id: int


# Buttons everyone meets: the main menu, help, the language, leaving a dialogue, privacy.

Language = Literal["de", "en"]


class MainMenu(Action, code="m"):
    """Show the main menu."""


class Help(Action, code="h"):
    """Show the help."""


class About(Action, code="a"):
    """Show the about text with data sources."""


class LanguageMenu(Action, code="lm"):
    """Show the language choice."""


class SetLanguage(Action, code="l"):
    """Switch to a language."""

    language: Language


class DialogCancel(Action, code="x"):
    """The cancel button of any dialogue."""


class ConfirmErase(Action, code="px"):
    """Yes, delete all my data; issued: when the prompt was shown (Unix seconds).

    A forged far-future time is stale (it parses as None), never a crash.
    """

    issued: UnixTime


class CancelErase(Action, code="pc"):
    """Keep my data."""


# Browsing the idea map: regions, challenges, their idea lists, one idea, finding a region.

# The list an idea was opened from, for its back button: a region's ('r') or a challenge's
# ('c') list, search results ('s', list_id: the kept search), a past Ideenlabor in the
# Rückblick of all regions ('w') or of its own region ('v') (list_id: the workshop), or the
# ideas one follows ('m', list_id 0).
ListKind = Literal["r", "c", "s", "w", "v", "m"]
Sort = Literal["n", "d", "r"]  # newest, most discussed, best rated


class RegionList(Action, code="r"):
    """Show all regions."""


class RegionIdeas(OnRegion, code="ri"):
    """A page of a region's ideas; region_id 0 means ideas without a region."""

    page: int


class SortedRegionIdeas(OnRegion, code="rj"):
    """A page of a region's ideas in an order: n(ewest), d(iscussed), r(ated)."""

    sort: Sort
    page: int


class ChallengeList(Action, code="c"):
    """Show all challenges."""


class ChallengeIdeas(OnChallenge, code="ci"):
    """A page of a challenge's ideas; challenge_id 0 means ideas without a challenge."""

    page: int


class ShowIdea(OnIdea, code="i"):
    """One idea; the back button returns to list (see ListKind), list_id, page."""

    list_kind: ListKind
    list_id: int
    page: int


class FindRegion(Action, code="f"):
    """Explain how to find one's region."""


# An idea's lifecycle for citizens (following, its history, /meine_ideen), the Rückblick of
# past Ideenlabore and the map picture.

# A past Ideenlabor's way back: the Rückblick of all regions ('a') or of its own region ('r').
ReviewScope = Literal["a", "r"]


class FollowIdea(OnIdea, code="if"):
    """„🔔 Folgen“ (on 1) or „Nicht mehr folgen“ (on 0)."""

    on: int


class IdeaHistory(OnIdea, code="ih"):
    """A page of an idea's history (its news and status changes), newest first."""

    page: int


class MyIdeas(Action, code="mi"):
    """/meine_ideen: a page of the ideas one follows."""

    page: int


class ShowMap(Action, code="k"):
    """The map picture with a button per region."""


class PastWorkshops(OnRegion, code="vl"):
    """A page of the Rückblick: past Ideenlabore, newest first; region_id 0 means all."""

    page: int


class PastRegions(Action, code="vr"):
    """The regions with their number of past Ideenlabore, to choose one."""


class ShowPastWorkshop(OnWorkshop, code="v"):
    """One past Ideenlabor; back to the Rückblick of all regions or its region, at page."""

    scope: ReviewScope
    page: int


# Comments and ratings (their moderation: messages.actions.moderation).

NameChoice = Literal["f", "a"]  # first name, anonymous
ReportReasonCode = Literal["spam", "insult", "off_topic", "personal_data", "other"]


class IdeaComments(OnIdea, code="ic"):
    """A page of an idea's published comments."""

    page: int


class ShowComment(OnComment, code="cv"):
    """One published comment in full; page is the comment list page to return to."""

    page: int


class WriteComment(OnIdea, code="cw"):
    """Start writing a comment on an idea."""


class ReviseComment(OnComment, code="cy"):
    """Rework a rejected comment and send it again (it replaces the rejected one)."""


class SubmitComment(Action, code="cs"):
    """Publish the comment shown in preview number `version` of the draft ("Absenden")."""

    version: int


class CommentName(Action, code="cn"):
    """Choose how to appear under comments: f(irst name) or a(nonymous)."""

    choice: NameChoice


class ReportComment(OnComment, code="cr"):
    """Report a comment (shows the reasons)."""


class ReportReason(OnComment, code="cq"):
    """Report a comment for a reason."""

    reason: ReportReasonCode


class MyComments(Action, code="mc"):
    """The user's own comments."""

    page: int


class DeleteComment(OnComment, code="cd"):
    """Ask to delete one's own comment."""


class ConfirmDeleteComment(OnComment, code="ce"):
    """Delete one's own comment."""


class RateIdea(OnIdea, code="rt"):
    """Show the star buttons for an idea."""


class SetStars(OnIdea, code="rs"):
    """Rate an idea with 1–5 stars."""

    stars: int


class WithdrawRating(OnIdea, code="rw"):
    """Withdraw one's rating of an idea."""


# Searching the ideas: a new search, and a page of a search's results.


class SearchStart(Action, code="sq"):
    """Ask for the words of a new search."""


class SearchResults(Action, code="sr"):
    """A page of the results of the search kept as query_id (storage.search)."""

    query_id: int
    page: int


# Citizens' buttons for the news: the opt-in, and „Abbestellen“ under every broadcast.


class NewsChoice(Action, code="nw"):
    """Receive the news ("y") or not ("n"), from the one-time offer ("o") or /neuigkeiten ("s")."""

    on: Literal["y", "n"]
    where: Literal["o", "s"]


class NewsStop(OnRegion, code="nu"):
    """„Abbestellen“ under a broadcast: the news (region 0, „Alle“) or the region's subscription."""


# Ideenlabore for citizens: dates, a date's detail, registration, reminders, subscriptions.


class WorkshopList(OnRegion, code="wl"):
    """Upcoming workshops; region_id 0 means all regions."""

    page: int


class WorkshopRegions(Action, code="wr"):
    """Choose a region to filter workshops."""


class ShowWorkshop(OnWorkshop, code="w"):
    """One workshop's detail."""


class FollowWorkshop(OnWorkshop, code="wf"):
    """Switch reminders for a workshop on (1) or off (0)."""

    on: int


class SubscribeRegion(OnRegion, code="ws"):
    """Subscribe (1) to or unsubscribe (0) from a region's new dates."""

    on: int


class WorkshopCalendar(OnWorkshop, code="wc"):
    """Send the workshop as an .ics file."""


class Register(OnWorkshop, code="wj"):
    """Ask to take part (step 1: shows what is passed on)."""


class ConfirmRegister(OnWorkshop, code="wk"):
    """Consent given: register."""


class CancelRegister(OnWorkshop, code="wn"):
    """Not registering after all: back to the date (the name dialogue ends)."""


class Unregister(OnWorkshop, code="wu"):
    """Give up a seat or a waiting place."""


class CannotCome(OnWorkshop, code="wx"):
    """From a reminder: free the seat (or stop reminders) with one tap."""


class MyDates(Action, code="md"):
    """The user's registrations, reminders and subscriptions."""


class Participants(OnWorkshop, code="wp"):
    """Admin: the participant list of a workshop."""


class ParticipantsCsv(OnWorkshop, code="wv"):
    """Admin: the participant list as a CSV file."""


# Working groups (Mitmachen) and the regional contacts who answer them (codes "g…").

JoinStep = Literal["t", "s", "k", "b"]  # take the Telegram name, skip, consent, keep
JoinField = Literal["name", "email", "phone", "message"]  # what the consent screen changes


class JoinIdea(OnIdea, code="gj"):
    """Mitmachen: register interest in a working group of an idea."""


class JoinGroup(OnGroup, code="gg"):
    """Choose a working group to register for (update: change an earlier registration)."""

    update: int


class JoinAnswer(Action, code="ga"):
    """A dialogue button: "t" take the Telegram name, "s" skip, "k" consent and send,
    "b" keep the current value (Beibehalten)."""

    answer: JoinStep


class JoinChange(Action, code="gf"):
    """From the consent screen: change one field, then come back to it."""

    field: JoinField


class ShowGroup(OnGroup, code="gs"):
    """One working group: description, ideas, contact, Mitmachen."""


class RegionGroups(OnRegion, code="gr"):
    """The working groups of a region."""


class MyGroups(Action, code="gm"):
    """The groups I registered for."""


class Withdraw(OnRegistration, code="gw"):
    """Withdraw one's registration."""


class ConfirmWithdraw(OnRegistration, code="gz"):
    """Withdraw one's registration: the one confirming tap."""


class MarkContacted(OnRegistration, code="gc"):
    """A contact marks a registration as contacted, whichever its revision (no longer built).

    Still answered: notices and lists in contacts' chats, and keyboards waiting in the outbox,
    carry it; it cannot tell which version they showed. New buttons are `MarkRevisionContacted`.
    """


class MarkRevisionContacted(OnRegistration, code="gk"):
    """A contact marks the revision of a registration they were shown as contacted.

    An update of the registration since (a new revision) marks nothing: its details are new.
    """

    revision: int


class Interested(OnRegion, code="gi"):
    """A contact's list of registrations (region 0: all their regions)."""


class ExportCsv(OnRegion, code="ge"):
    """A contact exports their region's registrations as CSV (region 0: all theirs)."""


class RemoveContact(Action, code="gx"):
    """An admin removes a linked contact from a region."""

    user_id: int
    region_id: int


# Citizens propose ideas: the dialogue's buttons, their own proposals, merging a duplicate.

# The fields of a proposal the preview can change: title, region, challenge, description,
# help with the implementation, name.
ProposalField = Literal["t", "r", "c", "d", "h", "n"]


class ProposeIdea(OnRegion, code="pa"):
    """„💡 Idee vorschlagen“; region_id and challenge_id pre-fill (0: not given)."""

    challenge_id: int


class ProposalRegion(OnRegion, code="pr"):
    """The region of the proposal being written."""


class ProposalChallenge(OnChallenge, code="pt"):
    """Its challenge (0: „passt zu keiner“)."""


class ProposalHelp(Action, code="ph"):
    """Whether the author wants to help implement it."""

    choice: Literal["y", "n"]


class ProposalName(Action, code="pn"):
    """The name it is published under: f(irst name) or a(nonymous)."""

    choice: Literal["f", "a"]


class ProposalAnyway(Action, code="pw"):
    """„Trotzdem vorschlagen“ after similar ideas were shown."""


class ProposalSimilar(OnIdea, code="pi"):
    """One of the similar ideas, opened from the dialogue."""


class ProposalEdit(Action, code="pe"):
    """Change one field from the preview."""

    field: ProposalField


class ProposalUseKept(Action, code="pu"):
    """Take the text typed before a button was chosen as the description."""


class SubmitProposal(Action, code="ps"):
    """Send the proposal shown in preview number `version` of the draft."""

    version: int


class ReviseProposal(OnProposal, code="pv"):
    """Reopen a proposal a moderator asked to change."""


class MyProposals(Action, code="pm"):
    """The user's own proposals with their status."""


class WithdrawProposal(OnProposal, code="pk"):
    """Ask to withdraw one's own undecided proposal."""


class ConfirmWithdrawProposal(OnProposal, code="pl"):
    """Withdraw it."""


class MergeInto(OnProposal, code="pg"):
    """A moderator merges a proposal into an existing idea; page: 0 from a notification,
    else the queue page + 1 to show afterwards."""

    idea_id: int
    page: int


class MergeBack(OnProposal, code="pb"):
    """Back from choosing the idea to merge into (page as in MergeInto)."""

    page: int


# Moderation of any kind of content: decisions, the queue, the reason dialogue.
#
# An item is named by its kind ("comment", …) and its id. Kinds are registered at run time
# (bot.services.moderation), so kind and decision are words the handlers check, not Literals.

KindName = Annotated[str, Word(12, "comment")]
DecisionName = Annotated[str, Word(12, "approve")]


class OnItem(Action, payload=True):
    """An action on one moderated item, named by its kind and its id."""

    kind: KindName
    item_id: int


class Decide(OnItem, code="mv"):
    """A moderator's decision on an item (from a notification)."""

    decision: DecisionName


class DecideInQueue(OnItem, code="mj"):
    """A decision taken in the /moderation list; page: the list page to show afterwards."""

    decision: DecisionName
    page: int


class DecideWithoutReason(OnItem, code="mr"):
    """Take the decision being asked about without giving a reason ("Ohne Begründung")."""


class ModerationQueue(Action, code="mq"):
    """The moderation queue, oldest first."""


class QueuePage(Action, code="mp"):
    """A page of the moderation queue."""

    page: int


# The buttons of the time when only comments were moderated. Notices and queue pages that
# carry them are still in moderators' chats: they parse as before (their fields never
# change) and decide on the comment, kind "comment".
Verdict = Literal["approve", "reject", "hide", "restore"]


class Moderate(OnComment, code="mo"):
    """A moderator's decision on a comment (from a notification; now Decide)."""

    action: Verdict


class QueueDecision(OnComment, code="mk"):
    """A decision on a comment taken in the /moderation list (now DecideInQueue)."""

    action: Verdict
    page: int


class RejectWithoutReason(OnComment, code="mn"):
    """Reject the comment being asked about, without a reason (now DecideWithoutReason)."""


# Staff maintain the idea map: ideas ("e…"), working groups ("k…"), their profile.
#
# Buttons inside a staff dialogue carry a `StaffAnswer`; which dialogue it answers is the one
# the person's draft belongs to (handlers.staff_answers), so one small vocabulary serves them all.

# What to do with an idea: the menu, edit, news, status, archive, restore (asks first).
IdeaTask = Literal["m", "e", "n", "s", "a", "r"]
# What to do with a working group: the menu, its name, its description, open, close, ideas.
GroupTask = Literal["m", "n", "d", "o", "c", "i"]
# An answer in a staff dialogue: a region, a challenge (0: none), a status or a field (by
# position), open or not (1/0), skip or remove an optional value, confirm (publish, save),
# back (to the previous screen), amend (choose a field of the preview), withdraw (a profile).
AnswerKind = Literal[
    "region", "challenge", "status", "field", "open", "skip", "confirm", "back", "amend", "withdraw"
]
Flag = Annotated[int, range(0, 2)]


class ManageIdea(OnIdea, code="em"):
    """Staff: an idea's manage menu, or one of its tasks."""

    task: IdeaTask


class ConfirmRestore(OnIdea, code="eq"):
    """Yes, show the archived idea again."""


class ArchivedPage(Action, code="el"):
    """/archiv: a page of the archived ideas of the person's regions."""

    page: int


class StaffAnswer(Action, code="ek"):
    """A button of the staff dialogue the person is in (value: an id, a position, 0 or 1)."""

    kind: AnswerKind
    value: int


class StaffGroups(Action, code="kl"):
    """/arbeitsgruppen: a page of the working groups of the person's regions."""

    page: int


class ManageGroup(OnGroup, code="km"):
    """Staff: a working group's menu, or one of its tasks."""

    task: GroupTask


class NewGroup(Action, code="kn"):
    """Staff: create a working group."""


class GroupIdeaPage(OnGroup, code="kp"):
    """Staff: a page of the region's ideas to link to the group."""

    page: int


class LinkIdea(OnGroup, code="kk"):
    """Staff: the group carries the idea (link 1) or no longer (0); page: where the list was."""

    idea_id: int
    link: Flag
    page: int


# Admins' buttons: the workshop dialogues, broadcasts and the audit log.

# Optional fields: left empty with "skip", or cleared with "remove".
OptionalField = Literal["link", "capacity", "description"]
# What an admin can choose to change ("time" asks start, then end).
EditableField = Literal["title", "time", "venue", "address", "link", "capacity", "description"]
NewField = Literal["region", EditableField]  # a new workshop's region can still change
PickKind = Literal["e", "c"]  # choosing a workshop to edit, or to cancel
AuditWho = Literal["-", "cli", "user"]  # everyone, the command line, one user (user_id)
AuditFilter = Literal["-", AuditAction]  # every action, or one


class NewRegion(OnRegion, code="an"):
    """The region of the new workshop."""


class Skip(Action, code="as"):
    """Leave an optional field empty (link, capacity, description)."""

    field: OptionalField


class Publish(Action, code="ap"):
    """Publish the previewed workshop."""


class Amend(Action, code="ae"):
    """Choose a field of the previewed workshop to change."""


class AmendField(Action, code="af"):
    """Change one field of the previewed workshop."""

    field: NewField


class BackToPreview(Action, code="av"):
    """Return to the preview without changing anything."""


class PickPage(Action, code="al"):
    """A page of the workshops to change ('e') or cancel ('c')."""

    kind: PickKind
    page: int


class EditWorkshop(OnWorkshop, code="aw"):
    """Change this workshop: what?"""


class EditField(OnWorkshop, code="ai"):
    """Change this field of the workshop."""

    field: EditableField


class ClearField(Action, code="ar"):
    """Remove the link or description, or lift the seat limit."""

    field: OptionalField


class EditSave(Action, code="ac"):
    """Save the previewed change and notify everyone concerned."""


class CancelWorkshop(OnWorkshop, code="ax"):
    """Cancel this workshop: are you sure?"""


class ConfirmCancel(OnWorkshop, code="ay"):
    """Yes, cancel it."""


class BroadcastAudience(OnRegion, code="aa"):
    """Send to a region's subscribers; region_id 0 means everyone."""


class BroadcastAudiences(Action, code="ag"):
    """Choose the audience again."""


class BroadcastSend(Action, code="ab"):
    """Send the previewed broadcast."""


class AuditPage(Action, code="au"):
    """A page of the audit log; who: '-' all, 'cli', or 'user' (then user_id); action or '-'."""

    page: int
    who: AuditWho
    user_id: int
    action: AuditFilter


NewStep = Literal[
    "region",
    "title",
    "starts",
    "ends",
    "venue",
    "address",
    "link",
    "capacity",
    "description",
    "preview",
]


class NewBack(Action, code="ak"):
    """Back to the step before this one of the new-workshop dialogue (kept answers stay)."""

    step: NewStep


class FormCancel(Action, code="aq"):
    """Cancel a workshop dialogue: at once if nothing is filled in, else after a question."""


class FormDiscard(Action, code="ad"):
    """Yes, throw the filled-in form away."""


class FormResume(Action, code="aj"):
    """No, go on with the form where it was."""


class InviteRegion(OnRegion, code="ao"):
    """Invite a contact for this region (/kontakt_einladen without a valid region)."""
