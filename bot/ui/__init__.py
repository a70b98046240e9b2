"""What the cogs share to talk to Discord: custom ids (:mod:`bot.ui.ids`), the one error path
(:mod:`bot.ui.errors`), the reply helper (:mod:`bot.ui.reply`) and the interview picker
(:mod:`bot.ui.picker`).

It lives beside the cogs, not inside ``cogs/``, so it is never loaded as an extension and "cogs never
import cogs" stays a rule without exceptions. It may import discord, the services and ``bot.render``;
nothing below it (services, store, coach) imports it.
"""
