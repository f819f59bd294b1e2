package io.morpho.imaging.sky;

import java.util.ArrayList;
import java.util.List;

/**
 * The sky index: declination zones (Gray, Szalay et al. 2007, "the zones algorithm"). The sphere is cut into
 * horizontal stripes of one arcminute; a galaxy's zone is {@code floor((dec + 90) * 60)}, stored by the
 * database as a generated column and indexed together with right ascension, so a cone search is a handful of B-tree
 * range scans (one per zone, one RA interval each, two where the interval crosses RA = 0/360) followed by the exact
 * distance on the few rows they return. No sky-indexing library is served for Java (cds-healpix-java is not), so
 * this is our own code; tested against brute force at the poles, across the RA seam and for tiny to huge radii.
 */
public final class Zones {
    /** Zones per degree of declination: one-arcminute zones. V3__zones.sql computes the same. */
    public static final int PER_DEGREE = 60;
    /** Beyond this many zones a cone is answered with one range over the zones (a large part of the sky anyway). */
    public static final int MAX_SEPARATE_ZONES = 64;
    private static final double EPS = 1e-9;

    private Zones() {
    }

    /**
     * The SQL condition (starting with " AND ") selecting the rows of table alias {@code t} within {@code radiusDeg}
     * of (ra, dec): the zone ranges of {@link #cover}, then the exact haversine distance. Every value is a named
     * parameter added to {@code params}.
     */
    public static String conePredicate(String t, double ra, double dec, double radiusDeg, java.util.Map<String, Object> params) {
        StringBuilder sql = new StringBuilder();
        List<Range> cover = cover(ra, dec, radiusDeg);
        if (cover.size() > MAX_SEPARATE_ZONES) {
            // A large cone: one range over its zones; the exact distance below does the rest.
            sql.append(" AND ").append(t).append(".zone BETWEEN :zLo AND :zHi");
            params.put("zLo", cover.get(0).zone());
            params.put("zHi", cover.get(cover.size() - 1).zone());
        } else {
            sql.append(" AND (");
            for (int i = 0; i < cover.size(); i++) {
                Range r = cover.get(i);
                sql.append(i == 0 ? "" : " OR ").append('(').append(t).append(".zone = :z").append(i);
                params.put("z" + i, r.zone());
                if (!r.wholeZone()) {
                    sql.append(" AND ").append(t).append(".ra BETWEEN :lo").append(i).append(" AND :hi").append(i);
                    params.put("lo" + i, r.raLo());
                    params.put("hi" + i, r.raHi());
                }
                sql.append(')');
            }
            sql.append(')');
        }
        sql.append(" AND 2 * degrees(asin(least(1, sqrt(power(sin(radians(").append(t).append(".dec - :dec) / 2), 2)"
                + " + cos(radians(").append(t).append(".dec)) * cos(radians(:dec)) * power(sin(radians(").append(t)
                .append(".ra - :ra) / 2), 2))))) <= :radius");
        params.put("ra", ra);
        params.put("dec", dec);
        params.put("radius", radiusDeg);
        return sql.toString();
    }

    /** The zone of a declination, computed exactly as the database does (same IEEE arithmetic). */
    public static int zoneOf(double decDeg) {
        return (int) Math.floor((decDeg + 90) * PER_DEGREE);
    }

    /**
     * The part of one zone a cone can touch: right ascension in [raLo, raHi] (degrees, within [0, 360)); a whole zone
     * has raLo = 0 and raHi = 360.
     */
    public record Range(int zone, double raLo, double raHi) {
        public boolean wholeZone() {
            return raLo <= 0 && raHi >= 360;
        }
    }

    /**
     * Zone ranges that together contain every position within {@code radiusDeg} of (ra, dec): never misses a row
     * (the exact distance is checked afterwards); tight enough that a small cone scans only its neighbourhood.
     */
    public static List<Range> cover(double ra, double dec, double radiusDeg) {
        double r = Math.max(0, radiusDeg);
        double decLo = Math.max(-90, dec - r);
        double decHi = Math.min(90, dec + r);
        int zLo = zoneOf(decLo);
        int zHi = zoneOf(decHi);
        List<Range> ranges = new ArrayList<>();
        for (int z = zLo; z <= zHi; z++) {
            double bottom = Math.max(decLo, (double) z / PER_DEGREE - 90);
            double top = Math.min(decHi, (double) (z + 1) / PER_DEGREE - 90);
            double halfWidth = halfWidth(dec, r, bottom, top);
            if (halfWidth >= 180) {
                ranges.add(new Range(z, 0, 360));
            } else {
                double lo = ra - halfWidth;
                double hi = ra + halfWidth;
                if (lo < 0) {
                    ranges.add(new Range(z, lo + 360, 360));
                    ranges.add(new Range(z, 0, hi));
                } else if (hi >= 360) {
                    ranges.add(new Range(z, lo, 360));
                    ranges.add(new Range(z, 0, hi - 360));
                } else {
                    ranges.add(new Range(z, lo, hi));
                }
            }
        }
        return ranges;
    }

    /**
     * Half the RA extent of the cone within declinations [bottom, top]: the RA offset at which the small circle of
     * radius r around (·, dec0) reaches its widest in that band. The widest point is at declination
     * asin(sin dec0 / cos r) (where the circle's tangent is along a meridian); within the band it is there when the
     * band contains it, else at the band edge nearest to it. 180 when the cone contains a pole or the band reaches
     * one within r.
     */
    static double halfWidth(double dec0, double r, double bottom, double top) {
        if (r <= 0) {
            return 0;
        }
        if (Math.abs(dec0) + r >= 90 - EPS || r >= 90) {
            return 180; // contains (or touches) a pole: every RA
        }
        double widestDec = Math.toDegrees(Math.asin(Math.sin(Math.toRadians(dec0)) / Math.cos(Math.toRadians(r))));
        double d = Math.min(top, Math.max(bottom, widestDec));
        double cosD = Math.cos(Math.toRadians(d));
        if (cosD < EPS) {
            return 180;
        }
        // cos r = sin dec0 sin d + cos dec0 cos d cos dRA
        double cosDra = (Math.cos(Math.toRadians(r)) - Math.sin(Math.toRadians(dec0)) * Math.sin(Math.toRadians(d)))
                / (Math.cos(Math.toRadians(dec0)) * cosD);
        if (cosDra <= -1) {
            return 180;
        }
        double dra = Math.toDegrees(Math.acos(Math.min(1, cosDra)));
        return Math.min(180, dra + 1e-7); // a hair wider: never lose a row to rounding
    }
}
