"""Files and folders holding personal data: the owner's alone (0600, 0700), whatever the umask.

SQLite creates a database file with mode 0644 (its SQLITE_DEFAULT_FILE_PERMISSIONS, forced
with fchmod, so even a strict umask does not help) and gives the -wal and -shm files the
mode of the database file. Creating the empty file ourselves with 0600 first is therefore
enough for all three: SQLite opens an empty file as a new database.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def private_dir(path: Path) -> None:
    """Create path and its missing parents with 0700; existing folders are left as they are."""
    missing: list[Path] = []
    folder = path
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:  # made by someone else in the meantime: theirs
            continue
        os.chmod(folder, PRIVATE_DIR)  # mkdir's mode is filtered through the umask


def create_private(path: Path) -> bool:
    """Create path as an empty 0600 file unless it exists; True if it was created."""
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return False
    try:
        os.fchmod(fd, PRIVATE_FILE)  # os.open's mode is filtered through the umask
    finally:
        os.close(fd)
    return True


def write_private(path: Path, content: bytes) -> None:
    """Write a new file that only the owner can read (FileExistsError if path exists)."""
    if not create_private(path):
        raise FileExistsError(path)
    path.write_bytes(content)


def readable_by_others(path: Path) -> bool:
    """Whether group or others have any access to an existing file."""
    return path.exists() and bool(path.stat().st_mode & 0o077)
