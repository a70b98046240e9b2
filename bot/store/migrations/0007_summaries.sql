-- Weekly summaries (issue 13): a private one per user, a cohort one per opted-in server channel.

-- The user's own weekly-summary time, "Sun 18:00" in their zone; NULL = the operator's default.
ALTER TABLE users ADD COLUMN summary_time TEXT;

-- One row per (user, ISO week): the subject of that week's 'weekly' prompt, so it is sent once.
CREATE TABLE weekly_runs (
    id       INTEGER PRIMARY KEY,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    week     TEXT NOT NULL,                          -- "2026-W48", in the user's zone
    UNIQUE (user_id, week)
);

-- A channel where a server posts its cohort summary; a server may have several (one per cohort).
CREATE TABLE summary_channels (
    channel_id    INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    summary_time  TEXT,                              -- "Sun 18:00"; NULL = the operator's default
    timezone      TEXT,                              -- IANA; NULL = UTC
    last_error    TEXT,                              -- why the last post failed (missing permission)
    last_error_at INTEGER,
    last_posted_at INTEGER,
    created_at    INTEGER NOT NULL
);
CREATE INDEX summary_channels_guild ON summary_channels(guild_id);

-- One row per (channel, ISO week): the subject of that week's 'cohort' prompt.
CREATE TABLE cohort_runs (
    id          INTEGER PRIMARY KEY,
    channel_id  INTEGER NOT NULL REFERENCES summary_channels(channel_id) ON DELETE CASCADE,
    week        TEXT NOT NULL,
    UNIQUE (channel_id, week)
);

-- Members who chose to be counted in a channel's cohort summary (off by default; /settings share).
CREATE TABLE cohort_members (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    channel_id  INTEGER NOT NULL REFERENCES summary_channels(channel_id) ON DELETE CASCADE,
    guild_id    INTEGER NOT NULL,
    joined_at   INTEGER NOT NULL,
    PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX cohort_members_user ON cohort_members(user_id);

CREATE INDEX prompts_user_kind ON prompts(user_id, kind) WHERE state IN ('pending', 'claimed');
CREATE INDEX interviews_outcome ON interviews(user_id, outcome_at) WHERE outcome_at IS NOT NULL;
CREATE INDEX debriefs_user_done ON debriefs(user_id, finished_at) WHERE state = 'done';
CREATE INDEX feedback_user_at ON feedback(user_id, created_at);
