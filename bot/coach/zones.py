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

__all__ = [
    "CITY_ZONES",
    "MAX_ZONE_TEXT",
    "POPULAR_CITIES",
    "ZoneError",
    "iana_names",
    "resolve_zone",
    "suggest_zones",
]

MAX_CHOICES = 25
MAX_NAME = 100
MAX_ZONE_TEXT = 100
"""The longest zone text read; longer text is refused before any lookup or fuzzy match."""


class ZoneError(ValueError):
    """The text isn't a time zone we know; ``str(err)`` is a message fit to show the user."""


# Display name -> IANA zone. Keys are matched without case and accents.
CITY_ZONES: dict[str, str] = {
    # Europe
    "London": "Europe/London",
    "Manchester": "Europe/London",
    "Edinburgh": "Europe/London",
    "Dublin": "Europe/Dublin",
    "Lisbon": "Europe/Lisbon",
    "Paris": "Europe/Paris",
    "Brussels": "Europe/Brussels",
    "Amsterdam": "Europe/Amsterdam",
    "Berlin": "Europe/Berlin",
    "Munich": "Europe/Berlin",
    "Hamburg": "Europe/Berlin",
    "Frankfurt": "Europe/Berlin",
    "Zurich": "Europe/Zurich",
    "Geneva": "Europe/Zurich",
    "Vienna": "Europe/Vienna",
    "Madrid": "Europe/Madrid",
    "Barcelona": "Europe/Madrid",
    "Rome": "Europe/Rome",
    "Milan": "Europe/Rome",
    "Copenhagen": "Europe/Copenhagen",
    "Stockholm": "Europe/Stockholm",
    "Oslo": "Europe/Oslo",
    "Helsinki": "Europe/Helsinki",
    "Warsaw": "Europe/Warsaw",
    "Krakow": "Europe/Warsaw",
    "Prague": "Europe/Prague",
    "Budapest": "Europe/Budapest",
    "Bucharest": "Europe/Bucharest",
    "Athens": "Europe/Athens",
    "Istanbul": "Europe/Istanbul",
    "Kyiv": "Europe/Kyiv",
    "Kiev": "Europe/Kyiv",
    "Moscow": "Europe/Moscow",
    # Africa and the Middle East
    "Cairo": "Africa/Cairo",
    "Lagos": "Africa/Lagos",
    "Abuja": "Africa/Lagos",
    "Accra": "Africa/Accra",
    "Nairobi": "Africa/Nairobi",
    "Kampala": "Africa/Kampala",
    "Addis Ababa": "Africa/Addis_Ababa",
    "Johannesburg": "Africa/Johannesburg",
    "Cape Town": "Africa/Johannesburg",
    "Casablanca": "Africa/Casablanca",
    "Kigali": "Africa/Kigali",
    "Dubai": "Asia/Dubai",
    "Abu Dhabi": "Asia/Dubai",
    "Riyadh": "Asia/Riyadh",
    "Tel Aviv": "Asia/Jerusalem",
    "Jerusalem": "Asia/Jerusalem",
    "Tehran": "Asia/Tehran",
    # Asia
    "Karachi": "Asia/Karachi",
    "Lahore": "Asia/Karachi",
    "Bangalore": "Asia/Kolkata",
    "Bengaluru": "Asia/Kolkata",
    "Mumbai": "Asia/Kolkata",
    "Delhi": "Asia/Kolkata",
    "New Delhi": "Asia/Kolkata",
    "Hyderabad": "Asia/Kolkata",
    "Chennai": "Asia/Kolkata",
    "Pune": "Asia/Kolkata",
    "Kolkata": "Asia/Kolkata",
    "Dhaka": "Asia/Dhaka",
    "Kathmandu": "Asia/Kathmandu",
    "Colombo": "Asia/Colombo",
    "Bangkok": "Asia/Bangkok",
    "Ho Chi Minh City": "Asia/Ho_Chi_Minh",
    "Hanoi": "Asia/Ho_Chi_Minh",
    "Jakarta": "Asia/Jakarta",
    "Kuala Lumpur": "Asia/Kuala_Lumpur",
    "Singapore": "Asia/Singapore",
    "Manila": "Asia/Manila",
    "Hong Kong": "Asia/Hong_Kong",
    "Shanghai": "Asia/Shanghai",
    "Beijing": "Asia/Shanghai",
    "Shenzhen": "Asia/Shanghai",
    "Taipei": "Asia/Taipei",
    "Seoul": "Asia/Seoul",
    "Tokyo": "Asia/Tokyo",
    "Osaka": "Asia/Tokyo",
    # Oceania
    "Perth": "Australia/Perth",
    "Adelaide": "Australia/Adelaide",
    "Brisbane": "Australia/Brisbane",
    "Sydney": "Australia/Sydney",
    "Canberra": "Australia/Sydney",
    "Melbourne": "Australia/Melbourne",
    "Auckland": "Pacific/Auckland",
    "Wellington": "Pacific/Auckland",
    "Honolulu": "Pacific/Honolulu",
    # The Americas
    "New York": "America/New_York",
    "NYC": "America/New_York",
    "Boston": "America/New_York",
    "Washington DC": "America/New_York",
    "Philadelphia": "America/New_York",
    "Atlanta": "America/New_York",
    "Miami": "America/New_York",
    "Detroit": "America/Detroit",
    "Toronto": "America/Toronto",
    "Montreal": "America/Toronto",
    "Ottawa": "America/Toronto",
    "Halifax": "America/Halifax",
    "Chicago": "America/Chicago",
    "Austin": "America/Chicago",
    "Dallas": "America/Chicago",
    "Houston": "America/Chicago",
    "Minneapolis": "America/Chicago",
    "Denver": "America/Denver",
    "Salt Lake City": "America/Denver",
    "Phoenix": "America/Phoenix",
    "Calgary": "America/Edmonton",
    "Los Angeles": "America/Los_Angeles",
    "LA": "America/Los_Angeles",
    "San Francisco": "America/Los_Angeles",
    "SF": "America/Los_Angeles",
    "Bay Area": "America/Los_Angeles",
    "San Jose": "America/Los_Angeles",
    "San Diego": "America/Los_Angeles",
    "Seattle": "America/Los_Angeles",
    "Portland": "America/Los_Angeles",
    "Vancouver": "America/Vancouver",
    "Anchorage": "America/Anchorage",
    "Mexico City": "America/Mexico_City",
    "Bogota": "America/Bogota",
    "Lima": "America/Lima",
    "Santiago": "America/Santiago",
    "Buenos Aires": "America/Argentina/Buenos_Aires",
    "São Paulo": "America/Sao_Paulo",
    "Rio de Janeiro": "America/Sao_Paulo",
    # UTC
    "UTC": "UTC",
}

