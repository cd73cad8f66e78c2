"""The wire format of every button action stays as it was sent.

Buttons already in users' chats and keyboards waiting in the outbox carry these encodings:
for each code, the action's class, its fields in wire order and what each accepts (`int`: an
id 0 ≤ n < MAX_ID; `int[a,b)`: that range; `x/y`: one of these texts; `wordN`: a lowercase
word of up to N letters). Generated from the registry before the action classes shared
payload bases; a change here breaks sent buttons, so it needs a migration path, not an edit.
"""

from __future__ import annotations

import pytest

from messages import actions as cb

WIRE = {
    "a": "About",
    "aa": "BroadcastAudience region_id:int",
    "ab": "BroadcastSend",
    "ac": "EditSave",
    "ad": "FormDiscard",
    "ae": "Amend",
    "af": "AmendField field:region/title/time/venue/address/link/capacity/description",
    "ag": "BroadcastAudiences",
    "ai": "EditField workshop_id:int field:title/time/venue/address/link/capacity/description",
    "aj": "FormResume",
    "ak": "NewBack step:region/title/starts/ends/venue/address/link/capacity/description/preview",
    "al": "PickPage kind:e/c page:int",
    "an": "NewRegion region_id:int",
    "ao": "InviteRegion region_id:int",
    "ap": "Publish",
    "aq": "FormCancel",
    "ar": "ClearField field:link/capacity/description",
    "as": "Skip field:link/capacity/description",
    "au": "AuditPage page:int who:-/cli/user user_id:int action:-/role_grant/role_revoke/workshop_create/workshop_edit/workshop_cancel/broadcast/moderation/contact_invite/contact_remove/interest_contacted/export_interested/export_participants/import/idea_archive/idea_restore/idea_create/idea_edit/idea_status/idea_news/group_create/group_edit/group_open/group_close/group_link/group_unlink/profile_publish/profile_unpublish",
    "av": "BackToPreview",
    "aw": "EditWorkshop workshop_id:int",
    "ax": "CancelWorkshop workshop_id:int",
    "ay": "ConfirmCancel workshop_id:int",
    "c": "ChallengeList",
    "cd": "DeleteComment comment_id:int",
    "ce": "ConfirmDeleteComment comment_id:int",
    "ci": "ChallengeIdeas challenge_id:int page:int",
    "cn": "CommentName choice:f/a",
    "cq": "ReportReason comment_id:int reason:spam/insult/off_topic/personal_data/other",
    "cr": "ReportComment comment_id:int",
    "cs": "SubmitComment version:int",
    "cv": "ShowComment comment_id:int page:int",
    "cw": "WriteComment idea_id:int",
    "cy": "ReviseComment comment_id:int",
    "ek": "StaffAnswer kind:region/challenge/status/field/open/skip/confirm/back/amend/withdraw value:int",
    "el": "ArchivedPage page:int",
    "em": "ManageIdea idea_id:int task:m/e/n/s/a/r",
    "eq": "ConfirmRestore idea_id:int",
    "f": "FindRegion",
    "ga": "JoinAnswer answer:t/s/k/b",
    "gc": "MarkContacted registration_id:int",  # sent before "gk": marks the current revision
    "ge": "ExportCsv region_id:int",
    "gf": "JoinChange field:name/email/phone/message",
    "gg": "JoinGroup group_id:int update:int",
    "gi": "Interested region_id:int",
    "gj": "JoinIdea idea_id:int",
    "gk": "MarkRevisionContacted registration_id:int revision:int",  # since "gc": the version shown
    "gm": "MyGroups",
    "gr": "RegionGroups region_id:int",
    "gs": "ShowGroup group_id:int",
    "gw": "Withdraw registration_id:int",
    "gx": "RemoveContact user_id:int region_id:int",
    "gz": "ConfirmWithdraw registration_id:int",
    "h": "Help",
    "i": "ShowIdea idea_id:int list_kind:r/c/s/w/v/m list_id:int page:int",
    "ic": "IdeaComments idea_id:int page:int",
    "if": "FollowIdea idea_id:int on:int",
    "ih": "IdeaHistory idea_id:int page:int",
    "k": "ShowMap",
    "kk": "LinkIdea group_id:int idea_id:int link:int[0,2) page:int",
    "kl": "StaffGroups page:int",
    "km": "ManageGroup group_id:int task:m/n/d/o/c/i",
    "kn": "NewGroup",
    "kp": "GroupIdeaPage group_id:int page:int",
    "l": "SetLanguage language:de/en",
    "lm": "LanguageMenu",
    "m": "MainMenu",
    "mc": "MyComments page:int",
    "md": "MyDates",
    "mi": "MyIdeas page:int",
    "mj": "DecideInQueue kind:word12 item_id:int decision:word12 page:int",
    "mk": "QueueDecision comment_id:int action:approve/reject/hide/restore page:int",
    "mn": "RejectWithoutReason comment_id:int",
    "mo": "Moderate comment_id:int action:approve/reject/hide/restore",
    "mp": "QueuePage page:int",
    "mq": "ModerationQueue",
    "mr": "DecideWithoutReason kind:word12 item_id:int",
    "mv": "Decide kind:word12 item_id:int decision:word12",
    "nu": "NewsStop region_id:int",
    "nw": "NewsChoice on:y/n where:o/s",
    "pa": "ProposeIdea region_id:int challenge_id:int",
    "pb": "MergeBack proposal_id:int page:int",
    "pc": "CancelErase",
    "pe": "ProposalEdit field:t/r/c/d/h/n",
    "pg": "MergeInto proposal_id:int idea_id:int page:int",
    "ph": "ProposalHelp choice:y/n",
    "pi": "ProposalSimilar idea_id:int",
    "pk": "WithdrawProposal proposal_id:int",
    "pl": "ConfirmWithdrawProposal proposal_id:int",
    "pm": "MyProposals",
    "pn": "ProposalName choice:f/a",
    "pr": "ProposalRegion region_id:int",
    "ps": "SubmitProposal version:int",
    "pt": "ProposalChallenge challenge_id:int",
    "pu": "ProposalUseKept",
    "pv": "ReviseProposal proposal_id:int",
    "pw": "ProposalAnyway",
    "px": "ConfirmErase issued:int[0,253402300800)",
    "r": "RegionList",
    "ri": "RegionIdeas region_id:int page:int",
    "rj": "SortedRegionIdeas region_id:int sort:n/d/r page:int",
    "rs": "SetStars idea_id:int stars:int",
    "rt": "RateIdea idea_id:int",
    "rw": "WithdrawRating idea_id:int",
    "sq": "SearchStart",
    "sr": "SearchResults query_id:int page:int",
    "v": "ShowPastWorkshop workshop_id:int scope:a/r page:int",
    "vl": "PastWorkshops region_id:int page:int",
    "vr": "PastRegions",
    "w": "ShowWorkshop workshop_id:int",
    "wc": "WorkshopCalendar workshop_id:int",
    "wf": "FollowWorkshop workshop_id:int on:int",
    "wj": "Register workshop_id:int",
    "wk": "ConfirmRegister workshop_id:int",
    "wl": "WorkshopList region_id:int page:int",
    "wn": "CancelRegister workshop_id:int",
    "wp": "Participants workshop_id:int",
    "wr": "WorkshopRegions",
    "ws": "SubscribeRegion region_id:int on:int",
    "wu": "Unregister workshop_id:int",
    "wv": "ParticipantsCsv workshop_id:int",
    "wx": "CannotCome workshop_id:int",
    "x": "DialogCancel",
}


