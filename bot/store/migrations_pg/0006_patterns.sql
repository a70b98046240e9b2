-- Patterns, focus and the note before an interview (as migrations/0006_patterns.sql).
ALTER TABLE users ADD COLUMN pre_interview BIGINT NOT NULL DEFAULT 1;
