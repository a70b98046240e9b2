"""Tests for bot.coach.zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.coach.zones import CITY_ZONES, POPULAR_CITIES, ZoneError, iana_names, resolve_zone, suggest_zones, zone_label


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("  EUROPE/BERLIN  ", "Europe/Berlin"),
        ("America/New York", "America/New_York"),
        ("america/new_york", "America/New_York"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("Berlin", "Europe/Berlin"),
        ("berlin", "Europe/Berlin"),
        ("New York", "America/New_York"),
        ("NYC", "America/New_York"),
        ("London", "Europe/London"),
        ("Bangalore", "Asia/Kolkata"),
        ("Bengaluru", "Asia/Kolkata"),
        ("Mumbai", "Asia/Kolkata"),
        ("Delhi", "Asia/Kolkata"),
        ("San Francisco", "America/Los_Angeles"),
        ("LA", "America/Los_Angeles"),
        ("la", "America/Los_Angeles"),
        ("Toronto", "America/Toronto"),
        ("Sydney", "Australia/Sydney"),
        ("Lagos", "Africa/Lagos"),
        ("Nairobi", "Africa/Nairobi"),
        ("São Paulo", "America/Sao_Paulo"),
        ("Sao Paulo", "America/Sao_Paulo"),
        ("sao_paulo", "America/Sao_Paulo"),
        ("Singapore", "Asia/Singapore"),
        ("Tokyo", "Asia/Tokyo"),
        ("Paris", "Europe/Paris"),
        ("Amsterdam", "Europe/Amsterdam"),
        ("Dublin", "Europe/Dublin"),
        ("Austin", "America/Chicago"),
        ("Chicago", "America/Chicago"),
        ("Denver", "America/Denver"),
        ("Washington D.C.", "America/New_York"),
        ("kolkata", "Asia/Kolkata"),  # the city part of an IANA name
        ("Reykjavik", "Atlantic/Reykjavik"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("GMT", "UTC"),
        ("Etc/UTC", "UTC"),
    ],
)
def test_resolve_zone(text: str, key: str) -> None:
    zone = resolve_zone(text)
    assert isinstance(zone, ZoneInfo)
    assert zone.key == key


def test_every_city_resolves_to_its_zone() -> None:
    assert len(CITY_ZONES) >= 60
    for city, zone in CITY_ZONES.items():
        assert resolve_zone(city).key == zone, city
        assert zone in iana_names(), zone


def test_popular_cities_are_known() -> None:
    for city in POPULAR_CITIES:
        assert city in CITY_ZONES


@pytest.mark.parametrize("text", ["", "   ", "Atlantis", "Mars/Olympus", "12345"])
def test_unknown_zone(text: str) -> None:
    with pytest.raises(ZoneError) as err:
        resolve_zone(text)
    assert isinstance(err.value, ValueError)
    assert "Berlin" in str(err.value)  # an example of what works


def test_near_miss_spellings_are_matched() -> None:
    assert resolve_zone("Berln").key == "Europe/Berlin"
    assert resolve_zone("berln").key == "Europe/Berlin"
    assert resolve_zone("new yrok").key == "America/New_York"
    assert resolve_zone("Londn").key == "Europe/London"


def test_a_far_miss_still_gets_a_suggestion_not_a_guess() -> None:
    with pytest.raises(ZoneError, match="Did you mean"):
        resolve_zone("Atlanti")


@pytest.mark.parametrize(
    ("text", "hours"),
    [("GMT+1", 1), ("UTC+5", 5), ("utc-3", -3), ("UTC +2", 2), ("gmt-11", -11), ("+3", 3), ("UTC+14", 14)],
)
def test_offsets_mean_ahead_of_utc_as_people_write_them(text: str, hours: int) -> None:
    tz = resolve_zone(text)
    assert tz.utcoffset(datetime(2026, 1, 15, tzinfo=UTC)) == timedelta(hours=hours)
    assert zone_label(tz.key) == f"UTC{hours:+d}"


@pytest.mark.parametrize(("text", "key"), [("UTC+5:30", "Asia/Kolkata"), ("+0545", "Asia/Kathmandu")])
def test_part_hour_offsets_map_to_their_zone(text: str, key: str) -> None:
    assert resolve_zone(text).key == key


def test_an_offset_no_place_keeps_is_refused() -> None:
    with pytest.raises(ZoneError, match="No place keeps"):
        resolve_zone("UTC+15")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("EST", "America/New_York"),
        ("edt", "America/New_York"),
        ("PST", "America/Los_Angeles"),
        ("PDT", "America/Los_Angeles"),
        ("CET", "Europe/Berlin"),
        ("CEST", "Europe/Berlin"),
        ("BST", "Europe/London"),
        ("JST", "Asia/Tokyo"),
        ("AEST", "Australia/Sydney"),
    ],
)
def test_common_abbreviations_map_to_their_usual_zone(text: str, key: str) -> None:
    assert resolve_zone(text).key == key


def test_an_ambiguous_abbreviation_asks_with_a_choice() -> None:
    with pytest.raises(ZoneError) as err:
        resolve_zone("IST")
    for place in ("India", "Israel", "Ireland"):
        assert place in str(err.value)
    assert [value for _display, value in suggest_zones("IST")] == ["Asia/Kolkata", "Asia/Jerusalem", "Europe/Dublin"]


def test_iana_names_are_usable_and_cached() -> None:
    names = iana_names()
    assert names is iana_names()
    assert "Europe/Berlin" in names
    assert "UTC" in names
    assert "localtime" not in names
    assert not any(n.startswith(("posix/", "right/")) for n in names)
    assert list(names) == sorted(names)


def _check_choices(choices: list[tuple[str, str]]) -> None:
    assert len(choices) <= 25
    values = [value for _name, value in choices]
    assert len(values) == len(set(values)), "one choice per zone"
    for name, value in choices:
        assert 1 <= len(name) <= 100
        assert value in iana_names()


def test_suggest_empty_prefix_lists_popular() -> None:
    choices = suggest_zones("")
    _check_choices(choices)
    assert choices[0] == ("London (Europe/London)", "Europe/London")
    assert ("UTC", "UTC") in choices


@pytest.mark.parametrize(
    ("prefix", "first_value"),
    [
        ("ber", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("bang", "Asia/Kolkata"),
        ("mum", "Asia/Kolkata"),
        ("new y", "America/New_York"),
        ("sao", "America/Sao_Paulo"),
        ("São", "America/Sao_Paulo"),
        ("europe/lon", "Europe/London"),
        ("Asia/Tok", "Asia/Tokyo"),
        ("america/los", "America/Los_Angeles"),
        ("reykj", "Atlantic/Reykjavik"),
        ("utc", "UTC"),
    ],
)
def test_suggest_best_match_first(prefix: str, first_value: str) -> None:
    choices = suggest_zones(prefix)
    _check_choices(choices)
    assert choices, prefix
    assert choices[0][1] == first_value


def test_suggest_respects_limit() -> None:
    assert len(suggest_zones("a")) == 25
    assert len(suggest_zones("a", limit=5)) == 5
    assert len(suggest_zones("a", limit=100)) == 25
    assert suggest_zones("a", limit=0) == []
    assert suggest_zones("zzzzzz") == []


def test_suggest_shows_city_with_zone() -> None:
    choices = dict(suggest_zones("bangalore"))
    assert choices == {"Bangalore (Asia/Kolkata)": "Asia/Kolkata"}


def test_suggest_is_fast_enough_for_autocomplete() -> None:
    import time as _time

    suggest_zones("x")  # warm the cache
    start = _time.perf_counter()
    for prefix in ("a", "am", "ame", "amer", "eur", "berl", "s", "new"):
        suggest_zones(prefix)
    assert _time.perf_counter() - start < 0.5
