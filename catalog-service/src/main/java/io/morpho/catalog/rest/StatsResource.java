package io.morpho.catalog.rest;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.morpho.catalog.service.CatalogService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/stats")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {
    @Inject
    CatalogService catalog;

    @GET
    @Operation(summary = "Galaxies and classifications, counted by label, band and model version")
    public CatalogService.Stats stats() {
        return catalog.stats();
    }
}
