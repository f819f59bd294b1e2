package io.morpho.imaging.sky;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The zone cover never misses a position inside the cone, and stays tight for small cones. */
class ZonesTest {
    private static boolean covered(List<Zones.Range> cover, double ra, double dec) {
        int zone = Zones.zoneOf(dec);
        return cover.stream().anyMatch(r -> r.zone() == zone && ra >= r.raLo() && ra <= r.raHi());
    }

    /** A random position within radius r of (ra0, dec0), possibly on its edge. */
    private static double[] inside(Random rng, double ra0, double dec0, double r) {
        double distance = Math.toRadians(r * Math.sqrt(rng.nextDouble()) * (rng.nextInt(10) == 0 ? 1 : 0.999999));
        double bearing = rng.nextDouble() * 2 * Math.PI;
        double d0 = Math.toRadians(dec0);
        double dec = Math.asin(Math.sin(d0) * Math.cos(distance) + Math.cos(d0) * Math.sin(distance) * Math.cos(bearing));
        double ra = Math.toRadians(ra0) + Math.atan2(Math.sin(bearing) * Math.sin(distance) * Math.cos(d0),
                Math.cos(distance) - Math.sin(d0) * Math.sin(dec));
        double raDeg = Math.toDegrees(ra) % 360;
        return new double[] {raDeg < 0 ? raDeg + 360 : raDeg, Math.toDegrees(dec)};
    }

    @Test
    void everyPositionInsideTheConeIsCovered() {
        Random rng = new Random(12);
        double[] radii = {1 / 3600.0, 10 / 3600.0, 1 / 60.0, 10 / 60.0, 1, 5, 30, 100};
        double[][] centres = {{0, 0}, {359.9999, 10}, {0.00001, -45}, {180, 89.999}, {12, -89.9999}, {45, 90}, {300, -90},
                {200, 60}, {100, -75.5}};
        int checked = 0;
        for (double[] c : centres) {
            for (double r : radii) {
                List<Zones.Range> cover = Zones.cover(c[0], c[1], r);
                for (int i = 0; i < 2000; i++) {
                    double[] p = inside(rng, c[0], c[1], r);
                    if (SkyMath.separationDeg(c[0], c[1], p[0], p[1]) <= r) {
                        assertThat(covered(cover, p[0], p[1])).as("(%.6f, %.6f) r=%s: (%.8f, %.8f)", c[0], c[1], r, p[0], p[1])
                                .isTrue();
                        checked++;
                    }
                }
            }
        }
        for (int i = 0; i < 3000; i++) { // random centres and radii anywhere on the sky
            double ra0 = rng.nextDouble() * 360;
            double dec0 = Math.toDegrees(Math.asin(2 * rng.nextDouble() - 1));
            double r = Math.pow(10, -3.5 + 5 * rng.nextDouble());
            List<Zones.Range> cover = Zones.cover(ra0, dec0, r);
            for (int k = 0; k < 20; k++) {
                double[] p = inside(rng, ra0, dec0, r);
                if (SkyMath.separationDeg(ra0, dec0, p[0], p[1]) <= r) {
                    assertThat(covered(cover, p[0], p[1])).as("(%.6f, %.6f) r=%s", ra0, dec0, r).isTrue();
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(100_000);
    }

    @Test
    void smallConesScanSmallAreas() {
        // 1 arcsec at the equator: one zone, an RA interval of 2 arcsec.
        List<Zones.Range> tiny = Zones.cover(150, 2.2083, 1 / 3600.0); // mid-zone (2.2 itself is a zone edge)
        assertThat(tiny).hasSize(1);
        assertThat(tiny.get(0).raHi() - tiny.get(0).raLo()).isLessThan(2.1 / 3600);
        // 10 arcmin at dec 60: 21 zones, each at most twice as wide in RA as the cone (1/cos 60).
        List<Zones.Range> mid = Zones.cover(150, 60, 10 / 60.0);
        assertThat(mid).hasSizeBetween(20, 22);
        assertThat(mid).allSatisfy(r -> assertThat(r.raHi() - r.raLo()).isLessThan(2 * 10 / 60.0 * 2.01));
        // Across the seam: two intervals per zone.
        assertThat(Zones.cover(0.0001, 0.5 / 60, 0.2 / 60)).hasSize(2); // one zone, on both sides of RA 0
        // Around a pole: whole zones.
        assertThat(Zones.cover(10, 89.99, 1 / 60.0)).allSatisfy(r -> assertThat(r.wholeZone()).isTrue());
    }
}
