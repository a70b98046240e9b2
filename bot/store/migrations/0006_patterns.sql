-- Patterns, focus and the note before an interview (issue 12).

-- The short DM the evening before a logged interview (prompt kind 'pre_interview'); on by default.
ALTER TABLE users ADD COLUMN pre_interview INTEGER NOT NULL DEFAULT 1;
