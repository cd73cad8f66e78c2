"""Citizens' buttons for the news: the opt-in, and „Abbestellen“ under every broadcast."""

from __future__ import annotations

from typing import Literal

from messages.actions.base import Action


class NewsChoice(Action, code="nw"):
    """Receive the news ("y") or not ("n"): the one-time offer and /neuigkeiten."""

    on: Literal["y", "n"]


class NewsStop(Action, code="nu"):
    """„Abbestellen“ under a broadcast: the news (region 0, „Alle“) or the region's subscription."""

    region_id: int
