"""Time zones from what people type: IANA names and city names.

:func:`resolve_zone` accepts an IANA name in any case ("europe/berlin"),
with spaces for underscores ("America/New York"), the city part alone
("kolkata"), one of about a hundred common city names ("Bangalore",
"São Paulo", "SF"), or UTC/GMT. :func:`suggest_zones` feeds Discord
autocomplete.
"""

from __future__ import annotations

import difflib
import unicodedata
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.coach.zone_names import (
    _ABBREVIATIONS,
    _AMBIGUOUS,
    _PART_HOUR_OFFSETS,
    _SKIP_PREFIXES,
    _UTC_ALIASES,
    CITY_ZONES,
    POPULAR_CITIES,
)

__all__ = [
    "CITY_ZONES",
    "MAX_ZONE_TEXT",
    "POPULAR_CITIES",
    "ZoneError",
    "iana_names",
    "resolve_zone",
    "suggest_zones",
    "zone_label",
]

MAX_CHOICES = 25
MAX_NAME = 100
MAX_ZONE_TEXT = 100
"""The longest zone text read; longer text is refused before any lookup or fuzzy match."""


class ZoneError(ValueError):
    """The text isn't a time zone we know; ``str(err)`` is a message fit to show the user."""


_FUZZY_MAX = 40  # longer text is not fuzzy-matched
_FUZZY_CUTOFF = 0.86  # "berln" -> Berlin (0.91) is taken; "atlantis" -> Atlanta (0.8) is not
_SKIP_NAMES = frozenset({"localtime", "Factory", "posixrules"})


