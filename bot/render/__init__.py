"""Turning results into what Discord shows: message text, embeds' text, charts. No Discord calls here."""
