"""Citizens' buttons for the news: the opt-in, and „Abbestellen“ under every broadcast."""

from __future__ import annotations

from typing import Literal

from messages.actions.base import Action


class NewsChoice(Action, code="nw"):
    """Receive the news ("y") or not ("n"), from the one-time offer ("o") or /neuigkeiten ("s")."""

    on: Literal["y", "n"]
    where: Literal["o", "s"]


class NewsStop(Action, code="nu"):
    """„Abbestellen“ under a broadcast: the news (region 0, „Alle“) or the region's subscription."""

    region_id: int
