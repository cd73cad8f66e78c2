"""Ideenlabore for citizens: dates, a date's detail, registration, reminders, subscriptions."""

from __future__ import annotations

from messages.actions.base import Action
from messages.actions.payloads import OnRegion, OnWorkshop


class WorkshopList(OnRegion, code="wl"):
    """Upcoming workshops; region_id 0 means all regions."""

    page: int


class WorkshopRegions(Action, code="wr"):
    """Choose a region to filter workshops."""


class ShowWorkshop(OnWorkshop, code="w"):
    """One workshop's detail."""


class FollowWorkshop(OnWorkshop, code="wf"):
    """Switch reminders for a workshop on (1) or off (0)."""

    on: int


class SubscribeRegion(OnRegion, code="ws"):
    """Subscribe (1) to or unsubscribe (0) from a region's new dates."""

    on: int


class WorkshopCalendar(OnWorkshop, code="wc"):
    """Send the workshop as an .ics file."""


class Register(OnWorkshop, code="wj"):
    """Ask to take part (step 1: shows what is passed on)."""


class ConfirmRegister(OnWorkshop, code="wk"):
    """Consent given: register."""


class CancelRegister(OnWorkshop, code="wn"):
    """Not registering after all: back to the date (the name dialogue ends)."""


class Unregister(OnWorkshop, code="wu"):
    """Give up a seat or a waiting place."""


class CannotCome(OnWorkshop, code="wx"):
    """From a reminder: free the seat (or stop reminders) with one tap."""


class MyDates(Action, code="md"):
    """The user's registrations, reminders and subscriptions."""


class Participants(OnWorkshop, code="wp"):
    """Admin: the participant list of a workshop."""


class ParticipantsCsv(OnWorkshop, code="wv"):
    """Admin: the participant list as a CSV file."""
