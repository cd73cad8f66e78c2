"""Callback data: a small versioned format ("1|action|arg|…"), built and parsed only here."""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache

VERSION = "1"
MAX_BYTES = 64
MAX_ID = 10**12
# Unix seconds up to the end of year 9999, the last moment a datetime can hold: a field with
# this range (register(cls, issued=UNIX_TIME)) never makes fromtimestamp() raise.
UNIX_TIME = range(0, 253_402_300_800)


@dataclass(frozen=True)
class Action:
    """Base of every button action; subclasses define CODE and integer/str fields."""

    CODE = ""

    def encode(self) -> str:
        """The callback_data string for this action."""
        parts = [VERSION, self.CODE, *(str(getattr(self, name)) for name in _names(type(self)))]
        data = "|".join(parts)
        if len(data) * 4 > MAX_BYTES and len(data.encode()) > MAX_BYTES:  # 4: UTF-8's widest
            raise ValueError(f"callback data too long: {data!r}")
        return data


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(cls: type) -> tuple[str, ...]:
    """The field names of an action class, in order (looked up once per class)."""
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


@dataclass(frozen=True)
class MainMenu(Action):
    """Show the main menu."""

    CODE = "m"


@dataclass(frozen=True)
class RegionList(Action):
    """Show all regions."""

    CODE = "r"


@dataclass(frozen=True)
class RegionIdeas(Action):
    """A page of a region's ideas; region_id 0 means ideas without a region."""

    CODE = "ri"
    region_id: int
    page: int


@dataclass(frozen=True)
class ChallengeList(Action):
    """Show all challenges."""

    CODE = "c"


@dataclass(frozen=True)
class ChallengeIdeas(Action):
    """A page of a challenge's ideas; challenge_id 0 means ideas without a challenge."""

    CODE = "ci"
    challenge_id: int
    page: int


@dataclass(frozen=True)
class ShowIdea(Action):
    """One idea; the back button returns to list ('r' or 'c'), list_id, page."""

    CODE = "i"
    idea_id: int
    list_kind: str
    list_id: int
    page: int


@dataclass(frozen=True)
class FindRegion(Action):
    """Explain how to find one's region."""

    CODE = "f"


@dataclass(frozen=True)
class LanguageMenu(Action):
    """Show the language choice."""

    CODE = "lm"


@dataclass(frozen=True)
class SetLanguage(Action):
    """Switch to a language."""

    CODE = "l"
    language: str


@dataclass(frozen=True)
class Help(Action):
    """Show the help."""

    CODE = "h"


@dataclass(frozen=True)
class About(Action):
    """Show the about text with data sources."""

    CODE = "a"


_ACTIONS: dict[str, type[Action]] = {
    cls.CODE: cls
    for cls in (
        MainMenu,
        RegionList,
        RegionIdeas,
        ChallengeList,
        ChallengeIdeas,
        ShowIdea,
        FindRegion,
        LanguageMenu,
        SetLanguage,
        Help,
        About,
    )
}
# Allowed values per (action, field): strings must be listed; integers may be given a range
# (default: 0 ≤ n < MAX_ID). Anything else parses as invalid, i.e. as a stale button.
_CHOICES: dict[tuple[type[Action], str], frozenset[str] | range] = {
    (ShowIdea, "list_kind"): frozenset({"r", "c"}),
    (SetLanguage, "language"): frozenset({"de", "en"}),
}


def register(cls: type[Action], **choices: frozenset[str] | range) -> type[Action]:
    """Let a later feature module add its own actions (allowed strings, ranges of integers)."""
    if cls.CODE in _ACTIONS and _ACTIONS[cls.CODE] is not cls:
        raise ValueError(f"callback code {cls.CODE!r} is taken")
    _ACTIONS[cls.CODE] = cls
    for name, allowed in choices.items():
        _CHOICES[(cls, name)] = allowed
    _parse.cache_clear()
    return cls


def parse(data: object) -> Action | None:
    """The action a button carries, or None for anything malformed, stale or forged."""
    if not isinstance(data, str):
        return None
    return _parse(data)


@lru_cache(maxsize=4096)
def _parse(data: str) -> Action | None:
    """parse() for strings; cached, since every button handler's pattern asks again."""
    if len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split("|")
    if len(parts) < 2 or parts[0] != VERSION or parts[1] not in _ACTIONS:
        return None
    cls = _ACTIONS[parts[1]]
    spec = fields(cls)
    if len(parts) - 2 != len(spec):
        return None
    values: dict[str, object] = {}
    for f, raw in zip(spec, parts[2:], strict=True):
        allowed = _CHOICES.get((cls, f.name))
        if f.type in ("int", int):
            if not (raw.isascii() and raw.isdigit()) or len(raw) > 13 or int(raw) >= MAX_ID:
                return None
            number = int(raw)
            if isinstance(allowed, range) and number not in allowed:
                return None
            values[f.name] = number
        else:
            if allowed is None or raw not in allowed:
                return None
            values[f.name] = raw
    return cls(**values)


# ---------------------------------------------------------------- Ideenlabore (workshops)


@dataclass(frozen=True)
class WorkshopList(Action):
    """Upcoming workshops; region_id 0 means all regions."""

    CODE = "wl"
    region_id: int
    page: int


