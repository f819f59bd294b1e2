package io.morpho.catalog.repository;

import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.morpho.catalog.entity.Galaxy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import morpho.events.v1.ClassificationEvent;

/**
 * The catalog's only write path. Inserts are idempotent: a galaxy is created once per (survey, source),
 * a morphology row once per event id, so a replayed or duplicated event changes nothing.
 */
@ApplicationScoped
public class CatalogRepository {
    /** Advisory lock key for galaxy creation ("morpho" in ASCII). */
    private static final long GALAXY_CREATION_LOCK = 0x6d6f7270686fL;

    @Inject
    EntityManager em;

    /**
     * Stores a classification on the galaxy nearest to its position within {@code matchRadiusArcsec}, creating
     * the galaxy when there is none. Idempotent: an event id already stored changes nothing (not even a galaxy).
     *
     * @return true when the event was new and stored, false when it was already there
     */
    public boolean store(ClassificationEvent e, double matchRadiusArcsec) {
        if (!em.createNativeQuery("SELECT 1 FROM morphology WHERE event_id = ?1").setParameter(1, e.getEventId())
                .getResultList().isEmpty()) {
            return false;
        }
        // Serialises galaxy creation so two detections of one new object (other ids, other partitions) cannot
        // both create it; matching and inserting are otherwise concurrent.
        em.createNativeQuery("SELECT pg_advisory_xact_lock(?1)").setParameter(1, GALAXY_CREATION_LOCK).getSingleResult();
        long galaxyId = nearest(e.getRa(), e.getDec(), matchRadiusArcsec);
        if (galaxyId < 0) {
            galaxyId = ((Number) em.createNativeQuery("""
                    INSERT INTO galaxy (survey, source_id, field, ra, dec, magnitude, first_seen)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id""")
                    .setParameter(1, e.getSurvey()).setParameter(2, e.getSourceId()).setParameter(3, e.getField())
                    .setParameter(4, e.getRa()).setParameter(5, e.getDec()).setParameter(6, e.getMagnitude())
                    .setParameter(7, Timestamp.from(e.getClassifiedAt()))
                    .getSingleResult()).longValue();
        }
        byte[] thumbnail = null;
        if (e.getThumbnailPng() != null) {
            thumbnail = new byte[e.getThumbnailPng().remaining()];
            e.getThumbnailPng().duplicate().get(thumbnail);
        }
        int inserted = em.createNativeQuery("""
                INSERT INTO morphology (event_id, galaxy_id, band, p_spheroid, p_disk, p_irregular, p_point_source,
                    p_unclassifiable, label, entropy, model_name, model_version, model_sha256, execution_provider,
                    origin, thumbnail_png, classified_at, source_id)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
                ON CONFLICT (event_id) DO NOTHING""")
                .setParameter(1, e.getEventId()).setParameter(2, galaxyId).setParameter(3, e.getBand())
                .setParameter(4, e.getPSpheroid()).setParameter(5, e.getPDisk()).setParameter(6, e.getPIrregular())
                .setParameter(7, e.getPPointSource()).setParameter(8, e.getPUnclassifiable())
                .setParameter(9, e.getLabel()).setParameter(10, e.getEntropy()).setParameter(11, e.getModelName())
                .setParameter(12, e.getModelVersion()).setParameter(13, e.getModelSha256())
                .setParameter(14, e.getExecutionProvider()).setParameter(15, e.getOrigin())
                .setParameter(16, thumbnail).setParameter(17, Timestamp.from(e.getClassifiedAt()))
                .setParameter(18, e.getSourceId())
                .executeUpdate();
        return inserted == 1;
    }

    /** The newest thumbnail of a galaxy in a band, if its classification carried one. */
    @SuppressWarnings("unchecked")
    public java.util.Optional<byte[]> thumbnail(long galaxyId, String band) {
        List<byte[]> found = em.createNativeQuery("""
                SELECT thumbnail_png FROM morphology WHERE galaxy_id = ?1 AND band = ?2 AND thumbnail_png IS NOT NULL
                ORDER BY classified_at DESC, id DESC LIMIT 1""")
                .setParameter(1, galaxyId).setParameter(2, band).getResultList();
        return found.stream().findFirst();
    }

    /** Counts of classifications grouped by one morphology column (label, band, model_version). */
    @SuppressWarnings("unchecked")
    public java.util.Map<String, Long> countBy(String column) {
        if (!java.util.List.of("label", "band", "model_version").contains(column)) {
            throw new IllegalArgumentException("cannot group by " + column);
        }
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        for (Object[] row : (java.util.List<Object[]>) em.createNativeQuery(
                "SELECT " + column + ", count(*) FROM morphology GROUP BY " + column).getResultList()) {
            counts.put((String) row[0], ((Number) row[1]).longValue());
        }
        return counts;
    }

