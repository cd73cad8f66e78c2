"""Staff views of roles and the audit log: people by name, things by title, all in words."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Mapping
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from messages.catalog import Html, catalog, t
from messages.content import localized, region_name
from storage.audit import CLI, AuditSubjects
from storage.collation import sort_key
from storage.models import AuditEntry, Grant

_LOCALES = {"de": "de_DE", "en": "en_GB"}
# The counts an import reports, in the order a reader expects them.
_IMPORTED = (
    "regions",
    "districts",
    "municipalities",
    "challenges",
    "ideas",
    "workshops",
    "working_groups",
    "contacts",
    "organisations",
    "news",
)
_TAGS = re.compile(r"<[^>]*>")


def person(language: str, user_id: int | str, names: Mapping[int, str]) -> str:
    """Someone by the name the bot knows (a contact's), else by Telegram id with a note."""
    if user_id == CLI:
        return t(language, "roles.person.cli")
    number = int(user_id) if str(user_id).isdigit() else None
    if number is None:
        return t(language, "roles.person.other", who=user_id)
    if number == 0:
        return t(language, "roles.person.erased")
    if number in names:
        return t(language, "roles.person.named", name=names[number], user_id=number)
    return t(language, "roles.person.unnamed", user_id=number)


def _day(language: str, moment: dt.datetime, tz: ZoneInfo) -> str:
    return format_date(moment.astimezone(tz).date(), "medium", locale=_LOCALES[language])


def _moment(language: str, moment: dt.datetime, tz: ZoneInfo) -> str:
    pattern = "dd.MM.y, HH:mm" if language == "de" else "d MMM y, HH:mm"
    return format_datetime(moment, pattern, tzinfo=tz, locale=_LOCALES[language])


def _lang(language: str) -> str:
    return language if language in _LOCALES else "de"


def roles_list(
    language: str,
    configured: frozenset[int],
    grants: list[Grant],
    names: Mapping[int, str],
    tz: ZoneInfo,
) -> str:
    """/rollen: admins (configured, then granted), then contacts grouped by region."""
    language = _lang(language)

    def who(user_id: int) -> Html:
        return Html(person(language, user_id, names))

    def since(grant: Grant) -> Html:
        when = _day(language, grant.granted_at, tz)
        if grant.granted_by is None:
            return Html(t(language, "roles.list.since", when=when))
        return Html(t(language, "roles.list.granted", by=who(grant.granted_by), when=when))

    lines = [t(language, "roles.list.title"), "", t(language, "roles.list.admins")]
    admins = [t(language, "roles.list.configured", who=who(u)) for u in sorted(configured)]
    admins += [
        t(language, "roles.list.admin", who=who(g.user_id), since=since(g))
        for g in grants
        if g.role == "admin"
    ]
    lines += admins or [t(language, "roles.list.none")]
    lines += ["", t(language, "roles.list.contacts")]
    regions: dict[str, list[Grant]] = {}
    for grant in grants:
        if grant.role == "contact":
            name = region_name(language, grant.region_name or "", grant.region_name_en)
            regions.setdefault(name, []).append(grant)
    if not regions:
        lines.append(t(language, "roles.list.none"))
    for name in sorted(regions, key=sort_key):
        lines.append(t(language, "roles.list.region", region=name))
        held = sorted(regions[name], key=lambda g: sort_key(names.get(g.user_id, "~")))
        lines += [
            t(language, "roles.list.contact", who=who(g.user_id), since=since(g)) for g in held
        ]
    lines += ["", t(language, "roles.list.hint")]
    return "\n".join(lines)


# ---- the audit log --------------------------------------------------------------------------


class _Line:
    """The words of one audit row for one reader: its people and things named."""

    def __init__(self, language: str, entry: AuditEntry, known: AuditSubjects) -> None:
        self.language = language
        self.entry = entry
        self.known = known
        self.details = entry.details
        kind, _, key = entry.target.partition(":")
        self.kind, self.key = kind, key

    def say(self, key: str, **params: object) -> str:
        """The action's sentence, with who did it."""
        who = Html(person(self.language, self.entry.actor, self.known.people))
        return t(self.language, f"roles.audit.say.{key}", who=who, **params)

    def thing(self, kind: str, key: object, fallback: object = None) -> str:
        """The current name of a thing (else the one the row recorded, else its number)."""
        found = self.known.things.get(f"{kind}:{key}")
        if found is not None:
            return localized(self.language, *found, mark=False)
        if isinstance(fallback, str) and fallback:
            return fallback
        return t(self.language, "roles.audit.number", id=key if key not in (None, "") else "?")

    def own(self, kind: str, recorded: str) -> str:
        """The thing of the row's target: what the row recorded, else its current name."""
        if isinstance(self.details.get(recorded), str) and self.details[recorded]:
            return str(self.details[recorded])
        return self.thing(kind, self.key)

    def region(self) -> str:
        """The region the row speaks of (by slug, by id, or in its target)."""
        slug, region_id = self.details.get("region"), self.details.get("region_id")
        if isinstance(slug, str):
            return self.region_by(f"region:{slug}", slug)
        if region_id is not None:
            return self.region_by(f"region:{region_id}", region_id)
        if self.kind != "region":
            raise KeyError("region")  # a row without its region: the generic line
        return self.region_by(f"region:{self.key}", self.key)

    def region_by(self, key: str, shown: object) -> str:
        found = self.known.things.get(key)
        if found is None:
            return t(self.language, "roles.audit.unknown_region", region=shown)
        return region_name(self.language, *found)

    def role(self) -> str:
        if self.details.get("role") == "admin":
            return t(self.language, "roles.name.admin")
        if self.details.get("role") != "contact":
            raise KeyError("role")
        return t(self.language, "roles.name.contact", region=self.region())

    def target_person(self) -> Html:
        return Html(person(self.language, self.key or "?", self.known.people))

    def words(self, group: str, names: object) -> str:
        """Field names (changed, shown) in words, joined."""
        if not isinstance(names, list):
            return ""
        texts = catalog(self.language)
        return ", ".join(
            texts.get(f"roles.audit.{group}.{n}", str(n).replace("_", " ")) for n in names
        )

    def plain(self, text: object) -> str:
        """Quoted text as a reader sees it (a broadcast's HTML without its tags)."""
        return html.unescape(_TAGS.sub("", str(text or "")))


def _role_grant(line: _Line) -> str:
    if line.details.get("via") == "invitation":
        return line.say("role_grant_invitation", role=line.role())
    return line.say("role_grant", person=line.target_person(), role=line.role())


def _moderation(line: _Line) -> str:
    kind, decision = line.kind, str(line.details.get("decision", ""))
    if kind in ("comment", "proposal") and f"{kind}:{line.key}" in line.known.things:
        title = line.thing(kind, line.key)
        thing = t(line.language, f"roles.audit.thing.{kind}", id=line.key, title=title)
    elif kind in ("comment", "proposal"):
        thing = t(line.language, f"roles.audit.thing.{kind}_gone", id=line.key)
    else:
        thing = t(line.language, "roles.audit.thing.other", kind=kind, id=line.key)
    reason = line.details.get("reason")
    texts = catalog(line.language)
    if decision == "merge":
        into = line.thing("idea", reason)
        said = t(line.language, "roles.audit.decision.merge_into", title=into)
        reason = None
    else:
        said = texts.get(f"roles.audit.decision.{decision}", decision.replace("_", " "))
    text = line.say("moderation", thing=Html(thing), decision=said)
    if reason:
        text += " " + t(line.language, "roles.audit.reason", reason=line.plain(reason))
    return text


def _broadcast(line: _Line) -> str:
    audience = str(line.details["audience"])
    if audience.startswith("region:"):
        region = line.region_by(audience, audience.partition(":")[2])
        to = t(line.language, "admin.broadcast.audience_region", region=region)
    else:
        to = t(line.language, "admin.broadcast.audience_all")
    count = line.details.get("recipients")
    return line.say(
        "broadcast",
        audience=Html(to),
        count=count if isinstance(count, int) else 0,
        text=line.plain(line.details.get("text")),
    )


def _contact_invite(line: _Line) -> str:
    region = line.region_by(f"region:{line.key}", line.key)
    contact_id = line.details.get("contact_id")
    if contact_id is None:
        return line.say("contact_invite", region=region)
    contact = line.thing("contact", contact_id)
    return line.say("contact_invite_for", region=region, contact=contact)


def _interest_contacted(line: _Line) -> str:
    if f"registration:{line.key}" in line.known.things:
        return line.say("interest_contacted", group=line.thing("registration", line.key))
    return line.say("interest_contacted_gone", id=line.key)


def _export_interested(line: _Line) -> str:
    keys = [k for k in line.key.split(",") if k]
    regions = ", ".join(line.region_by(f"region:{k}", k) for k in keys)
    count = line.details.get("count")
    return line.say(
        "export_interested", regions=regions, count=count if isinstance(count, int) else 0
    )


def _import(line: _Line) -> str:
    parts = [
        t(line.language, f"roles.audit.imported.{name}", count=line.details[name])
        for name in _IMPORTED
        if isinstance(line.details.get(name), int) and line.details[name]
    ]
    nothing = t(line.language, "roles.audit.imported.nothing")
    return line.say("import", file=line.key, what=", ".join(parts) or nothing)


def _idea_status(line: _Line) -> str:
    texts = catalog(line.language)

    def status(value: object) -> str:
        return texts.get(f"lifecycle.status.{value}", str(value).replace("_", " "))

    text = line.say(
        "idea_status",
        title=line.own("idea", "title"),
        old=status(line.details.get("old")),
        new=status(line.details.get("new")),
    )
    if line.details.get("note"):
        text += " " + t(line.language, "roles.audit.note", note=line.plain(line.details["note"]))
    return text


def _idea_archive(line: _Line) -> str:
    text = line.say("idea_archive", title=line.own("idea", "title"))
    if line.details.get("reason"):
        reason = line.plain(line.details["reason"])
        text += " " + t(line.language, "roles.audit.reason", reason=reason)
    return text


def _group_link(line: _Line) -> str:
    idea = line.thing("idea", line.details.get("idea"), line.details.get("idea"))
    return line.say(line.entry.action, title=idea, name=line.own("group", "name"))


def _group_create(line: _Line) -> str:
    state = "open" if line.details.get("open", True) else "closed"
    said = t(line.language, f"roles.audit.group_state.{state}")
    return line.say("group_create", name=line.own("group", "name"), state=said)


def _count(line: _Line) -> int:
    count = line.details.get("count")
    return count if isinstance(count, int) else 0


# Each action the code writes → its sentence. An action missing here (a future one, or one
# this version no longer writes) gets the generic line: never the raw details.
_SAY: dict[str, Callable[[_Line], str]] = {
    "role_grant": _role_grant,
    "role_revoke": lambda x: x.say("role_revoke", person=x.target_person(), role=x.role()),
    "workshop_create": lambda x: x.say(
        "workshop_create", title=x.own("workshop", "title"), region=x.region()
    ),
    "workshop_edit": lambda x: x.say(
        "workshop_edit",
        title=x.own("workshop", "title"),
        changed=x.words("field", x.details.get("changed")),
    ),
    "workshop_cancel": lambda x: x.say("workshop_cancel", title=x.own("workshop", "title")),
    "broadcast": _broadcast,
    "moderation": _moderation,
    "contact_invite": _contact_invite,
    "contact_remove": lambda x: x.say(
        "contact_remove", person=x.target_person(), region=x.region()
    ),
    "interest_contacted": _interest_contacted,
    "export_interested": _export_interested,
    "export_participants": lambda x: x.say(
        "export_participants", title=x.thing("workshop", x.key), count=_count(x)
    ),
    "import": _import,
    "idea_archive": _idea_archive,
    "idea_restore": lambda x: x.say("idea_restore", title=x.own("idea", "title")),
    "idea_create": lambda x: x.say("idea_create", title=x.own("idea", "title")),
    "idea_edit": lambda x: x.say(
        "idea_edit",
        title=x.own("idea", "title"),
        changed=x.words("field", x.details.get("changed")),
    ),
    "idea_status": _idea_status,
    "idea_news": lambda x: x.say(
        "idea_news", title=x.own("idea", "title"), text=x.plain(x.details.get("text"))
    ),
    "group_create": _group_create,
    "group_edit": lambda x: x.say(
        "group_edit",
        name=x.own("group", "name"),
        changed=x.words("field", x.details.get("changed")),
    ),
    "group_open": lambda x: x.say("group_open", name=x.own("group", "name")),
    "group_close": lambda x: x.say("group_close", name=x.own("group", "name")),
    "group_link": _group_link,
    "group_unlink": _group_link,
    "profile_publish": lambda x: x.say(
        "profile_publish", region=x.region(), shown=x.words("field", x.details.get("shown"))
    ),
    "profile_unpublish": lambda x: x.say("profile_unpublish", region=x.region()),
}


def _flat(value: object) -> str:
    """A detail's value in plain words (lists joined, nothing nested shown as JSON)."""
    if isinstance(value, list | tuple):
        return ", ".join(_flat(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {_flat(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "✓" if value else "–"
    return str(value)


def _generic(line: _Line) -> str:
    """Any other action: its name in words, its target, its details as „name: value“."""
    texts = catalog(line.language)
    action = line.entry.action
    said = texts.get(f"roles.audit.action.{action}", action.replace("_", " "))
    if line.kind == "user":
        target = str(line.target_person())
    elif f"{line.kind}:{line.key}" in line.known.things:
        target = line.thing(line.kind, line.key)
    else:
        target = line.entry.target.replace(":", " ")
    details = "; ".join(
        f"{name.replace('_', ' ')}: {_flat(value)}"
        for name, value in sorted(line.details.items())
        if value not in (None, "", [], {})
    )
    text = line.say("other", action=said, target=target or "–")
    if details:
        text += " " + t(line.language, "roles.audit.details", details=details)
    return text


def audit_line(language: str, entry: AuditEntry, known: AuditSubjects, tz: ZoneInfo) -> str:
    """One row of /protokoll: its number, when (in the bot's time zone), and what happened."""
    language = _lang(language)
    line = _Line(language, entry, known)
    say = _SAY.get(entry.action, _generic)
    try:
        text = say(line)
    except (KeyError, TypeError, ValueError):
        # A row written by an older version with other details: still readable.
        text = _generic(line)
    when = _moment(language, entry.created_at, tz)
    return t(language, "roles.audit.entry", id=entry.id, when=when, text=Html(text))
