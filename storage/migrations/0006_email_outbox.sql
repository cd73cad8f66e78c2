-- The delivery queue gets an e-mail channel: rows with channel 'email' go to email_to by SMTP
-- (chat_id is 0 for them); every existing row stays a Telegram message.
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'telegram'
    CHECK (channel IN ('telegram', 'email'));
ALTER TABLE outbox ADD COLUMN email_to TEXT;
