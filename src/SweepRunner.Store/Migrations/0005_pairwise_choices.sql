-- Version 5: pairwise choices. A scorer is shown two previews of the same prompt, seed and epoch from
-- different jobs and picks the one closer to the subject; the choices become a rating per job.
-- Append-only like scores: a changed mind is a new row.

CREATE TABLE pairwise_choices (
    id                INTEGER PRIMARY KEY,
    first_preview_id  INTEGER NOT NULL REFERENCES previews (id),
    second_preview_id INTEGER NOT NULL REFERENCES previews (id),
    chosen_preview_id INTEGER NOT NULL REFERENCES previews (id),
    scorer            TEXT NOT NULL CHECK (length(trim(scorer)) > 0),
    chosen_at         TEXT NOT NULL,
    CHECK (first_preview_id <> second_preview_id),
    CHECK (chosen_preview_id IN (first_preview_id, second_preview_id))
) STRICT;

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
