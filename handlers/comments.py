"""Placeholder while the feature is being written."""

from telegram.ext import Application


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Register nothing yet."""
