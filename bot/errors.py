"""Errors whose text is meant for the user who caused them."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a request we can't do. The message is shown to the user as is, ephemerally."""


class Gone(UserError):
    """A refusal because what was acted on is no longer there (a draft recorded by a double click, say): the
    clicked components are not given back (:func:`bot.ui.first.clicked_first`), they would do nothing."""


class ReadBackFailed(Exception):
    """A change was committed, but reading it back to show what comes next failed (a dropped connection,
    say). Nothing was lost: the user is told it was saved, never that it was not. ``__cause__`` says why."""
