"""Errors whose text is meant for the user who caused them."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a request we can't do. The message is shown to the user as is, ephemerally."""