    /** Id of the galaxy nearest to (ra, dec) within the radius, or -1. */
    private long nearest(double ra, double dec, double radiusArcsec) {
        double best = Double.POSITIVE_INFINITY;
        long id = -1;
        for (Galaxy g : cone(ra, dec, radiusArcsec / 3600.0, 50)) {
            double d = SkyMath.separationDeg(ra, dec, g.ra, g.dec);
            if (d < best) {
                best = d;
                id = g.id;
            }
        }
        return id;
    }

    /** Galaxies within {@code radiusDeg} of (ra, dec), in id order. */
    public List<Galaxy> cone(double ra, double dec, double radiusDeg, int limit) {
        return search(GalaxyQuery.cone(ra, dec, radiusDeg, limit));
    }

    /**
     * The galaxies a query selects. A cone narrows by the sky index ({@link Zones}: one (zone, ra) index range per
     * declination zone it crosses, split at the RA = 0/360 seam, whole zones around the poles), then applies the exact
     * haversine distance; morphology filters are an EXISTS on the classifications. All values are bound parameters.
     */
    @SuppressWarnings("unchecked")
    public List<Galaxy> search(GalaxyQuery q) {
        StringBuilder sql = new StringBuilder("SELECT * FROM galaxy g WHERE g.id > :after");
        Map<String, Object> params = new HashMap<>();
        params.put("after", q.afterId());
        if (q.hasCone()) {
            double radius = q.radiusDeg();
            List<Zones.Range> cover = Zones.cover(q.ra(), q.dec(), radius);
            if (cover.size() > Zones.MAX_SEPARATE_ZONES) {
                // A large cone: one range over its zones; the exact distance below does the rest.
                sql.append(" AND g.zone BETWEEN :zLo AND :zHi");
                params.put("zLo", cover.get(0).zone());
                params.put("zHi", cover.get(cover.size() - 1).zone());
            } else {
                sql.append(" AND (");
                for (int i = 0; i < cover.size(); i++) {
                    Zones.Range r = cover.get(i);
                    sql.append(i == 0 ? "" : " OR ").append("(g.zone = :z").append(i);
                    params.put("z" + i, r.zone());
                    if (!r.wholeZone()) {
                        sql.append(" AND g.ra BETWEEN :lo").append(i).append(" AND :hi").append(i);
                        params.put("lo" + i, r.raLo());
                        params.put("hi" + i, r.raHi());
                    }
                    sql.append(')');
                }
                sql.append(')');
            }
            sql.append(" AND 2 * degrees(asin(least(1, sqrt(power(sin(radians(g.dec - :dec) / 2), 2)"
                    + " + cos(radians(g.dec)) * cos(radians(:dec)) * power(sin(radians(g.ra - :ra) / 2), 2))))) <= :radius");
            params.put("ra", q.ra());
            params.put("dec", q.dec());
            params.put("radius", radius);
        }
        if (q.survey() != null) {
            sql.append(" AND g.survey = :survey");
            params.put("survey", q.survey());
        }
        if (q.magMin() != null) {
            sql.append(" AND g.magnitude >= :magMin");
            params.put("magMin", q.magMin());
        }
        if (q.magMax() != null) {
            sql.append(" AND g.magnitude <= :magMax");
            params.put("magMax", q.magMax());
        }
        if (q.filtersMorphology()) {
            sql.append(" AND EXISTS (SELECT 1 FROM morphology m WHERE m.galaxy_id = g.id");
            if (q.label() != null) {
                sql.append(" AND m.label = :label");
                params.put("label", q.label());
            }
            if (q.band() != null) {
                sql.append(" AND m.band = :band");
                params.put("band", q.band());
            }
            if (q.modelVersion() != null) {
                sql.append(" AND m.model_version = :modelVersion");
                params.put("modelVersion", q.modelVersion());
            }
            if (q.probabilityClass() != null) {
                // The column name comes from the fixed class list, never from the request text.
                String column = PROBABILITY_COLUMNS.get(q.probabilityClass());
                if (column == null) {
                    throw new IllegalArgumentException("unknown class " + q.probabilityClass());
                }
                sql.append(" AND m.").append(column).append(" >= :minProbability");
                params.put("minProbability", q.minProbability());
            }
            sql.append(')');
        }
        sql.append(" ORDER BY g.id LIMIT :limit");
        params.put("limit", q.limit());
        var query = em.createNativeQuery(sql.toString(), Galaxy.class);
        params.forEach(query::setParameter);
        return query.getResultList();
    }

    /** Class label to its probability column. */
    static final Map<String, String> PROBABILITY_COLUMNS = Map.of("spheroid", "p_spheroid", "disk", "p_disk",
            "irregular", "p_irregular", "point_source", "p_point_source", "unclassifiable", "p_unclassifiable");
}
