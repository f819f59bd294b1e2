package io.morpho.catalog.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.morpho.catalog.entity.Galaxy;
import io.morpho.catalog.entity.Morphology;
import io.morpho.catalog.repository.CatalogRepository;
import io.morpho.catalog.repository.GalaxyQuery;
import io.morpho.events.MorphologyClass;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import morpho.events.v1.ClassificationEvent;

@ApplicationScoped
public class CatalogService {
    @Inject
    CatalogRepository repository;

    /** Detections closer than this (arcsec) are one galaxy (env MORPHO_CATALOG_MATCH_RADIUS_ARCSEC). */
    @ConfigProperty(name = "morpho.catalog.match-radius-arcsec", defaultValue = "0.5")
    double matchRadiusArcsec;

    /** Stores a batch in one transaction; returns how many events were new (the rest were already stored). */
    @Transactional
    public int storeAll(List<ClassificationEvent> events) {
        return repository.storeAll(events, matchRadiusArcsec);
    }

    /** Returns what is wrong with an event, or null when it can be stored. */
    public static String validate(ClassificationEvent e) {
        if (!(e.getRa() >= 0 && e.getRa() < 360) || !(e.getDec() >= -90 && e.getDec() <= 90)) {
            return "position out of range: ra=" + e.getRa() + " dec=" + e.getDec();
        }
        float[] p = {e.getPSpheroid(), e.getPDisk(), e.getPIrregular(), e.getPPointSource(), e.getPUnclassifiable()};
        double sum = 0;
        for (float v : p) {
            if (!(v >= 0 && v <= 1)) {
                return "probability out of [0, 1]: " + v;
            }
            sum += v;
        }
        if (Math.abs(sum - 1) > 1e-3) {
            return "probabilities sum to " + sum + ", not 1";
        }
        if (MorphologyClass.ORDER.stream().noneMatch(c -> c.label().equals(e.getLabel()))) {
            return "unknown label '" + e.getLabel() + "'";
        }
        return null;
    }

    @Transactional
    public Optional<GalaxyView> galaxy(long id) {
        Galaxy g = Galaxy.findById(id);
        return Optional.ofNullable(g).map(found -> views(List.of(found)).get(0));
    }

    @Transactional
    public List<GalaxyView> cone(double ra, double dec, double radiusDeg, int limit) {
        return views(repository.cone(ra, dec, radiusDeg, limit));
    }

    @Transactional
    public Optional<byte[]> thumbnail(long galaxyId, String band) {
        return repository.thumbnail(galaxyId, band);
    }

    /** Counts for {@code GET /stats}. */
    public record Stats(long galaxies, long classifications, Map<String, Long> byLabel, Map<String, Long> byBand,
                        Map<String, Long> byModelVersion) {
    }

    @Transactional
    public Stats stats() {
        return new Stats(Galaxy.count(), Morphology.count(), repository.countBy("label"), repository.countBy("band"),
                repository.countBy("model_version"));
    }

    @Transactional
    public List<GalaxyView> search(GalaxyQuery query) {
        return views(repository.search(query));
    }

    private static List<GalaxyView> views(List<Galaxy> galaxies) {
        Map<Long, List<Morphology>> byGalaxy = Morphology.forGalaxies(galaxies.stream().map(g -> g.id).toList())
                .stream().collect(Collectors.groupingBy(m -> m.galaxy.id, LinkedHashMap::new, Collectors.toList()));
        return galaxies.stream().map(g -> GalaxyView.of(g, byGalaxy.getOrDefault(g.id, List.of()))).toList();
    }
}
