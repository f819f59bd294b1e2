package io.morpho.catalog.repository;

/**
 * What {@code GET /galaxies} can ask for. Every field is optional (null = no constraint) except the page: rows come
 * in the {@code sort} order after the row the cursor names (keyset pagination), at most {@code limit}. The morphology
 * filters hold when at least one classification of the galaxy satisfies all of them together.
 *
 * @param probabilityClass with {@code minProbability}: a class whose probability must reach it (e.g. disk)
 * @param after            the last row of the previous page, or null for the first page
 */
public record GalaxyQuery(Double ra, Double dec, Double radiusDeg, String label, String band, String probabilityClass,
                          Double minProbability, String survey, String modelVersion, Double magMin, Double magMax,
                          Sort sort, Cursor after, int limit) {

    /** Row orders: by id (oldest first, the default), newest first, brightest first, faintest first. */
    public enum Sort {
        ID("id"), ID_DESC("-id"), MAGNITUDE("magnitude"), MAGNITUDE_DESC("-magnitude");

        private final String name;

        Sort(String name) {
            this.name = name;
        }

        public String parameter() {
            return name;
        }

        public boolean byMagnitude() {
            return this == MAGNITUDE || this == MAGNITUDE_DESC;
        }

        public boolean descending() {
            return this == ID_DESC || this == MAGNITUDE_DESC;
        }

        public static Sort of(String parameter) {
            for (Sort s : values()) {
                if (s.name.equals(parameter)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("sort must be one of id, -id, magnitude, -magnitude, got '" + parameter + "'");
        }
    }

    /**
     * Where a page ends: the galaxy id and, for magnitude orders, its magnitude (galaxies without one sort as +inf).
     * As text: {@code 1234} or {@code 22.5_1234} ({@code inf_1234}).
     */
    public record Cursor(double magnitude, long id) {
        public String text(Sort sort) {
            return sort.byMagnitude() ? (Double.isInfinite(magnitude) ? "inf" : String.valueOf(magnitude)) + "_" + id
                    : String.valueOf(id);
        }

        public static Cursor parse(String text, Sort sort) {
            try {
                if (sort.byMagnitude()) {
                    String[] parts = text.split("_", 2);
                    double m = parts[0].equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(parts[0]);
                    if (parts.length != 2 || Double.isNaN(m)) {
                        throw new IllegalArgumentException();
                    }
                    return new Cursor(m, Long.parseLong(parts[1]));
                }
                long id = Long.parseLong(text);
                if (id < 0) {
                    throw new IllegalArgumentException();
                }
                return new Cursor(0, id);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("cursor must be the X-Next-Cursor value of a previous page with the "
                        + "same sort, got '" + text + "'");
            }
        }
    }

    public static GalaxyQuery cone(double ra, double dec, double radiusDeg, int limit) {
        return new GalaxyQuery(ra, dec, radiusDeg, null, null, null, null, null, null, null, null, Sort.ID, null, limit);
    }

    boolean hasCone() {
        return ra != null && dec != null && radiusDeg != null;
    }

    boolean filtersMorphology() {
        return label != null || band != null || probabilityClass != null || modelVersion != null;
    }
}
