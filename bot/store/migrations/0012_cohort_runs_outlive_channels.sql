-- A cohort summary's run keys (one per channel and ISO week) outlive the channel's summary: removing the
-- summary channel and adding it back the same week finds that week's key already spent (its post went
-- out) instead of a fresh one, so the week is not posted twice. The keys go with the server
-- (bot/store/privacy.py forget_guild). SQLite cannot drop a foreign key: the table is rebuilt.
CREATE TABLE cohort_runs_new (
    id          INTEGER PRIMARY KEY,
    channel_id  INTEGER NOT NULL,
    week        TEXT NOT NULL,
    UNIQUE (channel_id, week)
);
INSERT INTO cohort_runs_new (id, channel_id, week) SELECT id, channel_id, week FROM cohort_runs;
DROP TABLE cohort_runs;
ALTER TABLE cohort_runs_new RENAME TO cohort_runs;
