"""Files holding personal data are the owner's alone (0600, folders 0700), whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.offline.fake_api import SentFile, SentMessage
from bot.offline.playground_render import Renderer
from storage.backup import backup, backup_rotating, restore
from storage.db import Database

from conftest import FakeClock, Harness


def mode(path: Path) -> int:
    """The permission bits of path."""
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o022, 0o000])
def loose_umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """A umask that lets others read (0o022, the usual default) or write (0o000)."""
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


@pytest.mark.usefixtures("loose_umask")
async def test_database_wal_shm_and_created_folders(tmp_path: Path) -> None:
    path = tmp_path / "data" / "bot" / "ideenlabor.sqlite3"
    db = await Database.open(path)
    try:
        await db.execute("CREATE TABLE t (x TEXT)")
        await db.execute("INSERT INTO t VALUES ('Erika')")
        files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
        assert all(f.exists() for f in files)
        assert [oct(mode(f)) for f in files] == [oct(0o600)] * 3
    finally:
        await db.close()
    assert oct(mode(path.parent)) == oct(0o700)
    assert oct(mode(path.parent.parent)) == oct(0o700)


@pytest.mark.usefixtures("loose_umask")
def test_backups_rotated_backups_and_restores(
    db_path: Path, tmp_path: Path, clock: FakeClock
) -> None:
    copy = tmp_path / "new" / "backup.sqlite3"
    backup(db_path, copy)
    assert (oct(mode(copy)), oct(mode(copy.parent))) == (oct(0o600), oct(0o700))
    daily = backup_rotating(db_path, tmp_path / "daily", 3, clock()).path
    assert (oct(mode(daily)), oct(mode(daily.parent))) == (oct(0o600), oct(0o700))
    target = tmp_path / "restored" / "ideenlabor.sqlite3"
    restore(copy, target)
    assert (oct(mode(target)), oct(mode(target.parent))) == (oct(0o600), oct(0o700))
    os.chmod(db_path, 0o644)  # an old database made before this fix: restore tightens it
    restore(copy, db_path)
    assert oct(mode(db_path)) == oct(0o600)


@pytest.mark.usefixtures("loose_umask", "db_path")
def test_files_written_by_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    new_db = tmp_path / "fresh" / "ideenlabor.sqlite3"
    monkeypatch.setenv("IDEENLABOR_DB", str(new_db))
    assert main(["migrate"]) == 0
    assert (oct(mode(new_db)), oct(mode(new_db.parent))) == (oct(0o600), oct(0o700))
    target = tmp_path / "out" / "copy.sqlite3"
    assert main(["backup", str(target)]) == 0
    assert (oct(mode(target)), oct(mode(target.parent))) == (oct(0o600), oct(0o700))


@pytest.mark.usefixtures("loose_umask")
def test_chat_saves_documents_for_the_owner_only(harness: Harness, tmp_path: Path) -> None:
    folder = tmp_path / "files"
    renderer = Renderer(harness.api, 4711, lambda _: None, files_dir=lambda: folder)
    document = SentFile("f1", "interessenten.csv", b"Name;E-Mail\r\nErika;e@x.de\r\n", "text/csv")
    renderer.show(SentMessage(4711, 3, 0, "", "Export", document=document), edited=False)
    assert oct(mode(folder / "interessenten.csv")) == oct(0o600)
    assert oct(mode(folder)) == oct(0o700)


async def test_an_older_database_readable_by_others_is_reported(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    os.chmod(db_path, 0o644)  # made by an older version, or copied carelessly
    db = await Database.open(db_path)
    await db.close()
    assert f"The database {db_path} can be read by other users of this machine (mode 644)" in (
        caplog.text
    )
    assert oct(mode(db_path)) == oct(0o644)  # the operator's file: told, not changed
    caplog.clear()
    os.chmod(db_path, 0o600)
    db = await Database.open(db_path)
    await db.close()
    assert "can be read by other users" not in caplog.text
