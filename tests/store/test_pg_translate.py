"""The PostgreSQL engine's placeholder translation: SQLite's ``?`` and ``:name`` become ``$n``; quoted
text, identifiers and ``::`` casts are left alone. (Pure: needs no server.)"""

from __future__ import annotations

from bot.store.pg import _args, translate


def test_question_marks_are_numbered_in_order_outside_quotes():
    text, names = translate("SELECT '?', \"a?\" FROM t WHERE a = ? AND b = ?")
    assert text == "SELECT '?', \"a?\" FROM t WHERE a = $1 AND b = $2"
    assert names == ()


def test_named_parameters_get_one_number_per_name_and_a_dict_gives_them_in_that_order():
    text, names = translate("SELECT 1 WHERE u = :u AND s >= :s AND e < :e AND u2 = :u AND x = ':u' AND y::text = 'a'")
    assert text == "SELECT 1 WHERE u = $1 AND s >= $2 AND e < $3 AND u2 = $1 AND x = ':u' AND y::text = 'a'"
    assert names == ("u", "s", "e")
    assert list(_args({"e": 3, "u": 1, "s": 2}, names)) == [1, 2, 3]
    assert list(_args((7, 8), ())) == [7, 8]
