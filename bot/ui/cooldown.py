"""The per-user cooldown on commands that do heavy work, with the operator's numbers from config."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

T = TypeVar("T")


def _heavy_rate(interaction: discord.Interaction) -> app_commands.Cooldown:
    limits = interaction.client.settings.limits  # type: ignore[attr-defined]
    return app_commands.Cooldown(limits.heavy_commands, limits.heavy_period.total_seconds())


def _per_user(interaction: discord.Interaction) -> int:
    return interaction.user.id


def heavy() -> Callable[[T], T]:
    """``@heavy()`` on a command: each user may run it ``limits.heavy_commands`` times per
    ``limits.heavy_period``; past that discord.py raises ``CommandOnCooldown``, which the one error path
    (:func:`bot.ui.errors.answer_error`) turns into "try again in N seconds"."""
    check: Any = app_commands.checks.dynamic_cooldown(_heavy_rate, key=_per_user)
    return check
