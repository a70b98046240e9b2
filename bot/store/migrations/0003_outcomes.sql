-- Outcomes, check-ins and feedback.

-- The next step a user chose from a check-in after a rejection (a bot.coach.reset.NEXT_ACTIONS key).
CREATE TABLE next_steps (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    interview_id  INTEGER REFERENCES interviews(id) ON DELETE CASCADE,
    action        TEXT NOT NULL,
    chosen_at     INTEGER NOT NULL
);
CREATE INDEX next_steps_user ON next_steps(user_id, chosen_at);

CREATE INDEX feedback_interview ON feedback(interview_id);
CREATE INDEX applications_user ON applications(user_id, logged_at);
