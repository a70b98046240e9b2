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
    "zone_label",
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

# Abbreviations people type, mapped to the zone they usually mean (the zone handles summer time).
_ABBREVIATIONS: dict[str, str] = {
    "est": "America/New_York",
    "edt": "America/New_York",
    "et": "America/New_York",
    "eastern": "America/New_York",
    "cdt": "America/Chicago",
    "central": "America/Chicago",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "mountain": "America/Denver",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles",
    "akst": "America/Anchorage",
    "hst": "Pacific/Honolulu",
    "bst": "Europe/London",
    "wet": "Europe/Lisbon",
    "cet": "Europe/Berlin",
    "cest": "Europe/Berlin",
    "met": "Europe/Berlin",
    "eet": "Europe/Athens",
    "eest": "Europe/Athens",
    "msk": "Europe/Moscow",
    "sast": "Africa/Johannesburg",
    "wat": "Africa/Lagos",
    "eat": "Africa/Nairobi",
    "pkt": "Asia/Karachi",
    "npt": "Asia/Kathmandu",
    "sgt": "Asia/Singapore",
    "hkt": "Asia/Hong_Kong",
    "jst": "Asia/Tokyo",
    "kst": "Asia/Seoul",
    "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney",
    "acst": "Australia/Adelaide",
    "awst": "Australia/Perth",
    "nzst": "Pacific/Auckland",
    "nzdt": "Pacific/Auckland",
    "brt": "America/Sao_Paulo",
    "art": "America/Argentina/Buenos_Aires",
}
# Abbreviations that mean different places: the user is asked which.
_AMBIGUOUS: dict[str, tuple[tuple[str, str], ...]] = {
    "ist": (("India", "Asia/Kolkata"), ("Israel", "Asia/Jerusalem"), ("Ireland", "Europe/Dublin")),
    "cst": (("US Central", "America/Chicago"), ("China", "Asia/Shanghai"), ("Cuba", "America/Havana")),
    "ast": (("Atlantic", "America/Halifax"), ("Arabia", "Asia/Riyadh")),
    "gst": (("Gulf", "Asia/Dubai"), ("South Georgia", "Atlantic/South_Georgia")),
}
# Offsets that are not whole hours, to the zone most people on them live in.
_PART_HOUR_OFFSETS: dict[int, str] = {
    -210: "America/St_Johns",
    210: "Asia/Tehran",
    270: "Asia/Kabul",
    330: "Asia/Kolkata",
    345: "Asia/Kathmandu",
    390: "Asia/Yangon",
    570: "Australia/Darwin",
    630: "Australia/Lord_Howe",
}
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
