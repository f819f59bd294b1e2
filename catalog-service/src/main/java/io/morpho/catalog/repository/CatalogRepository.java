package io.morpho.catalog.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.morpho.catalog.entity.Galaxy;
import io.morpho.imaging.sky.SkyMath;
import io.morpho.imaging.sky.Zones;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import morpho.events.v1.ClassificationEvent;

/**
 * The catalog's only write path, and its queries. Writes are idempotent: a morphology row is created once per event
 * id and a galaxy once per position (cross-match), so a replayed or duplicated event changes nothing.
 */
@ApplicationScoped
public class CatalogRepository {
    /** Advisory lock key for galaxy creation ("morpho" in ASCII). */
    private static final long GALAXY_CREATION_LOCK = 0x6d6f7270686fL;

    @Inject
    EntityManager em;

    /**
     * Stores a batch of classifications, each on the galaxy nearest to its position within {@code matchRadiusArcsec}
     * (creating galaxies where there is none, including for detections of one new object within the batch), in the
     * caller's transaction. Idempotent: events whose id is already stored, or repeated in the batch, change nothing
     * (not even a galaxy). Written for throughput: one advisory lock, one query for the known event ids, one query
     * cross-matching the whole batch through the sky index, and batched inserts (multi-row with the driver's
     * {@code reWriteBatchedInserts}).
     *
     * @return how many events were new and stored
     */
    public int storeAll(List<ClassificationEvent> events, double matchRadiusArcsec) {
        return em.unwrap(org.hibernate.Session.class).doReturningWork(c -> new BatchStore(c, matchRadiusArcsec).store(events));
    }

    /** One batch's write, on the transaction's JDBC connection. */
    private final class BatchStore {
        private final Connection c;
        private final double radiusDeg;

        BatchStore(Connection c, double matchRadiusArcsec) {
            this.c = c;
            this.radiusDeg = matchRadiusArcsec / 3600.0;
        }

