"""Only admins may use the admin commands and buttons; everyone else is refused and logged."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import pytest

from handlers import callback_data as cb
from handlers.admin_pick import PickPage
from handlers.admin_workshop_cancel import CancelWorkshop, ConfirmCancel
from handlers.admin_workshop_edit import ClearField, EditField, EditSave, EditWorkshop
from handlers.admin_workshops import Amend, AmendField, BackToPreview, NewRegion, Publish, Skip
from handlers.broadcast import BroadcastAudience, BroadcastAudiences, BroadcastSend
from storage.workshops import WorkshopFields

from conftest import Harness

BERLIN = ZoneInfo("Europe/Berlin")
REFUSED = "Dafür fehlt Ihnen die Berechtigung. Ihr Versuch wurde protokolliert."
START = dt.datetime(2027, 5, 12, 14, 0, tzinfo=BERLIN)
END = dt.datetime(2027, 5, 12, 18, 0, tzinfo=BERLIN)


@pytest.mark.parametrize(
    "command", ["neuer_termin", "termin_aendern", "termin_absagen", "rundschreiben"]
)
async def test_non_admins_are_refused_on_every_admin_command(
    harness: Harness, command: str, caplog: pytest.LogCaptureFixture
) -> None:
    citizen = harness.user()
    with caplog.at_level(logging.WARNING):
        await citizen.command(command)
    assert citizen.last.text == REFUSED
    assert "🗺 Ideen nach Region" in citizen.last.button_labels()
    assert f"Refused privileged action '/{command}' by user 4711" in caplog.text
    assert await harness.data.drafts.get(citizen.user_id) is None


FORGED = [
    NewRegion(1),
    Skip("link"),
    Publish(),
    Amend(),
    AmendField("title"),
    BackToPreview(),
    PickPage("e", 0),
    EditWorkshop(1),
    EditField(1, "time"),
    ClearField("capacity"),
    EditSave(),
    CancelWorkshop(1),
    ConfirmCancel(1),
    BroadcastAudience(0),
    BroadcastAudiences(),
    BroadcastSend(),
]


@pytest.mark.parametrize("action", FORGED, ids=lambda a: type(a).__name__)
async def test_forged_admin_buttons_are_refused(harness: Harness, action: cb.Action) -> None:
    workshop_id = await harness.data.workshops.create(
        WorkshopFields(region_id=1, title="Bleibt", starts_at=START, ends_at=END)
    )
    assert workshop_id == 1
    citizen = harness.user()
    await citizen.command("start")
    await citizen.tap_data(action.encode())
    assert citizen.answers[-1].text == REFUSED
    assert citizen.last.text == REFUSED
    workshop = await harness.data.workshops.repo.get(workshop_id)
    assert workshop is not None and workshop.status == "planned"
    assert await harness.data.broadcasts.unfinished() == []


@pytest.mark.parametrize("action", FORGED, ids=lambda a: type(a).__name__)
def test_admin_buttons_round_trip_within_64_bytes(action: cb.Action) -> None:
    data = action.encode()
    assert len(data.encode()) <= cb.MAX_BYTES
    assert cb.parse(data) == action


def test_admin_button_fields_reject_unknown_values() -> None:
    for data in ("1|as|title", "1|af|slug", "1|al|x|0", "1|ai|1|region", "1|ar|title"):
        assert cb.parse(data) is None