def kind(field: cb.FieldSpec) -> str:
    """What a field accepts, written as in WIRE."""
    if field.numbers is not None:
        if field.numbers == range(0, cb.MAX_ID):
            return "int"
        return f"int[{field.numbers.start},{field.numbers.stop})"
    if field.word is not None:
        return f"word{field.word.longest}"
    return "/".join(field.texts or ())


def test_the_registry_has_exactly_the_pinned_codes() -> None:
    assert sorted(cb.registry()) == sorted(WIRE)


@pytest.mark.parametrize("code", sorted(WIRE))
def test_each_action_keeps_its_class_fields_and_order(code: str) -> None:
    cls = cb.registry()[code]
    described = " ".join([cls.__name__, *(f"{f.name}:{kind(f)}" for f in cls.SPEC)])
    assert described == WIRE[code]


def sample(position: int, accepts: str) -> tuple[str, object]:
    """A valid raw value for a field at this position, and the value it parses to."""
    if accepts == "int":
        return str(10 + position), 10 + position  # distinct per position: a swap shows
    if accepts.startswith("int["):
        highest = int(accepts[4:-1].split(",")[1]) - 1
        return str(highest), highest
    if accepts.startswith("word"):
        return "z" * int(accepts[4:]), "z" * int(accepts[4:])
    last = accepts.split("/")[-1]
    return last, last


@pytest.mark.parametrize("code", sorted(WIRE))
def test_a_sent_button_of_each_action_parses_and_encodes_as_before(code: str) -> None:
    name, *fields = WIRE[code].split(" ")
    samples = [sample(i, field.split(":")[1]) for i, field in enumerate(fields)]
    data = "|".join(["1", code, *(raw for raw, _ in samples)])
    action = cb.parse(data)
    assert action is not None and type(action).__name__ == name
    names = [field.split(":")[0] for field in fields]
    assert [getattr(action, n) for n in names] == [value for _, value in samples]
    assert action.encode() == data


def test_a_payload_is_shared_not_sent() -> None:
    # RateIdea's idea comes from its payload: first on the wire, and what handlers rely on.
    assert isinstance(cb.RateIdea(7), cb.OnIdea) and cb.RateIdea(7).encode() == "1|rt|7"
    assert isinstance(cb.DecideInQueue("comment", 3, "hide", 2), cb.OnItem)
    with pytest.raises(TypeError, match="payload"):
        cb.OnIdea(7).encode()
    with pytest.raises(TypeError, match="no code"):

        class Coded(cb.Action, code="zz-coded", payload=True):
            idea_id: int

    with pytest.raises(TypeError, match="no coded base"):

        class FromAction(cb.RateIdea, payload=True):
            page: int

    with pytest.raises(ValueError, match="invalid callback code"):

        class Forgotten(cb.OnIdea):  # an action without its code fails, as before
            page: int

    assert cb.OnIdea not in cb.registry().values() and cb.OnItem not in cb.registry().values()
