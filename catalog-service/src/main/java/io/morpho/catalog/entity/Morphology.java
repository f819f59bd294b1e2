package io.morpho.catalog.entity;

import java.time.Instant;
import java.util.List;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** One classification of one galaxy in one band by one model version. */
@Entity
@Table(name = "morphology")
public class Morphology extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "event_id")
    public String eventId;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "galaxy_id")
    public Galaxy galaxy;

    public String band;

    /** The id the ingest stage gave this detection (galaxies are matched by position, so ids may differ). */
    @Column(name = "source_id")
    public String sourceId;

    @Column(name = "p_spheroid")
    public float pSpheroid;

    @Column(name = "p_disk")
    public float pDisk;

    @Column(name = "p_irregular")
    public float pIrregular;

    @Column(name = "p_point_source")
    public float pPointSource;

    @Column(name = "p_unclassifiable")
    public float pUnclassifiable;

    public String label;

    public float entropy;

    @Column(name = "model_name")
    public String modelName;

    @Column(name = "model_version")
    public String modelVersion;

    @Column(name = "model_sha256")
    public String modelSha256;

    @Column(name = "execution_provider")
    public String executionProvider;

    public String origin;

    @Column(name = "classified_at")
    public Instant classifiedAt;

    public static List<Morphology> forGalaxies(List<Long> galaxyIds) {
        if (galaxyIds.isEmpty()) {
            return List.of();
        }
        return list("galaxy.id in ?1 order by galaxy.id, band, classifiedAt", galaxyIds);
    }
}
