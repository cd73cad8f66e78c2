"""Admin buttons' callback data: within 64 bytes, round-trips, rejects unknown values.

Refusals of citizens, forged buttons and revoked admins are tested for every registered
command and button in tests/test_roles_access.py (which superseded the lists kept here).
"""

from __future__ import annotations

import pytest

from messages import actions as cb
from messages.actions import (
    Amend,
    AmendField,
    AuditPage,
    BackToPreview,
    BroadcastAudience,
    BroadcastAudiences,
    BroadcastSend,
    CancelWorkshop,
    ClearField,
    ConfirmCancel,
    EditField,
    EditSave,
    EditWorkshop,
    NewRegion,
    PickPage,
    Publish,
    Skip,
)

ADMIN_BUTTONS = [
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
    AuditPage(0, "-", 0, "-"),
    AuditPage(999, "user", cb.MAX_ID - 1, "export_participants"),
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
