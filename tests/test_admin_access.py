"""Admin buttons' callback data: within 64 bytes, round-trips, rejects unknown values.

Refusals of citizens, forged buttons and revoked admins are tested for every registered
command and button in tests/test_roles_access.py (which superseded the lists kept here).
"""

from __future__ import annotations

import pytest

from messages import actions as cb

ADMIN_BUTTONS = [
    cb.NewRegion(1),
    cb.Skip("link"),
    cb.Publish(),
    cb.Amend(),
    cb.AmendField("title"),
    cb.BackToPreview(),
    cb.PickPage("e", 0),
    cb.EditWorkshop(1),
    cb.EditField(1, "time"),
    cb.ClearField("capacity"),
    cb.EditSave(),
    cb.CancelWorkshop(1),
    cb.ConfirmCancel(1),
    cb.BroadcastAudience(0),
    cb.BroadcastAudiences(),
    cb.BroadcastSend(),
    cb.AuditPage(0, "-", 0, "-"),
    cb.AuditPage(999, "user", cb.MAX_ID - 1, "export_participants"),
]


@pytest.mark.parametrize("action", ADMIN_BUTTONS, ids=lambda a: type(a).__name__)
def test_admin_buttons_round_trip_within_64_bytes(action: cb.Action) -> None:
    data = action.encode()
    assert len(data.encode()) <= cb.MAX_BYTES
    assert cb.parse(data) == action


def test_admin_button_fields_reject_unknown_values() -> None:
    for data in (
        "1|as|title",
        "1|af|slug",
        "1|al|x|0",
        "1|ai|1|region",
        "1|ar|title",
        "1|au|0|someone|0|-",
        "1|au|0|-|0|launch",
    ):
        assert cb.parse(data) is None
