-- Version 8: a pairwise choice may be a tie: the scorer judged both previews equally close to the subject, and
-- chosen_preview_id is NULL. A tie counts as half a win for each side in the ratings. SQLite cannot relax a NOT NULL
-- column in place, so the table is rebuilt with its rows, ids, indexes and append-only triggers.

DROP TRIGGER pairwise_choices_are_append_only_on_update;
DROP TRIGGER pairwise_choices_are_append_only_on_delete;

CREATE TABLE pairwise_choices_v8 (
    id                INTEGER PRIMARY KEY,
    first_preview_id  INTEGER NOT NULL REFERENCES previews (id),
    second_preview_id INTEGER NOT NULL REFERENCES previews (id),
    chosen_preview_id INTEGER REFERENCES previews (id),
    scorer            TEXT NOT NULL CHECK (length(trim(scorer)) > 0),
    chosen_at         TEXT NOT NULL,
    CHECK (first_preview_id <> second_preview_id),
    CHECK (chosen_preview_id IS NULL OR chosen_preview_id IN (first_preview_id, second_preview_id))
) STRICT;

INSERT INTO pairwise_choices_v8 (id, first_preview_id, second_preview_id, chosen_preview_id, scorer, chosen_at)
SELECT id, first_preview_id, second_preview_id, chosen_preview_id, scorer, chosen_at FROM pairwise_choices;

DROP TABLE pairwise_choices;
ALTER TABLE pairwise_choices_v8 RENAME TO pairwise_choices;

CREATE INDEX pairwise_choices_by_first ON pairwise_choices (first_preview_id);
CREATE INDEX pairwise_choices_by_second ON pairwise_choices (second_preview_id);

CREATE TRIGGER pairwise_choices_are_append_only_on_update BEFORE UPDATE ON pairwise_choices
BEGIN
    SELECT RAISE(ABORT, 'pairwise choices are append-only: add a new choice instead of changing one');
END;

CREATE TRIGGER pairwise_choices_are_append_only_on_delete BEFORE DELETE ON pairwise_choices
BEGIN
    SELECT RAISE(ABORT, 'pairwise choices are append-only: add a new choice instead of removing one');
END;
