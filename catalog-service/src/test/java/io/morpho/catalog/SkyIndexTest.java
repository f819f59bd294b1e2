package io.morpho.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.morpho.catalog.repository.CatalogRepository;
import io.morpho.catalog.repository.GalaxyQuery;
import io.morpho.localstack.KafkaTestResource;
import io.morpho.localstack.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * Cone searches through the sky index return exactly what a brute-force scan returns: at the poles, across the
 * RA = 0/360 seam, from 1 arcsecond to tens of degrees, and the index is what the plan uses.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
class SkyIndexTest {
    @Inject
    EntityManager em;

    @Inject
    CatalogRepository repository;

    record Point(long id, double ra, double dec) {
    }

    /** 20,000 galaxies: crowded around both poles, along the seam, in one dense field, and spread over the sky. */
    private List<Point> populate() {
        Random rng = new Random(3);
        List<double[]> positions = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            double ra;
            double dec;
            switch (i % 5) {
                case 0 -> { // near a pole
                    ra = rng.nextDouble() * 360;
                    dec = (rng.nextBoolean() ? 1 : -1) * (90 - Math.pow(rng.nextDouble(), 2) * 2);
                }
                case 1 -> { // along the RA seam
                    ra = (360 + rng.nextGaussian() * 0.05) % 360;
                    dec = rng.nextDouble() * 20 - 10;
                }
                case 2 -> { // a dense field, arcsecond separations
                    ra = 150.1 + rng.nextGaussian() * 0.01;
                    dec = 2.2 + rng.nextGaussian() * 0.01;
                }
                default -> { // uniform on the sphere
                    ra = rng.nextDouble() * 360;
                    dec = Math.toDegrees(Math.asin(2 * rng.nextDouble() - 1));
                }
            }
            positions.add(new double[] {ra, Math.max(-90, Math.min(90, dec))});
        }
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < positions.size(); i += 1000) {
                StringBuilder sql = new StringBuilder("INSERT INTO galaxy (survey, source_id, field, ra, dec, first_seen) VALUES ");
                for (int k = i; k < Math.min(positions.size(), i + 1000); k++) {
                    sql.append(k == i ? "" : ",").append(String.format(Locale.ROOT, "('zones','z%d','f',%.12f,%.12f,now())",
                            k, positions.get(k)[0], positions.get(k)[1]));
                }
                em.createNativeQuery(sql.toString()).executeUpdate();
            }
        });
        List<Point> points = new ArrayList<>();
        QuarkusTransaction.requiringNew().run(() -> {
            for (Object[] row : (List<Object[]>) em.createNativeQuery("SELECT id, ra, dec FROM galaxy").getResultList()) {
                points.add(new Point(((Number) row[0]).longValue(), (Double) row[1], (Double) row[2]));
            }
        });
        return points;
    }

    private static double separation(double ra1, double dec1, double ra2, double dec2) {
        double d1 = Math.toRadians(dec1);
        double d2 = Math.toRadians(dec2);
        double h = Math.pow(Math.sin((d2 - d1) / 2), 2)
                + Math.cos(d1) * Math.cos(d2) * Math.pow(Math.sin(Math.toRadians(ra2 - ra1) / 2), 2);
        return Math.toDegrees(2 * Math.asin(Math.min(1, Math.sqrt(h))));
    }

    @Test
    void conesMatchBruteForceEverywhere() {
        List<Point> points = populate();
        java.util.Map<Long, Point> byId = new java.util.HashMap<>();
        points.forEach(p -> byId.put(p.id(), p));
        Random rng = new Random(4);
        double[] radii = {1 / 3600.0, 10 / 3600.0, 1 / 60.0, 10 / 60.0, 1, 10, 45};
        List<double[]> centres = new ArrayList<>(List.of(new double[] {0, 90}, new double[] {123, 89.9}, new double[] {0, -90},
                new double[] {200, -89.95}, new double[] {0, 0}, new double[] {359.99, 5}, new double[] {0.01, -5},
                new double[] {150.1, 2.2}, new double[] {150.1003, 2.2001}));
        for (int i = 0; i < 20; i++) { // centres on actual galaxies: the cones are never empty
            Point p = points.get(rng.nextInt(points.size()));
            centres.add(new double[] {p.ra(), p.dec()});
        }
        int nonEmpty = 0;
        for (double[] c : centres) {
            for (double r : radii) {
                Set<Long> expected = new HashSet<>();
                for (Point p : points) {
                    // Points within a rounding hair of the edge may go either way; leave them out of the comparison.
                    double d = separation(c[0], c[1], p.ra(), p.dec());
                    if (d <= r * (1 - 1e-9)) {
                        expected.add(p.id());
                    }
                }
                Set<Long> found = new HashSet<>();
                QuarkusTransaction.requiringNew().run(() -> repository.search(GalaxyQuery.cone(c[0], c[1], r, 1_000_000))
                        .forEach(g -> found.add(g.id)));
                found.removeIf(id -> Math.abs(separation(c[0], c[1], byId.get(id).ra(), byId.get(id).dec()) - r) <= r * 1e-9);
                assertThat(found).as("cone (%s, %s) radius %s deg", c[0], c[1], r).isEqualTo(expected);
                nonEmpty += expected.isEmpty() ? 0 : 1;
            }
        }
        assertThat(nonEmpty).isGreaterThan(150);
    }

    @Test
    void smallConesUseTheZoneIndex() {
        List<String> plan = new ArrayList<>();
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("SET LOCAL enable_seqscan = off").executeUpdate(); // tiny tables would rather scan
            em.createNativeQuery("ANALYZE galaxy").executeUpdate();
            for (Object row : em.createNativeQuery("EXPLAIN SELECT * FROM galaxy g WHERE (g.zone = 5532 AND g.ra BETWEEN "
                    + "150.0 AND 150.2)").getResultList()) {
                plan.add(String.valueOf(row));
            }
        });
        assertThat(String.join("\n", plan)).contains("galaxy_zone_ra");
    }
}
