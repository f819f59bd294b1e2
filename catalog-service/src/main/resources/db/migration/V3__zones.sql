-- Sky index: one-arcminute declination zones (Zones.java computes the same zone in Java). A cone search becomes one
-- B-tree range on (zone, ra) per zone it crosses, instead of a scan of a whole declination band.
ALTER TABLE galaxy ADD COLUMN zone INTEGER GENERATED ALWAYS AS (floor((dec + 90) * 60)::integer) STORED;
CREATE INDEX galaxy_zone_ra ON galaxy (zone, ra);
DROP INDEX galaxy_dec_ra;
