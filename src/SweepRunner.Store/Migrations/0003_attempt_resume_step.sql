-- Version 3: an attempt that resumes from a saved training state records the step it resumed from,
-- so measured speed counts only the steps that attempt trained itself.

ALTER TABLE attempts ADD COLUMN resumed_from_step INTEGER NOT NULL DEFAULT 0 CHECK (resumed_from_step >= 0);