@dataclass(frozen=True)
class WorkshopRegions(Action):
    """Choose a region to filter workshops."""

    CODE = "wr"


@dataclass(frozen=True)
class ShowWorkshop(Action):
    """One workshop's detail."""

    CODE = "w"
    workshop_id: int


@dataclass(frozen=True)
class FollowWorkshop(Action):
    """Switch reminders for a workshop on (1) or off (0)."""

    CODE = "wf"
    workshop_id: int
    on: int


@dataclass(frozen=True)
class SubscribeRegion(Action):
    """Subscribe (1) to or unsubscribe (0) from a region's new dates."""

    CODE = "ws"
    region_id: int
    on: int


@dataclass(frozen=True)
class WorkshopCalendar(Action):
    """Send the workshop as an .ics file."""

    CODE = "wc"
    workshop_id: int


@dataclass(frozen=True)
class Register(Action):
    """Ask to take part (step 1: shows what is passed on)."""

    CODE = "wj"
    workshop_id: int


@dataclass(frozen=True)
class ConfirmRegister(Action):
    """Consent given: register."""

    CODE = "wk"
    workshop_id: int


@dataclass(frozen=True)
class Unregister(Action):
    """Give up a seat or a waiting place."""

    CODE = "wu"
    workshop_id: int


@dataclass(frozen=True)
class CannotCome(Action):
    """From a reminder: free the seat (or stop reminders) with one tap."""

    CODE = "wx"
    workshop_id: int


@dataclass(frozen=True)
class MyDates(Action):
    """The user's registrations, reminders and subscriptions."""

    CODE = "md"


@dataclass(frozen=True)
class Participants(Action):
    """Admin: the participant list of a workshop."""

    CODE = "wp"
    workshop_id: int


@dataclass(frozen=True)
class ParticipantsCsv(Action):
    """Admin: the participant list as a CSV file."""

    CODE = "wv"
    workshop_id: int


for _cls in (
    WorkshopList,
    WorkshopRegions,
    ShowWorkshop,
    FollowWorkshop,
    SubscribeRegion,
    WorkshopCalendar,
    Register,
    ConfirmRegister,
    Unregister,
    CannotCome,
    MyDates,
    Participants,
    ParticipantsCsv,
):
    register(_cls)


# ---------------------------------------------------------------- comments, ratings, moderation


@dataclass(frozen=True)
class SortedRegionIdeas(Action):
    """A page of a region's ideas in an order: n(ewest), d(iscussed), r(ated)."""

    CODE = "rj"
    region_id: int
    sort: str
    page: int


@dataclass(frozen=True)
class IdeaComments(Action):
    """A page of an idea's published comments."""

    CODE = "ic"
    idea_id: int
    page: int


@dataclass(frozen=True)
class WriteComment(Action):
    """Start writing a comment on an idea."""

    CODE = "cw"
    idea_id: int


@dataclass(frozen=True)
class SubmitComment(Action):
    """Publish the comment shown in preview number `version` of the draft ("Absenden")."""

    CODE = "cs"
    version: int


@dataclass(frozen=True)
class CommentName(Action):
    """Choose how to appear under comments: f(irst name) or a(nonymous)."""

    CODE = "cn"
    choice: str


@dataclass(frozen=True)
class ReportComment(Action):
    """Report a comment (shows the reasons)."""

    CODE = "cr"
    comment_id: int


@dataclass(frozen=True)
class ReportReason(Action):
    """Report a comment for a reason."""

    CODE = "cq"
    comment_id: int
    reason: str


@dataclass(frozen=True)
class MyComments(Action):
    """The user's own comments."""

    CODE = "mc"
    page: int


@dataclass(frozen=True)
class DeleteComment(Action):
    """Ask to delete one's own comment."""

    CODE = "cd"
    comment_id: int


@dataclass(frozen=True)
class ConfirmDeleteComment(Action):
    """Delete one's own comment."""

    CODE = "ce"
    comment_id: int


@dataclass(frozen=True)
class RateIdea(Action):
    """Show the star buttons for an idea."""

    CODE = "rt"
    idea_id: int


@dataclass(frozen=True)
class SetStars(Action):
    """Rate an idea with 1–5 stars."""

    CODE = "rs"
    idea_id: int
    stars: int


@dataclass(frozen=True)
class WithdrawRating(Action):
    """Withdraw one's rating of an idea."""

    CODE = "rw"
    idea_id: int


@dataclass(frozen=True)
class Moderate(Action):
    """A moderator's decision on a comment."""

    CODE = "mo"
    comment_id: int
    action: str


@dataclass(frozen=True)
class ModerationQueue(Action):
    """The moderation queue, oldest first."""

    CODE = "mq"


register(SortedRegionIdeas, sort=frozenset({"n", "d", "r"}))
register(CommentName, choice=frozenset({"f", "a"}))
register(ReportReason, reason=frozenset({"spam", "insult", "off_topic", "personal_data", "other"}))
register(Moderate, action=frozenset({"approve", "reject", "hide", "restore"}))
for _cls2 in (
    IdeaComments,
    WriteComment,
    SubmitComment,
    ReportComment,
    MyComments,
    DeleteComment,
    ConfirmDeleteComment,
    RateIdea,
    SetStars,
    WithdrawRating,
    ModerationQueue,
):
    register(_cls2)
