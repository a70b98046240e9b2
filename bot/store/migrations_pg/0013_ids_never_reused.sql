-- Ids on buttons are never given to another row: SQLite's tables are rebuilt with AUTOINCREMENT
-- (bot/store/rebuild.py). PostgreSQL's identity columns never hand out a value twice: nothing to do.
SELECT 1;
