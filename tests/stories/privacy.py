"""Story steps of privacy (erasure, the privacy notice), shared by several test modules."""

from __future__ import annotations

from pathlib import Path

from bot.config import DEFAULT_PRIVACY_NOTICE
from bot.offline.fake_user import FakeUser

from conftest import ADMIN_ID, Harness


def on_disk(db_path: Path) -> bytes:
    """The database file and its write-ahead log, as bytes."""
    wal = Path(f"{db_path}-wal")
    return db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def found(db_path: Path, values: list[str]) -> list[str]:
    """Which of values occur anywhere in the files (UTF-8, as SQLite stores text)."""
    raw = on_disk(db_path)
    return [value for value in values if value.encode() in raw]


async def approve_all(h: Harness) -> None:
    """The admin approves every waiting comment."""
    for item in await h.data.comments.repo.queue(None):
        await h.data.moderation.decide("comment", item.id, ADMIN_ID, "approve")


async def erase(user: FakeUser, yes: str = "🗑 Ja, alles löschen") -> None:
    """Ask for deletion and confirm."""
    await user.command("daten_loeschen")
    await user.tap(yes)


SHIPPED = {lang: Path(DEFAULT_PRIVACY_NOTICE.replace("{lang}", lang)) for lang in ("de", "en")}


def filled(tmp_path: Path) -> str:
    """Copies of the shipped notices with every field filled in; the setting's value."""
    for lang, path in SHIPPED.items():
        text = path.read_text("utf-8")
        for field in ("Anschrift", "Address"):
            text = text.replace(f"[[{field}]]", "Horionplatz 1, 40213 Düsseldorf")
        while "[[" in text:
            start = text.index("[[")
            text = text[:start] + "poststelle@example.org" + text[text.index("]]", start) + 2 :]
        (tmp_path / f"notice.{lang}.html").write_text(text, "utf-8")
    return str(tmp_path / "notice.{lang}.html")


async def notice(user: FakeUser, command: str = "datenschutz") -> str:
    """The privacy notice as the person reads it: all messages the command sends (a long
    notice comes in several, split between paragraphs)."""
    before = len(user.messages)
    await user.command(command)
    return "\n\n".join(m.text for m in user.messages[before:])
