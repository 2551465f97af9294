-- The manifest a session was submitted with (JSON), once submitted.
ALTER TABLE sessions ADD COLUMN manifest TEXT;
