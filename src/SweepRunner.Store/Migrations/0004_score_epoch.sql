-- Version 4: a score on a whole job may name the epoch whose LoRA it judges (kohya saves one LoRA per
-- saved epoch, and people compare them). NULL means the job's final LoRA, or a preview score, whose
-- preview already names its epoch.

ALTER TABLE scores ADD COLUMN epoch INTEGER CHECK (epoch IS NULL OR (epoch >= 0 AND preview_id IS NULL));
