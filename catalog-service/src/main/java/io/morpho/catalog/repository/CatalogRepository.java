package io.morpho.catalog.repository;

import java.sql.Timestamp;
import java.util.List;

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

    /**
     * Galaxies within {@code radiusDeg} of (ra, dec): an index range on declination and right ascension
     * (split at the RA = 0/360 seam, unbounded near the poles), then the exact haversine distance.
     */
    @SuppressWarnings("unchecked")
    public List<Galaxy> cone(double ra, double dec, double radiusDeg, int limit) {
        double decLo = Math.max(-90, dec - radiusDeg);
        double decHi = Math.min(90, dec + radiusDeg);
        double maxAbsDec = Math.max(Math.abs(decLo), Math.abs(decHi));
        String raClause;
        double raLo = 0;
        double raHi = 360;
        if (maxAbsDec + 1e-9 >= 90 || radiusDeg >= 90) {
            raClause = "TRUE";
        } else {
            double halfWidth = Math.toDegrees(Math.asin(Math.min(1, Math.sin(Math.toRadians(radiusDeg))
                    / Math.cos(Math.toRadians(maxAbsDec)))));
            raLo = ra - halfWidth;
            raHi = ra + halfWidth;
            if (raLo < 0) {
                raClause = "(ra >= ?5 + 360 OR ra <= ?6)";
            } else if (raHi >= 360) {
                raClause = "(ra >= ?5 OR ra <= ?6 - 360)";
            } else {
                raClause = "(ra BETWEEN ?5 AND ?6)";
            }
        }
        String sql = "SELECT * FROM galaxy WHERE dec BETWEEN ?3 AND ?4 AND " + raClause + """
                 AND 2 * degrees(asin(least(1, sqrt(
                       power(sin(radians(dec - ?2) / 2), 2)
                     + cos(radians(dec)) * cos(radians(?2)) * power(sin(radians(ra - ?1) / 2), 2))))) <= ?7
                ORDER BY id LIMIT ?8""";
        var query = em.createNativeQuery(sql, Galaxy.class)
                .setParameter(1, ra).setParameter(2, dec).setParameter(3, decLo).setParameter(4, decHi)
                .setParameter(7, radiusDeg).setParameter(8, limit);
        if (!raClause.equals("TRUE")) {
            query.setParameter(5, raLo).setParameter(6, raHi);
        }
        return query.getResultList();
    }
}