# Shown first when the autocomplete box is still empty.
POPULAR_CITIES: tuple[str, ...] = (
    "London",
    "Berlin",
    "Paris",
    "Amsterdam",
    "Dublin",
    "Lisbon",
    "New York",
    "Toronto",
    "Chicago",
    "Denver",
    "Los Angeles",
    "São Paulo",
    "Lagos",
    "Nairobi",
    "Johannesburg",
    "Dubai",
    "Bangalore",
    "Singapore",
    "Hong Kong",
    "Tokyo",
    "Sydney",
    "Auckland",
    "UTC",
)

_UTC_ALIASES = frozenset({"utc", "gmt", "z", "zulu", "universal", "etc/utc", "etc/gmt", "utc+0", "gmt+0"})
_SKIP_PREFIXES = ("posix/", "right/", "SystemV/")
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
    if folded in _iana_by_folded():
        return _zone(_iana_by_folded()[folded])
    if folded in _cities_by_folded():
        return _zone(_cities_by_folded()[folded])
    if folded in _iana_by_city_part():
        return _zone(_iana_by_city_part()[folded])
    shown = text.strip()[:60]
    hints = [display for display, _value in suggest_zones(shown, limit=3)] or _close_names(folded)
    message = f"I don't know the time zone {shown!r}."
    if hints:
        message += f" Did you mean {', '.join(hints)}?"
    message += " You can type a large city near you (Berlin, Lagos, Bangalore) or a name like Europe/Berlin."
    raise ZoneError(message)


def _close_names(folded: str) -> list[str]:
    """Up to three known names that look like a typo of ``folded`` ("berln" -> "Berlin")."""
    names: dict[str, str] = {_fold(city): city for city in CITY_ZONES}
    for part, zone in _iana_by_city_part().items():
        names.setdefault(part, zone)
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
