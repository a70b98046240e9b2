"""The coaching core of Debrief: pure, synchronous, and free of Discord.

Nothing in this package performs I/O, reads the clock, or imports ``discord``
or ``asyncio``. Callers pass ``now`` and time zones in; every datetime that
goes in or comes out is timezone-aware (UTC unless a function says
otherwise). Every user-facing string is plain text (Discord markdown allowed).

Modules:

- ``durations``  -- "3h", "1h30m" config strings to ``timedelta`` and back.
- ``stages``     -- interview stages and outcomes as data.
- ``when``       -- reading "tomorrow 10:30" in the user's zone.
- ``waking``     -- quiet hours and waking-hours arithmetic.
- ``zones``      -- time-zone names and city lookup, autocomplete.
- ``noticing``   -- reading an interview out of a plain sentence.
- ``text``       -- validation of free text typed by users.
- ``script``     -- the debrief script as data, answers, summary.
- ``reset``      -- rejection replies and the bounded reset window.
- ``feedback``   -- the feedback-request template and notes.
- ``ghosting``   -- the one nudge after a long silence.
- ``voice``      -- checks that keep the voice calm and plain.
- ``localtime``  -- local wall-clock to UTC, including DST gaps and folds.
"""
