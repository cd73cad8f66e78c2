"""The proposals' limit frees up exactly when the refusal says (the write log shared with
comments: a write counts for its window after it, not a moment longer)."""

from __future__ import annotations

from storage.proposals import ProposalFields

from conftest import Harness
from stories.moderation import person
from stories.proposals import DESCRIPTION, ERIKA


async def test_the_limit_frees_up_at_the_moment_it_names(harness: Harness) -> None:
    erika = await person(harness, ERIKA, "Erika")
    region = await harness.data.regions.get_by_slug("muensterland")
    assert region is not None
    for number in range(3):
        fields = ProposalFields(f"Idee Nummer {number + 1}", DESCRIPTION, region.id, None, False)
        await harness.data.proposals.submit(ERIKA, "Erika", fields)
    await erika.command("idee_vorschlagen")
    refusal = erika.last.text
    assert refusal.startswith("Sie haben in 1 Tag schon 3 Ideen vorgeschlagen")
    harness.clock.advance(days=1)  # exactly: „Ab {free_at} können Sie wieder …“
    await erika.command("idee_vorschlagen")
    assert erika.last.text.startswith("💡 Idee vorschlagen")