        int store(List<ClassificationEvent> batch) throws SQLException {
            // Batches are written one at a time (the lock is held until commit): two detections of one new object in
            // concurrent batches cannot both create it, and no other writer can insert an event between the check
            // for known event ids below and the inserts.
            try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                s.setLong(1, GALAXY_CREATION_LOCK);
                s.executeQuery().close();
            }
            Map<String, ClassificationEvent> unique = new LinkedHashMap<>();
            batch.forEach(e -> unique.putIfAbsent(e.getEventId(), e));
            try (PreparedStatement s = c.prepareStatement("SELECT event_id FROM morphology WHERE event_id = ANY (?)")) {
                s.setArray(1, c.createArrayOf("text", unique.keySet().toArray()));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        unique.remove(rs.getString(1));
                    }
                }
            }
            List<ClassificationEvent> fresh = new ArrayList<>(unique.values());
            if (fresh.isEmpty()) {
                return 0;
            }
            long[] galaxyIds = crossMatch(fresh);
            // Unmatched events: matched against the galaxies this batch creates, else a new galaxy each.
            List<Integer> creators = new ArrayList<>();
            for (int i = 0; i < fresh.size(); i++) {
                if (galaxyIds[i] > 0) {
                    continue;
                }
                ClassificationEvent e = fresh.get(i);
                int best = -1;
                double bestDistance = Double.POSITIVE_INFINITY;
                for (int k : creators) {
                    double d = SkyMath.separationDeg(e.getRa(), e.getDec(), fresh.get(k).getRa(), fresh.get(k).getDec());
                    if (d <= radiusDeg && d < bestDistance) {
                        bestDistance = d;
                        best = k;
                    }
                }
                if (best >= 0) {
                    galaxyIds[i] = -1 - best; // resolved once the creator's id is known
                } else {
                    creators.add(i);
                }
            }
            insertGalaxies(fresh, creators, galaxyIds);
            for (int i = 0; i < galaxyIds.length; i++) {
                if (galaxyIds[i] < 0) {
                    galaxyIds[i] = galaxyIds[(int) (-1 - galaxyIds[i])];
                }
            }
            return insertMorphologies(fresh, galaxyIds);
        }

        /**
         * The nearest existing galaxy within the radius for each event (0 when none), in one query: each event's
         * zone cover becomes rows of (event, zone, ra range) joined to the galaxy table's (zone, ra) index.
         */
        private long[] crossMatch(List<ClassificationEvent> fresh) throws SQLException {
            List<Integer> index = new ArrayList<>();
            List<Integer> zones = new ArrayList<>();
            List<Double> los = new ArrayList<>();
            List<Double> his = new ArrayList<>();
            for (int i = 0; i < fresh.size(); i++) {
                for (Zones.Range r : Zones.cover(fresh.get(i).getRa(), fresh.get(i).getDec(), radiusDeg)) {
                    index.add(i);
                    zones.add(r.zone());
                    los.add(r.raLo());
                    his.add(r.raHi());
                }
            }
            long[] ids = new long[fresh.size()];
            double[] best = new double[fresh.size()];
            Arrays.fill(best, Double.POSITIVE_INFINITY);
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT q.i, g.id, g.ra, g.dec
                    FROM unnest(?::int[], ?::int[], ?::float8[], ?::float8[]) AS q(i, zone, lo, hi)
                    JOIN galaxy g ON g.zone = q.zone AND g.ra BETWEEN q.lo AND q.hi""")) {
                s.setArray(1, c.createArrayOf("int4", index.toArray()));
                s.setArray(2, c.createArrayOf("int4", zones.toArray()));
                s.setArray(3, c.createArrayOf("float8", los.toArray()));
                s.setArray(4, c.createArrayOf("float8", his.toArray()));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        int i = rs.getInt(1);
                        ClassificationEvent e = fresh.get(i);
                        double d = SkyMath.separationDeg(e.getRa(), e.getDec(), rs.getDouble(3), rs.getDouble(4));
                        long id = rs.getLong(2);
                        if (d <= radiusDeg && (d < best[i] || d == best[i] && id < ids[i])) {
                            best[i] = d;
                            ids[i] = id;
                        }
                    }
                }
            }
            return ids;
        }

        private void insertGalaxies(List<ClassificationEvent> fresh, List<Integer> creators, long[] galaxyIds)
                throws SQLException {
            if (creators.isEmpty()) {
                return;
            }
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT nextval('galaxy_id_seq') FROM generate_series(1, ?)")) {
                s.setInt(1, creators.size());
                try (ResultSet rs = s.executeQuery()) {
                    for (int k : creators) {
                        rs.next();
                        galaxyIds[k] = rs.getLong(1);
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO galaxy (id, survey, source_id, field, ra, dec, magnitude, first_seen)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
                for (int k : creators) {
                    ClassificationEvent e = fresh.get(k);
                    s.setLong(1, galaxyIds[k]);
                    s.setString(2, e.getSurvey());
                    s.setString(3, e.getSourceId());
                    s.setString(4, e.getField());
                    s.setDouble(5, e.getRa());
                    s.setDouble(6, e.getDec());
                    s.setObject(7, e.getMagnitude(), Types.DOUBLE);
                    s.setTimestamp(8, Timestamp.from(e.getClassifiedAt()));
                    s.addBatch();
                }
                s.executeBatch();
            }
        }

        private int insertMorphologies(List<ClassificationEvent> fresh, long[] galaxyIds) throws SQLException {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO morphology (event_id, galaxy_id, band, p_spheroid, p_disk, p_irregular, p_point_source,
                        p_unclassifiable, label, entropy, model_name, model_version, model_sha256, execution_provider,
                        origin, thumbnail_png, classified_at, source_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (event_id) DO NOTHING""")) {
                for (int i = 0; i < fresh.size(); i++) {
                    ClassificationEvent e = fresh.get(i);
                    byte[] thumbnail = null;
                    if (e.getThumbnailPng() != null) {
                        thumbnail = new byte[e.getThumbnailPng().remaining()];
                        e.getThumbnailPng().duplicate().get(thumbnail);
                    }
                    s.setString(1, e.getEventId());
                    s.setLong(2, galaxyIds[i]);
                    s.setString(3, e.getBand());
                    s.setFloat(4, e.getPSpheroid());
                    s.setFloat(5, e.getPDisk());
                    s.setFloat(6, e.getPIrregular());
                    s.setFloat(7, e.getPPointSource());
                    s.setFloat(8, e.getPUnclassifiable());
                    s.setString(9, e.getLabel());
                    s.setFloat(10, e.getEntropy());
                    s.setString(11, e.getModelName());
                    s.setString(12, e.getModelVersion());
                    s.setString(13, e.getModelSha256());
                    s.setString(14, e.getExecutionProvider());
                    s.setString(15, e.getOrigin());
                    s.setBytes(16, thumbnail);
                    s.setTimestamp(17, Timestamp.from(e.getClassifiedAt()));
                    s.setString(18, e.getSourceId());
                    s.addBatch();
                }
                s.executeBatch(); // the driver may rewrite the batch into multi-row inserts (reWriteBatchedInserts)
                return fresh.size(); // every one is new: checked under the lock above
            }
        }
    }

    /** The newest thumbnail of a galaxy in a band, if its classification carried one. */
    @SuppressWarnings("unchecked")
    public Optional<byte[]> thumbnail(long galaxyId, String band) {
        List<byte[]> found = em.createNativeQuery("""
                SELECT thumbnail_png FROM morphology WHERE galaxy_id = ?1 AND band = ?2 AND thumbnail_png IS NOT NULL
                ORDER BY classified_at DESC, id DESC LIMIT 1""")
                .setParameter(1, galaxyId).setParameter(2, band).getResultList();
        return found.stream().findFirst();
    }

    /** Counts of classifications grouped by one morphology column (label, band, model_version). */
    @SuppressWarnings("unchecked")
    public Map<String, Long> countBy(String column) {
        if (!List.of("label", "band", "model_version").contains(column)) {
            throw new IllegalArgumentException("cannot group by " + column);
        }
        Map<String, Long> counts = new TreeMap<>();
        for (Object[] row : (List<Object[]>) em.createNativeQuery(
                "SELECT " + column + ", count(*) FROM morphology GROUP BY " + column).getResultList()) {
            counts.put((String) row[0], ((Number) row[1]).longValue());
        }
        return counts;
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
        StringBuilder sql = new StringBuilder("SELECT * FROM galaxy g WHERE true");
        Map<String, Object> params = new HashMap<>();
        GalaxyQuery.Sort sort = q.sort();
        String key = "coalesce(g.magnitude, 'Infinity'::float8)";
        if (q.after() != null) {
            String op = sort.descending() ? "<" : ">";
            if (sort.byMagnitude()) {
                sql.append(" AND (").append(key).append(", g.id) ").append(op).append(" (:afterMagnitude, :afterId)");
                params.put("afterMagnitude", q.after().magnitude());
            } else {
                sql.append(" AND g.id ").append(op).append(" :afterId");
            }
            params.put("afterId", q.after().id());
        }
        if (q.hasCone()) {
            sql.append(Zones.conePredicate("g", q.ra(), q.dec(), q.radiusDeg(), params));
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
        String direction = sort.descending() ? " DESC" : "";
        sql.append(" ORDER BY ").append(sort.byMagnitude() ? key + direction + ", " : "").append("g.id").append(direction)
                .append(" LIMIT :limit");
        params.put("limit", q.limit());
        var query = em.createNativeQuery(sql.toString(), Galaxy.class);
        params.forEach(query::setParameter);
        return query.getResultList();
    }

    /** Class label to its probability column. */
    static final Map<String, String> PROBABILITY_COLUMNS = Map.of("spheroid", "p_spheroid", "disk", "p_disk",
            "irregular", "p_irregular", "point_source", "p_point_source", "unclassifiable", "p_unclassifiable");
}
