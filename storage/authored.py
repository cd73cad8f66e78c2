"""What citizens wrote under their name (comments, proposals), when they are erased."""

from __future__ import annotations

from storage.db import Transaction


async def erase_authored(
    tx: Transaction, table: str, user_id: int, *, remove: bool, deleted_author: str
) -> int:
    """The person's rows of table: all deleted (remove), or the unpublished ones deleted and
    the published ones kept under deleted_author; the number of rows changed."""
    if remove:
        return await tx.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
    changed = await tx.execute(
        f"DELETE FROM {table} WHERE user_id = ? AND status != 'approved'", (user_id,)
    )
    return changed + await tx.execute(
        f"UPDATE {table} SET user_id = NULL, author_name = ? WHERE user_id = ?",
        (deleted_author, user_id),
    )