def _fold(text: str) -> str:
    """Lower-case, strip accents, and treat underscores and runs of spaces alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("_", " ").replace(".", "").lower()
    return " ".join(plain.split())


@cache
def iana_names() -> tuple[str, ...]:
    """Usable IANA zone names, sorted, computed once."""
    names = [
        name
        for name in available_timezones()
        if name not in _SKIP_NAMES and not name.startswith(_SKIP_PREFIXES) and ("/" in name or name == "UTC")
    ]
    return tuple(sorted(names))


@cache
def _iana_by_folded() -> dict[str, str]:
    return {_fold(name): name for name in iana_names()}


@cache
def _iana_by_city_part() -> dict[str, str]:
    """The last part of each IANA name ("kolkata" -> "Asia/Kolkata"), only where unique."""
    seen: dict[str, list[str]] = {}
    for name in iana_names():
        if "/" not in name or name.startswith(("Etc/", "US/", "Canada/", "Brazil/", "Mexico/", "Chile/")):
            continue
        seen.setdefault(_fold(name.rsplit("/", 1)[1]), []).append(name)
    return {part: names[0] for part, names in seen.items() if len(names) == 1}


@cache
def _cities_by_folded() -> dict[str, str]:
    return {_fold(city): zone for city, zone in CITY_ZONES.items()}


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ZoneError(f"{name!r} isn't available on this system.") from None


def resolve_zone(text: str) -> ZoneInfo:
    """Return the ``ZoneInfo`` for a city or IANA name; raise :class:`ZoneError` otherwise."""
    if not isinstance(text, str) or not text.strip():
        raise ZoneError("The time zone is empty. Type a city such as Berlin, or a name such as Europe/Berlin.")
    if len(text) > MAX_ZONE_TEXT:
        raise ZoneError(
            f"That time zone is {len(text):,} characters; I read up to {MAX_ZONE_TEXT}. "
            "Type a city such as Berlin, or a name such as Europe/Berlin."
        )
    folded = _fold(text.strip())
    if folded in _UTC_ALIASES:
        return ZoneInfo("UTC")
    if folded in _ABBREVIATIONS:
        return _zone(_ABBREVIATIONS[folded])
    if folded in _AMBIGUOUS:
        options = _AMBIGUOUS[folded]
        listed = ", ".join(f"{place} ({zone})" for place, zone in options[:-1])
        raise ZoneError(
            f"{text.strip().upper()} can mean {listed} or {options[-1][0]} ({options[-1][1]}). "
            "Which one? Pick it from the list as you type, or type the name."
        )
    offset = _offset_zone(folded)
    if offset is not None:
        return _zone(offset)
    if folded in _iana_by_folded():
        return _zone(_iana_by_folded()[folded])
    if folded in _cities_by_folded():
        return _zone(_cities_by_folded()[folded])
    if folded in _iana_by_city_part():
        return _zone(_iana_by_city_part()[folded])
    close = _close_zones(folded)
    if len(close) == 1:
        return _zone(close[0])
    shown = text.strip()[:60]
    hints = [display for display, _value in suggest_zones(shown, limit=3)] or _close_names(folded)
    message = f"I don't know the time zone {shown!r}."
    if hints:
        message += f" Did you mean {', '.join(hints)}?"
    message += " You can type a large city near you (Berlin, Lagos, Bangalore) or a name like Europe/Berlin."
    raise ZoneError(message)


def _offset_zone(folded: str) -> str | None:
    """The zone for an offset as people write it: "UTC+5" and "GMT+1" are ahead of UTC.

    POSIX names invert the sign (Etc/GMT-5 is five hours *ahead*), so "+5" becomes Etc/GMT-5.
    Returns None when ``folded`` is not an offset; raises :class:`ZoneError` for one that doesn't exist.
    """
    body = folded.replace(" ", "")
    for prefix in ("utc", "gmt"):
        if body.startswith(prefix):
            body = body[len(prefix) :]
            break
    if len(body) < 2 or body[0] not in "+-\u2212" or len(body) > 6:
        return None
    sign = 1 if body[0] == "+" else -1
    hours_text, _, minutes_text = body[1:].partition(":")
    if not minutes_text and len(hours_text) in (3, 4):  # "+0530"
        hours_text, minutes_text = hours_text[:-2], hours_text[-2:]
    if not (hours_text.isascii() and hours_text.isdigit() and len(hours_text) <= 2):
        return None
    if minutes_text and not (minutes_text.isascii() and minutes_text.isdigit() and len(minutes_text) == 2):
        return None
    total = sign * (int(hours_text) * 60 + int(minutes_text or "0"))
    if total == 0:
        return "UTC"
    if total % 60 == 0 and -12 * 60 <= total <= 14 * 60:
        hours = total // 60
        return f"Etc/GMT{-hours:+d}"
    if total in _PART_HOUR_OFFSETS:
        return _PART_HOUR_OFFSETS[total]
    raise ZoneError(
        f"No place keeps UTC{'+' if sign > 0 else '-'}{hours_text}:{minutes_text or '00'}. "
        "Type a city near you (Berlin, Lagos, Bangalore) or a name like Europe/Berlin."
    )


def _fuzzy_names() -> dict[str, str]:
    """Folded city and IANA city-part names to their zone, for near-miss spellings."""
    names: dict[str, str] = dict(_cities_by_folded())
    for part, zone in _iana_by_city_part().items():
        names.setdefault(part, zone)
    return names


def _close_zones(folded: str) -> list[str]:
    """The distinct zones of names very like ``folded`` ("berln" -> Europe/Berlin), best first.

    Bounded: only short text is compared, against a fixed list of names.
    """
    if len(folded) > _FUZZY_MAX or len(folded) < 4:
        return []
    names = _fuzzy_names()
    zones: list[str] = []
    for match in difflib.get_close_matches(folded, list(names), n=3, cutoff=_FUZZY_CUTOFF):
        if names[match] not in zones:
            zones.append(names[match])
    return zones


def zone_label(key: str) -> str:
    """A zone's name as people read it: "Etc/GMT-5" (POSIX's inverted sign) is shown as "UTC+5"."""
    if key.startswith("Etc/GMT") and len(key) > len("Etc/GMT"):
        hours = -int(key[len("Etc/GMT") :])
        return f"UTC{hours:+d}"
    return key


def _close_names(folded: str) -> list[str]:
    """Up to three known names that look like a typo of ``folded`` ("berln" -> "Berlin")."""
    names: dict[str, str] = {_fold(city): city for city in CITY_ZONES}
    for part, zone in _iana_by_city_part().items():
        names.setdefault(part, zone)
    if len(folded) > _FUZZY_MAX:
        return []
    return [names[m] for m in difflib.get_close_matches(folded, list(names), n=3, cutoff=0.75)]


def _city_display(city: str, zone: str) -> str:
    return city if city == zone else f"{city} ({zone})"


def suggest_zones(prefix: str, limit: int = MAX_CHOICES) -> list[tuple[str, str]]:
    """Autocomplete choices for ``prefix``: a list of (display name, IANA value).

    Cities come first when they match, then IANA names; at most ``limit``
    (never more than 25) choices, each display name at most 100 characters,
    one choice per zone. An empty prefix lists popular cities.
    """
    limit = max(0, min(limit, MAX_CHOICES))
    if limit == 0 or len(prefix or "") > MAX_ZONE_TEXT:
        return []
    query = _fold(prefix or "")
    if query in _AMBIGUOUS:
        return [(f"{place} ({zone})", zone) for place, zone in _AMBIGUOUS[query]][:limit]
    if query in _ABBREVIATIONS:
        zone = _ABBREVIATIONS[query]
        return [(f"{prefix.strip().upper()} ({zone})", zone)]
    try:
        offset = _offset_zone(query)
    except ZoneError:
        offset = None
    if offset is not None:
        return [(zone_label(offset), offset)]
    if not query:
        picks = [(_city_display(c, CITY_ZONES[c]), CITY_ZONES[c]) for c in POPULAR_CITIES]
        return _unique(picks)[:limit]

    scored: list[tuple[int, int, str, str, str]] = []  # (tier, source, sort key, display, zone)
    for city, zone in CITY_ZONES.items():
        folded = _fold(city)
        if folded == query:
            tier = 0
        elif folded.startswith(query):
            tier = 1
        elif any(word.startswith(query) for word in folded.split()):
            tier = 3
        elif len(query) >= 3 and query in folded:
            tier = 5
        else:
            continue
        scored.append((tier, 0, folded, _city_display(city, zone), zone))
    for name in iana_names():
        folded = _fold(name)
        city_part = folded.rsplit("/", 1)[-1]
        if folded == query or city_part == query:
            tier = 0
        elif folded.startswith(query) or city_part.startswith(query):
            tier = 2
        elif any(word.startswith(query) for word in city_part.split()):
            tier = 4
        elif len(query) >= 3 and query in folded:
            tier = 6
        else:
            continue
        scored.append((tier, 1, folded, name, name))
    scored.sort(key=lambda item: item[:3])  # cities win ties with IANA names
    return _unique([(display, zone) for *_rank, display, zone in scored])[:limit]


def _unique(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Keep the first choice for each zone and trim display names to Discord's limit."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for display, zone in choices:
        if zone in seen:
            continue
        seen.add(zone)
        out.append((display[:MAX_NAME], zone))
    return out
