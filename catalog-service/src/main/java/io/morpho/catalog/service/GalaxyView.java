package io.morpho.catalog.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.morpho.catalog.entity.Galaxy;
import io.morpho.catalog.entity.Morphology;

/**
 * What the API returns for a galaxy: its position, the latest classification of each band ({@code bands}), and the
 * earlier classifications of its bands, newest first ({@code history}: other model versions, re-ingested frames).
 */
public record GalaxyView(long id, String survey, String sourceId, String field, double ra, double dec, Double magnitude,
                         List<BandView> bands, List<BandView> history) {

    public record Probabilities(float spheroid, float disk, float irregular, float pointSource, float unclassifiable) {
    }

    public record ModelRef(String name, String version, String sha256, String executionProvider) {
    }

    public record BandView(String band, String label, Probabilities probabilities, float entropy, ModelRef model,
                           String eventId, String sourceId, String origin, Instant classifiedAt) {
    }

    /** @param rows the galaxy's classifications, in any order */
    static GalaxyView of(Galaxy g, List<Morphology> rows) {
        List<Morphology> newestFirst = rows.stream().sorted(Comparator.comparing((Morphology m) -> m.classifiedAt)
                .thenComparing(m -> m.id).reversed()).toList();
        Set<String> seen = new HashSet<>();
        List<BandView> latest = new ArrayList<>();
        List<BandView> history = new ArrayList<>();
        for (Morphology m : newestFirst) {
            (seen.add(m.band) ? latest : history).add(view(m));
        }
        latest.sort(Comparator.comparing(BandView::band));
        return new GalaxyView(g.id, g.survey, g.sourceId, g.field, g.ra, g.dec, g.magnitude, latest, history);
    }

    private static BandView view(Morphology m) {
        return new BandView(m.band, m.label,
                new Probabilities(m.pSpheroid, m.pDisk, m.pIrregular, m.pPointSource, m.pUnclassifiable),
                m.entropy, new ModelRef(m.modelName, m.modelVersion, m.modelSha256, m.executionProvider),
                m.eventId, m.sourceId, m.origin, m.classifiedAt);
    }
}
