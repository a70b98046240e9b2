"""The PostgreSQL migrations are the SQLite ones' twins (issue 18): same numbers, and the two engines end
with the same tables, columns and foreign keys, so the store's SQL and migrate-store work on both."""

from __future__ import annotations

from bot.store import Store, pg
from bot.store.db import available_migrations
from tests import pg as test_pg


def test_every_sqlite_migration_has_its_postgresql_twin():
    assert sorted(pg.available_migrations()) == sorted(available_migrations())


async def test_both_engines_end_with_the_same_tables_columns_and_foreign_keys(tmp_path, request):
    lite = await Store.open(tmp_path / "d.db")
    try:
        sqlite_schema = await lite.db.tables()
        sqlite_version = await lite.db.schema_version()
    finally:
        await lite.close()
    async with test_pg.database(request, empty=True) as url:
        store = await Store.open(url)
        try:
            pg_schema = await store.db.tables()
            assert await store.db.schema_version() == sqlite_version
        finally:
            await store.close()
    assert sorted(pg_schema) == sorted(sqlite_schema)
    for table, (columns, keys) in sqlite_schema.items():
        assert pg_schema[table][0] == columns, table
        assert sorted(pg_schema[table][1]) == sorted(keys), table
