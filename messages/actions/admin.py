"""Admins' buttons: the workshop dialogues, broadcasts and the audit log."""

from __future__ import annotations

from typing import Literal

from messages.actions.base import Action
from messages.actions.payloads import OnRegion, OnWorkshop
from storage.audit import AuditAction

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
