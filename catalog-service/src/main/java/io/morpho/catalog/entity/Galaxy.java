package io.morpho.catalog.entity;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A physical object in the catalog (read model; rows are written by {@code CatalogRepository}). */
@Entity
@Table(name = "galaxy")
public class Galaxy extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String survey;

    @Column(name = "source_id")
    public String sourceId;

    public String field;

    public double ra;

    public double dec;

    public Double magnitude;

    @Column(name = "first_seen")
    public Instant firstSeen;
}
