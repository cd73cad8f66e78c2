"""Errors that explain themselves with a catalog text: the key names it, the params fill it in."""

from __future__ import annotations


class Problem(Exception):
    """Input or a change that was not accepted; `key` names the catalog text that says why,
    `params` fill in its placeholders."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
