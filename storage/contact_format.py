"""Syntax checks for e-mail addresses and phone numbers (import files and citizens' input)."""

from __future__ import annotations

import re

_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"^{_LOCAL}@{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,63}}$")
_SEPARATORS = re.compile(r"[\s\-/.()]")
_INTERNATIONAL = re.compile(r"^\+[1-9]\d{6,14}$")
_NATIONAL = re.compile(r"^0[1-9]\d{5,13}$")


def valid_email(value: str) -> bool:
    """Whether value looks like a real address: local@domain.tld, at most 254 characters."""
    return len(value) <= 254 and len(value.split("@")[0]) <= 64 and bool(_EMAIL.match(value))


def normal_phone(value: str) -> str | None:
    """The number with +country code (German numbers get +49), or None if it is not one."""
    text = value.strip().replace("(0)", "")
    if not text or not re.fullmatch(r"[+0-9\s\-/.()]+", text):
        return None
    digits = _SEPARATORS.sub("", text)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if _INTERNATIONAL.match(digits):
        return digits
    if _NATIONAL.match(digits):
        return "+49" + digits[1:]
    return None
