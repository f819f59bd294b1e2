package io.morpho.catalog.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import io.morpho.catalog.service.CatalogService;
import io.morpho.catalog.service.GalaxyView;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/galaxies")
@Produces(MediaType.APPLICATION_JSON)
public class GalaxyResource {
    static final int MAX_LIMIT = 1000;

    @Inject
    CatalogService catalog;

    @GET
    @Path("/{id}")
    @Operation(summary = "A galaxy with the classification of every band")
    public GalaxyView byId(@PathParam("id") long id) {
        return catalog.galaxy(id).orElseThrow(() -> new NotFoundException("no galaxy with id " + id));
    }

    @GET
    @Operation(summary = "Cone search (ra, dec, radius in degrees, ICRS), or the most recent galaxies without a position")
    public List<GalaxyView> search(@Parameter(description = "right ascension, degrees [0, 360)") @QueryParam("ra") Double ra,
                                   @Parameter(description = "declination, degrees [-90, 90]") @QueryParam("dec") Double dec,
                                   @Parameter(description = "search radius, degrees (0, 10]") @QueryParam("radius") Double radius,
                                   @Parameter(description = "maximum rows, 1..1000 (default 100)") @QueryParam("limit") Integer limit) {
        int rows = limit == null ? 100 : limit;
        if (rows < 1 || rows > MAX_LIMIT) {
            throw new BadRequestException("limit must be between 1 and " + MAX_LIMIT + ", got " + rows);
        }
        if (ra == null && dec == null && radius == null) {
            return catalog.latest(rows);
        }
        if (ra == null || dec == null || radius == null) {
            throw new BadRequestException("a cone search needs all of ra, dec and radius (degrees)");
        }
        if (!(ra >= 0 && ra < 360)) {
            throw new BadRequestException("ra must be in [0, 360) degrees, got " + ra);
        }
        if (!(dec >= -90 && dec <= 90)) {
            throw new BadRequestException("dec must be in [-90, 90] degrees, got " + dec);
        }
        if (!(radius > 0 && radius <= 10)) {
            throw new BadRequestException("radius must be in (0, 10] degrees, got " + radius);
        }
        return catalog.cone(ra, dec, radius, rows);
    }
}
