"""Import of working groups and contacts: located errors, all-or-nothing, idempotent upserts."""

from __future__ import annotations

import pytest
from workgroup_helpers import bundle

from bot.importfile import ImportFileError, parse_bundle
from storage.import_models import ImportRejectedError

from conftest import Harness


async def count(harness: Harness, table: str) -> int:
    row = await harness.data.db.fetchone(f"SELECT COUNT(*) AS n FROM {table}")
    return int(row["n"]) if row else -1


async def test_import_is_idempotent_by_slug(harness: Harness) -> None:
    shipped = {t: await count(harness, t) for t in ("working_groups", "working_group_ideas")}
    for _ in range(2):
        summary = await harness.data.importer.apply(parse_bundle(bundle()), harness.clock())
    assert (summary.working_groups, summary.contacts) == (2, 1)
    assert await count(harness, "working_groups") == shipped["working_groups"] + 2
    assert await count(harness, "working_group_ideas") == shipped["working_group_ideas"] + 2
    assert await count(harness, "contacts") == 1
    changed = bundle()
    changed["contacts"][0]["name"] = "Anna Schmidt-Weber"  # type: ignore[index]
    await harness.data.importer.apply(parse_bundle(changed), harness.clock())
    row = await harness.data.db.fetchone("SELECT name, phone FROM contacts")
    assert row is not None and (row["name"], row["phone"]) == (
        "Anna Schmidt-Weber",
        "+492841123456",
    )


async def test_unknown_references_are_located_and_nothing_written(harness: Harness) -> None:
    data = bundle()
    data["working_groups"][0]["region"] = "niederhein"  # type: ignore[index]
    data["working_groups"][1]["ideas"] = ["gibt-es-nicht"]  # type: ignore[index]
    data["contacts"][0]["region"] = "x"  # type: ignore[index]
    before = {t: await count(harness, t) for t in ("working_groups", "ideas")}
    with pytest.raises(ImportRejectedError) as caught:
        await harness.data.importer.apply(parse_bundle(data), harness.clock())
    errors = caught.value.errors
    assert (
        "working_groups[0].region: unknown region 'niederhein' (did you mean 'niederrhein'?)"
        in errors
    )
    assert "working_groups[1].ideas[0]: unknown idea 'gibt-es-nicht'" in errors
    assert "contacts[0].region: unknown region 'x'" in errors
    assert await count(harness, "working_groups") == before["working_groups"]
    # the new idea of the same file was not written
    assert await count(harness, "ideas") == before["ideas"]


def test_email_and_phone_syntax_checked() -> None:
    data = bundle()
    data["contacts"][0]["email"] = "anna@@example"  # type: ignore[index]
    data["contacts"][0]["phone"] = "call me"  # type: ignore[index]
    with pytest.raises(ImportFileError) as caught:
        parse_bundle(data)
    assert "contacts[0].email: not a valid e-mail address" in caught.value.errors
    assert any(
        e.startswith("contacts[0].phone: not a valid phone number") for e in caught.value.errors
    )
