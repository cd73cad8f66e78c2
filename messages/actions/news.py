"""Citizens' buttons for the news: the opt-in, and „Abbestellen“ under every broadcast."""

from __future__ import annotations

from typing import Literal

from messages.actions.base import Action
from messages.actions.payloads import OnRegion


class NewsChoice(Action, code="nw"):
    """Receive the news ("y") or not ("n"), from the one-time offer ("o") or /neuigkeiten ("s")."""

    on: Literal["y", "n"]
    where: Literal["o", "s"]


class NewsStop(OnRegion, code="nu"):
    """„Abbestellen“ under a broadcast: the news (region 0, „Alle“) or the region's subscription."""
