"""Ideenlabore for citizens: dates, a date's detail, registration, reminders, subscriptions."""

from __future__ import annotations

from messages.actions.base import Action


class WorkshopList(Action, code="wl"):
    """Upcoming workshops; region_id 0 means all regions."""

    region_id: int
    page: int


class WorkshopRegions(Action, code="wr"):
    """Choose a region to filter workshops."""


class ShowWorkshop(Action, code="w"):
    """One workshop's detail."""

    workshop_id: int


class FollowWorkshop(Action, code="wf"):
    """Switch reminders for a workshop on (1) or off (0)."""

    workshop_id: int
    on: int


class SubscribeRegion(Action, code="ws"):
    """Subscribe (1) to or unsubscribe (0) from a region's new dates."""

    region_id: int
    on: int


class WorkshopCalendar(Action, code="wc"):
    """Send the workshop as an .ics file."""

    workshop_id: int


class Register(Action, code="wj"):
    """Ask to take part (step 1: shows what is passed on)."""

    workshop_id: int


class ConfirmRegister(Action, code="wk"):
    """Consent given: register."""

    workshop_id: int


class CancelRegister(Action, code="wn"):
    """Not registering after all: back to the date (the name dialogue ends)."""

    workshop_id: int


class Unregister(Action, code="wu"):
    """Give up a seat or a waiting place."""

    workshop_id: int


class CannotCome(Action, code="wx"):
    """From a reminder: free the seat (or stop reminders) with one tap."""

    workshop_id: int


class MyDates(Action, code="md"):
    """The user's registrations, reminders and subscriptions."""


class Participants(Action, code="wp"):
    """Admin: the participant list of a workshop."""

    workshop_id: int


class ParticipantsCsv(Action, code="wv"):
    """Admin: the participant list as a CSV file."""

    workshop_id: int
