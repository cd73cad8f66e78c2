-- News as an opt-in (issue 14). A broadcast to „Alle“ reached everyone who ever opened the
-- bot, without being asked; now it reaches only those who said yes (/neuigkeiten, or the offer
-- the bot makes once). Region broadcasts still go to the region's subscribers.
--
-- news_since: when the person opted in; NULL: no broadcasts to „Alle“.
-- news_offered_at: when the bot offered the news (once); NULL: not yet.
-- Existing users are not subscribed silently: both columns start empty, so nobody receives a
-- broadcast to „Alle“ until they said yes, and everyone is asked once at their next contact.
-- Both columns belong to the users row: /meine_daten exports it, /daten_loeschen deletes it.
ALTER TABLE users ADD COLUMN news_since TEXT;
ALTER TABLE users ADD COLUMN news_offered_at TEXT;
