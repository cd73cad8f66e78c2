-- Exact idea counters on regions and challenges, kept by triggers: the browse menus read them
-- instead of counting thousands of ideas on every tap.
ALTER TABLE regions ADD COLUMN idea_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE challenges ADD COLUMN idea_count INTEGER NOT NULL DEFAULT 0;

UPDATE regions SET idea_count = (SELECT COUNT(*) FROM ideas i WHERE i.region_id = regions.id);
UPDATE challenges SET idea_count = (SELECT COUNT(*) FROM ideas i WHERE i.challenge_id = challenges.id);

CREATE TRIGGER ideas_counters_insert AFTER INSERT ON ideas
BEGIN
    UPDATE regions SET idea_count = idea_count + 1 WHERE id = NEW.region_id;
    UPDATE challenges SET idea_count = idea_count + 1 WHERE id = NEW.challenge_id;
END;

CREATE TRIGGER ideas_counters_delete AFTER DELETE ON ideas
BEGIN
    UPDATE regions SET idea_count = idea_count - 1 WHERE id = OLD.region_id;
    UPDATE challenges SET idea_count = idea_count - 1 WHERE id = OLD.challenge_id;
END;

CREATE TRIGGER ideas_counters_move AFTER UPDATE OF region_id, challenge_id ON ideas
BEGIN
    UPDATE regions SET idea_count = idea_count - 1 WHERE id = OLD.region_id;
    UPDATE regions SET idea_count = idea_count + 1 WHERE id = NEW.region_id;
    UPDATE challenges SET idea_count = idea_count - 1 WHERE id = OLD.challenge_id;
    UPDATE challenges SET idea_count = idea_count + 1 WHERE id = NEW.challenge_id;
END;
