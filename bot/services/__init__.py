"""The use cases, one service per area, built once at start and handed to the cogs as one container.

A cog parses an interaction, makes one call on ``bot.services.<area>``, and renders the result. The
services hold the rules that are not pure coaching: transactions, what to schedule, who may see what.
Nothing here imports discord.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.config import Settings
from bot.prompts import PromptQueue
from bot.services.debriefs import DebriefService
from bot.services.feedback import FeedbackService
from bot.services.interviews import InterviewService
from bot.services.invites import InviteService
from bot.services.outcomes import OutcomeService
from bot.services.patterns import PatternsService
from bot.services.privacy import PrivacyService
from bot.services.prompting import PromptService
from bot.services.servers import ServerService
from bot.services.settings import SettingsService
from bot.services.summaries import SummaryService
from bot.store import Draft, Interview, Prompt, Store

#: The records services hand out, for the cogs' annotations (cogs don't import the store).
__all__ = ["Draft", "Interview", "Prompt", "Services"]


@dataclass(frozen=True, slots=True)
class Services:
    """Every service, built once. (Patterns and summaries will join here.)"""

    interviews: InterviewService
    debriefs: DebriefService
    outcomes: OutcomeService
    feedback: FeedbackService
    settings: SettingsService
    servers: ServerService
    prompts: PromptService
    privacy: PrivacyService
    patterns: PatternsService
    summaries: SummaryService
    invites: InviteService

    @classmethod
    def build(cls, store: Store, settings: Settings, clock: Clock, queue: PromptQueue) -> Services:
        interviews = InterviewService(store, settings, clock, queue)
        outcomes = OutcomeService(store, settings, clock, queue)
        summaries = SummaryService(store, settings, clock, queue)
        servers = ServerService(store, clock, summaries)
        return cls(
            interviews=interviews,
            debriefs=DebriefService(store, clock),
            outcomes=outcomes,
            feedback=FeedbackService(store, clock),
            settings=SettingsService(store, settings, clock, interviews),
            servers=servers,
            prompts=PromptService(store, settings, clock, queue, outcomes),
            privacy=PrivacyService(store, settings, clock, queue, servers),
            patterns=PatternsService(store, settings, clock),
            summaries=summaries,
            invites=InviteService(store, settings, clock),
        )
