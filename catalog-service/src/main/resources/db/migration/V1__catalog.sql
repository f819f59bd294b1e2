-- One row per physical object. Until positional cross-match lands, an object is identified by its
-- survey and the source id the ingest stage gave it; every band of it lands on this row.
CREATE TABLE galaxy (
    id          BIGSERIAL PRIMARY KEY,
    survey      TEXT             NOT NULL,
    source_id   TEXT             NOT NULL,
    field       TEXT             NOT NULL,
    ra          DOUBLE PRECISION NOT NULL CHECK (ra >= 0 AND ra < 360),
    dec         DOUBLE PRECISION NOT NULL CHECK (dec BETWEEN -90 AND 90),
    magnitude   DOUBLE PRECISION,
    first_seen  TIMESTAMPTZ      NOT NULL,
    CONSTRAINT galaxy_survey_source UNIQUE (survey, source_id)
);
-- Cone search narrows by declination band first, then right ascension.
CREATE INDEX galaxy_dec_ra ON galaxy (dec, ra);

-- One row per classification event (galaxy, band, model version); event_id makes consumption idempotent.
CREATE TABLE morphology (
    id                 BIGSERIAL PRIMARY KEY,
    event_id           TEXT        NOT NULL CONSTRAINT morphology_event_id UNIQUE,
    galaxy_id          BIGINT      NOT NULL REFERENCES galaxy (id),
    band               TEXT        NOT NULL,
    p_spheroid         REAL        NOT NULL,
    p_disk             REAL        NOT NULL,
    p_irregular        REAL        NOT NULL,
    p_point_source     REAL        NOT NULL,
    p_unclassifiable   REAL        NOT NULL,
    label              TEXT        NOT NULL,
    entropy            REAL        NOT NULL,
    model_name         TEXT        NOT NULL,
    model_version      TEXT        NOT NULL,
    model_sha256       TEXT        NOT NULL,
    execution_provider TEXT        NOT NULL,
    origin             TEXT        NOT NULL,
    thumbnail_png      BYTEA,
    classified_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX morphology_galaxy_band ON morphology (galaxy_id, band);
