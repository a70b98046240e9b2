-- Debrief schema, version 1. Times are whole seconds since the Unix epoch, UTC.

CREATE TABLE users (
    id               INTEGER PRIMARY KEY,          -- Discord user id
    timezone         TEXT,                         -- IANA name; NULL until the user chose one
    quiet_start      TEXT,                         -- local "HH:MM"; NULL = operator default
    quiet_end        TEXT,
    debrief_delay_s  INTEGER,                      -- NULL = operator default
    reset_window_s   INTEGER,                      -- NULL = operator default
    checkins         INTEGER NOT NULL DEFAULT 1,   -- check-in after a rejection
    weekly_summary   INTEGER NOT NULL DEFAULT 1,
    share_cohort     INTEGER NOT NULL DEFAULT 0,   -- counted in opted-in servers' cohort summaries
    dm_channel_id    INTEGER,                      -- sends go through a partial messageable
    dms_closed_at    INTEGER,                      -- last 403/50007, cleared by a successful send
    zone_asked_at    INTEGER,
    created_at       INTEGER NOT NULL
);

CREATE TABLE guilds (
    id                  INTEGER PRIMARY KEY,
    notice_channel_id   INTEGER,
    summary_channel_id  INTEGER,
    summary_time        TEXT,
    timezone            TEXT,
    enabled             INTEGER NOT NULL DEFAULT 1,
    created_at          INTEGER NOT NULL
);

-- Servers a user was seen in: where to tell them their DMs are closed.
CREATE TABLE memberships (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER,                           -- last channel they used the bot in
    seen_at     INTEGER NOT NULL,
    PRIMARY KEY (user_id, guild_id)
);

CREATE TABLE interviews (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    company      TEXT NOT NULL,
    role         TEXT,
    stage        TEXT NOT NULL,
    starts_at    INTEGER NOT NULL,
    length_min   INTEGER NOT NULL DEFAULT 60,
    source       TEXT NOT NULL DEFAULT 'command',   -- command | dm | notice
    guild_id     INTEGER,
    previous_id  INTEGER REFERENCES interviews(id) ON DELETE SET NULL,  -- earlier round, same company
    outcome      TEXT,                               -- advanced | offer | rejected | ghosted | withdrew
    outcome_at   INTEGER,
    debriefed_at INTEGER,
    created_at   INTEGER NOT NULL
);
CREATE INDEX interviews_user ON interviews(user_id, starts_at);

CREATE TABLE debriefs (
    id            INTEGER PRIMARY KEY,
    interview_id  INTEGER NOT NULL UNIQUE REFERENCES interviews(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    step          TEXT NOT NULL,                     -- the step the user is on
    state         TEXT NOT NULL DEFAULT 'open',      -- open | done
    started_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    finished_at   INTEGER
);
CREATE UNIQUE INDEX debriefs_one_open ON debriefs(user_id) WHERE state = 'open';

CREATE TABLE answers (
    debrief_id  INTEGER NOT NULL REFERENCES debriefs(id) ON DELETE CASCADE,
    step        TEXT NOT NULL,
    value       TEXT NOT NULL,                       -- JSON
    skipped     INTEGER NOT NULL DEFAULT 0,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (debrief_id, step)
);

CREATE TABLE feedback (
    id            INTEGER PRIMARY KEY,
    interview_id  INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    text          TEXT NOT NULL,
    control       TEXT,                              -- within_control | outside_control | unsure
    created_at    INTEGER NOT NULL
);
CREATE INDEX feedback_user ON feedback(user_id);

CREATE TABLE applications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    count      INTEGER NOT NULL,
    logged_at  INTEGER NOT NULL
);

CREATE TABLE focus (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    text          TEXT NOT NULL,
    interview_id  INTEGER REFERENCES interviews(id) ON DELETE SET NULL,
    state         TEXT NOT NULL DEFAULT 'active',    -- active | done
    created_at    INTEGER NOT NULL,
    done_at       INTEGER
);

-- The prompt queue: the store is the truth for everything scheduled.
CREATE TABLE prompts (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,                       -- debrief | checkin | ghosting
    subject_id  INTEGER NOT NULL,                    -- the interview
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    due_at      INTEGER NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending',     -- pending | claimed | sent | cancelled | failed
    attempts    INTEGER NOT NULL DEFAULT 0,
    claimed_at  INTEGER,
    sent_at     INTEGER,
    message_id  INTEGER,
    last_error  TEXT,
    snoozes     INTEGER NOT NULL DEFAULT 0,
    late_since  INTEGER,                             -- original due time, when held back (quiet hours, DMs closed)
    created_at  INTEGER NOT NULL,
    UNIQUE (kind, subject_id)
);
CREATE INDEX prompts_pending_due ON prompts(due_at) WHERE state = 'pending';
CREATE INDEX prompts_claimed ON prompts(claimed_at) WHERE state = 'claimed';
CREATE INDEX prompts_user ON prompts(user_id);

-- Interviews not recorded yet: read from a DM or a notice-channel post and waiting for the user's
-- confirm button, or waiting for the user to choose a time zone before "when" can be read.
CREATE TABLE drafts (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    company     TEXT,
    role        TEXT,
    stage       TEXT,
    when_text   TEXT,                                -- as typed, read once the zone is known
    starts_at   INTEGER,
    length_min  INTEGER,
    source      TEXT NOT NULL,                       -- command | dm | notice
    guild_id    INTEGER,
    created_at  INTEGER NOT NULL
);

-- Key/value facts the bot keeps about itself (e.g. the hash of the last synced command tree).
CREATE TABLE meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
