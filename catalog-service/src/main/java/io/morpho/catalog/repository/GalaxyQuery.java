package io.morpho.catalog.repository;

/**
 * What {@code GET /galaxies} can ask for. Every field is optional (null = no constraint) except the page: rows come
 * in ascending galaxy id after {@code afterId} (keyset pagination), at most {@code limit}. The morphology filters
 * hold when at least one classification of the galaxy satisfies all of them together.
 *
 * @param probabilityClass with {@code minProbability}: a class whose probability must reach it (e.g. disk)
 */
public record GalaxyQuery(Double ra, Double dec, Double radiusDeg, String label, String band, String probabilityClass,
                          Double minProbability, String survey, String modelVersion, Double magMin, Double magMax,
                          long afterId, int limit) {

    public static GalaxyQuery cone(double ra, double dec, double radiusDeg, int limit) {
        return new GalaxyQuery(ra, dec, radiusDeg, null, null, null, null, null, null, null, null, 0, limit);
    }

    boolean hasCone() {
        return ra != null && dec != null && radiusDeg != null;
    }

    boolean filtersMorphology() {
        return label != null || band != null || probabilityClass != null || modelVersion != null;
    }
}
