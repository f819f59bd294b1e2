-- Galaxies are now found by position (cross-match), not by (survey, source id): detections of one object in other
-- frames or bands, under other ids, land on the same row. Each classification keeps the source id it came with.
ALTER TABLE galaxy DROP CONSTRAINT galaxy_survey_source;
CREATE INDEX galaxy_survey_source ON galaxy (survey, source_id);

ALTER TABLE morphology ADD COLUMN source_id TEXT;
UPDATE morphology m SET source_id = g.source_id FROM galaxy g WHERE g.id = m.galaxy_id;
ALTER TABLE morphology ALTER COLUMN source_id SET NOT NULL;
