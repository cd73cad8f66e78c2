"""Staff's screens for working groups: the list, a group's menu, linking ideas, the forms."""

from __future__ import annotations

import html

from messages.catalog import t, tn
from messages.render import prompt as prompt  # the group dialogues ask through this module
from messages.render import shorten
from messages.workgroups import MAX_DESCRIPTION
from storage.models import Page, WorkingGroup

PAGE_SIZE = 8
SHOWN = 300  # characters of a current value shown above a question


def state(language: str, open_: bool) -> str:
    """Open for registrations, or not."""
    return t(language, "wg.group.open" if open_ else "wg.group.closed")


def group_label(group: WorkingGroup) -> str:
    """A group as a button: its state, name and region."""
    mark = "✅" if group.open else "⏸"
    return shorten(f"{mark} {group.name} ({group.region_name})", 60)


def group_list(language: str, total: int, page: int, pages: int) -> str:
    """The heading of /arbeitsgruppen."""
    if total == 0:
        return t(language, "group_staff.list.empty")
    lines = [tn(language, "group_staff.list.title", total)]
    if pages > 1:
        lines.append(t(language, "ideas.page", page=page + 1, pages=pages))
    lines += ["", t(language, "group_staff.list.pick")]
    return "\n".join(lines)


def menu(language: str, group: WorkingGroup, ideas: int, note: str = "") -> str:
    """A group's facts for staff and the question what to do."""
    lines = [note, ""] if note else []
    lines += [
        t(language, "group_staff.head.menu", name=group.name),
        t(language, "wg.group.region", region=group.region_name),
        state(language, group.open),
        tn(language, "group_staff.menu.ideas", ideas),
    ]
    if group.description.strip():
        lines += ["", html.escape(shorten(group.description, MAX_DESCRIPTION), quote=False)]
    lines += ["", t(language, "group_staff.menu.what")]
    return "\n".join(lines)


def link_screen(language: str, group: WorkingGroup, page: Page, note: str = "") -> str:
    """The region's ideas to link: ✅ carried by the group, ➕ not."""
    lines = [note, ""] if note else []
    lines += [t(language, "group_staff.head.ideas", name=group.name)]
    if page.total == 0:
        lines += ["", t(language, "group_staff.ideas.none", region=group.region_name)]
        return "\n".join(lines)
    if page.page_count > 1:
        lines.append(t(language, "ideas.page", page=page.page + 1, pages=page.page_count))
    lines += ["", t(language, "group_staff.ideas.how", region=group.region_name)]
    return "\n".join(lines)


def current(language: str, value: str) -> str:
    """What a field holds now."""
    shown = shorten(value, SHOWN) if value else t(language, "staff.none")
    return t(language, "staff.current", value=shown)


def new_preview(language: str, name: str, region: str, description: str, open_: bool) -> str:
    """The would-be group."""
    lines = [
        t(language, "group_staff.new.preview"),
        "",
        t(language, "wg.group.title", name=name),
        t(language, "wg.group.region", region=region),
        state(language, open_),
    ]
    if description:
        lines += ["", html.escape(description, quote=False)]
    return "\n".join(lines)


def change_preview(language: str, name: str, field: str, old: str, new: str) -> str:
    """One change of a group, before and after."""
    none = t(language, "staff.none")
    return "\n".join(
        [
            t(language, "group_staff.head.edit", name=name),
            "",
            t(
                language,
                "group_staff.edit.preview",
                field=t(language, f"group_staff.field.{field}"),
            ),
            t(language, "staff.before", value=shorten(old, SHOWN) if old else none),
            t(language, "staff.after", value=shorten(new, SHOWN) if new else none),
        ]
    )
