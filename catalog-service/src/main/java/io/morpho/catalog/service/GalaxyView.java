package io.morpho.catalog.service;

import java.time.Instant;
import java.util.List;

import io.morpho.catalog.entity.Galaxy;
import io.morpho.catalog.entity.Morphology;

/** What the API returns for a galaxy: its position and every band's classification. */
public record GalaxyView(long id, String survey, String sourceId, String field, double ra, double dec, Double magnitude,
                         List<BandView> bands) {

    public record Probabilities(float spheroid, float disk, float irregular, float pointSource, float unclassifiable) {
    }

    public record ModelRef(String name, String version, String sha256, String executionProvider) {
    }

    public record BandView(String band, String label, Probabilities probabilities, float entropy, ModelRef model,
                           String eventId, String sourceId, String origin, Instant classifiedAt) {
    }

    static GalaxyView of(Galaxy g, List<Morphology> rows) {
        return new GalaxyView(g.id, g.survey, g.sourceId, g.field, g.ra, g.dec, g.magnitude, rows.stream()
                .map(m -> new BandView(m.band, m.label,
                        new Probabilities(m.pSpheroid, m.pDisk, m.pIrregular, m.pPointSource, m.pUnclassifiable),
                        m.entropy, new ModelRef(m.modelName, m.modelVersion, m.modelSha256, m.executionProvider),
                        m.eventId, m.sourceId, m.origin, m.classifiedAt))
                .toList());
    }
}
