"""Searching the ideas: a new search, and a page of a search's results."""

from __future__ import annotations

from messages.actions.base import Action


class SearchStart(Action, code="sq"):
    """Ask for the words of a new search."""


class SearchResults(Action, code="sr"):
    """A page of the results of the search kept as query_id (storage.search)."""

    query_id: int
    page: int
