package io.morpho.catalog.rest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import io.morpho.catalog.repository.GalaxyQuery;
import io.morpho.catalog.service.CatalogService;
import io.morpho.catalog.service.GalaxyView;
import io.morpho.events.MorphologyClass;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import uk.ac.starlink.table.ColumnInfo;
import uk.ac.starlink.table.RowListStarTable;

@Path("/galaxies")
public class GalaxyResource {
    static final int MAX_LIMIT = 1000;
    static final String CSV = "text/csv";
    private static final Set<String> LABELS = Set.copyOf(MorphologyClass.ORDER.stream().map(MorphologyClass::label).toList());

    @Inject
    CatalogService catalog;

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A galaxy with the classification of every band")
    public GalaxyView byId(@PathParam("id") long id) {
        return catalog.galaxy(id).orElseThrow(() -> new NotFoundException("no galaxy with id " + id));
    }

    @GET
    @Path("/{id}/stamp/{band}.png")
    @Produces("image/png")
    @Operation(summary = "The galaxy's stamp in a band as a PNG (asinh stretch), as the inference service rendered it")
    public byte[] stamp(@PathParam("id") long id, @PathParam("band") String band) {
        return catalog.thumbnail(id, band).orElseThrow(() -> new NotFoundException(
                "no stamp image of galaxy " + id + " in band " + band));
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, CSV, ConeSearchResource.VOTABLE, "application/x-votable+xml", MediaType.TEXT_XML})
    @Operation(summary = "Galaxies in id order, optionally in a cone and filtered by morphology, band, survey, model "
            + "version or magnitude; keyset pagination: pass the X-Next-Cursor header of a full page as cursor. "
            + "JSON, CSV or VOTable by format= or Accept.")
    public Response search(@Parameter(description = "right ascension, degrees [0, 360)") @QueryParam("ra") Double ra,
                           @Parameter(description = "declination, degrees [-90, 90]") @QueryParam("dec") Double dec,
                           @Parameter(description = "search radius, degrees (0, 10]") @QueryParam("radius") Double radius,
                           @Parameter(description = "a classification with this label") @QueryParam("label") String label,
                           @Parameter(description = "a classification in this band") @QueryParam("band") String band,
                           @Parameter(description = "with minProbability: the class whose probability is bounded")
                           @QueryParam("class") String probabilityClass,
                           @QueryParam("minProbability") Double minProbability,
                           @QueryParam("survey") String survey,
                           @QueryParam("modelVersion") String modelVersion,
                           @QueryParam("magMin") Double magMin,
                           @QueryParam("magMax") Double magMax,
                           @Parameter(description = "maximum rows, 1..1000 (default 100)") @QueryParam("limit") Integer limit,
                           @Parameter(description = "X-Next-Cursor of the previous page") @QueryParam("cursor") String cursor,
                           @Parameter(description = "row order: id (default), -id (newest first), magnitude (brightest "
                                   + "first), -magnitude") @QueryParam("sort") String sort,
                           @Parameter(description = "json, csv or votable (default: from Accept, else json)")
                           @QueryParam("format") String format,
                           @HeaderParam("Accept") String accept,
                           @Context UriInfo uri) {
        int rows = limit == null ? 100 : limit;
        if (rows < 1 || rows > MAX_LIMIT) {
            throw new BadRequestException("limit must be between 1 and " + MAX_LIMIT + ", got " + rows);
        }
        boolean cone = ra != null || dec != null || radius != null;
        if (cone && (ra == null || dec == null || radius == null)) {
            throw new BadRequestException("a cone search needs all of ra, dec and radius (degrees)");
        }
        if (cone && !(ra >= 0 && ra < 360)) {
            throw new BadRequestException("ra must be in [0, 360) degrees, got " + ra);
        }
        if (cone && !(dec >= -90 && dec <= 90)) {
            throw new BadRequestException("dec must be in [-90, 90] degrees, got " + dec);
        }
        if (cone && !(radius > 0 && radius <= 10)) {
            throw new BadRequestException("radius must be in (0, 10] degrees, got " + radius);
        }
        if (label != null && !LABELS.contains(label)) {
            throw new BadRequestException("label must be one of " + MorphologyClass.metadataValue() + ", got " + label);
        }
        if ((probabilityClass == null) != (minProbability == null)) {
            throw new BadRequestException("class and minProbability go together (e.g. class=disk&minProbability=0.8)");
        }
        if (probabilityClass != null && !LABELS.contains(probabilityClass)) {
            throw new BadRequestException("class must be one of " + MorphologyClass.metadataValue() + ", got " + probabilityClass);
        }
        if (minProbability != null && !(minProbability >= 0 && minProbability <= 1)) {
            throw new BadRequestException("minProbability must be in [0, 1], got " + minProbability);
        }
        GalaxyQuery.Sort order;
        GalaxyQuery.Cursor after;
        try {
            order = sort == null ? GalaxyQuery.Sort.ID : GalaxyQuery.Sort.of(sort);
            after = cursor == null ? null : GalaxyQuery.Cursor.parse(cursor, order);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        String type = mediaType(format, accept);
        List<GalaxyView> page = catalog.search(new GalaxyQuery(ra, dec, radius, label, band, probabilityClass,
                minProbability, survey, modelVersion, magMin, magMax, order, after, rows));
        Response.ResponseBuilder response = switch (type) {
            case CSV -> Response.ok(csv(page), CSV + ";charset=utf-8");
            case ConeSearchResource.VOTABLE -> Response.ok(ConeSearchResource.votable(table(page), "OK", null), type);
            default -> Response.ok(page, MediaType.APPLICATION_JSON);
        };
        if (page.size() == rows) {
            GalaxyView last = page.get(page.size() - 1);
            String next = new GalaxyQuery.Cursor(last.magnitude() == null ? Double.POSITIVE_INFINITY : last.magnitude(),
                    last.id()).text(order);
            response.header("X-Next-Cursor", next)
                    .link(uri.getRequestUriBuilder().replaceQueryParam("cursor", next).build(), "next");
        }
        return response.build();
    }

    private static String mediaType(String format, String accept) {
        if (format != null) {
            return switch (format.toLowerCase(Locale.ROOT)) {
                case "json" -> MediaType.APPLICATION_JSON;
                case "csv" -> CSV;
                case "votable" -> ConeSearchResource.VOTABLE;
                default -> throw new BadRequestException("format must be json, csv or votable, got '" + format + "'");
            };
        }
        if (accept != null && accept.contains(CSV)) {
            return CSV;
        }
        if (accept != null && (accept.contains("votable") || accept.contains("text/xml"))) {
            return ConeSearchResource.VOTABLE;
        }
        return MediaType.APPLICATION_JSON;
    }

    /** One row per galaxy and band (its latest classification): position, band, label, probabilities, model. */
    private static final List<String> COLUMNS = List.of("id", "source_id", "ra", "dec", "band", "label", "p_spheroid",
            "p_disk", "p_irregular", "p_point_source", "p_unclassifiable", "model_version");

    private static List<Object[]> rows(List<GalaxyView> page) {
        List<Object[]> rows = new ArrayList<>();
        for (GalaxyView g : page) {
            for (GalaxyView.BandView b : g.bands()) {
                GalaxyView.Probabilities p = b.probabilities();
                rows.add(new Object[] {g.id(), b.sourceId(), g.ra(), g.dec(), b.band(), b.label(), p.spheroid(), p.disk(),
                        p.irregular(), p.pointSource(), p.unclassifiable(), b.model().version()});
            }
        }
        return rows;
    }

    static byte[] csv(List<GalaxyView> page) {
        StringBuilder out = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (Object[] row : rows(page)) {
            for (int i = 0; i < row.length; i++) {
                String v = String.valueOf(row[i]);
                out.append(i == 0 ? "" : ",").append(v.matches("[^,\"\\n]*") ? v : '"' + v.replace("\"", "\"\"") + '"');
            }
            out.append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static RowListStarTable table(List<GalaxyView> page) {
        ColumnInfo[] columns = {
                ConeSearchResource.column("id", Long.class, "meta.id;meta.main", null, null), ConeSearchResource.column("source_id", String.class, "meta.id", null, null),
                ConeSearchResource.column("ra", Double.class, "pos.eq.ra;meta.main", "deg", null), ConeSearchResource.column("dec", Double.class, "pos.eq.dec;meta.main", "deg", null),
                ConeSearchResource.column("band", String.class, "instr.filter", null, null), ConeSearchResource.column("label", String.class, "src.morph.type", null, null),
                ConeSearchResource.column("p_spheroid", Float.class, "stat.probability;src.morph.type", null, null),
                ConeSearchResource.column("p_disk", Float.class, "stat.probability;src.morph.type", null, null),
                ConeSearchResource.column("p_irregular", Float.class, "stat.probability;src.morph.type", null, null),
                ConeSearchResource.column("p_point_source", Float.class, "stat.probability;src.morph.type", null, null),
                ConeSearchResource.column("p_unclassifiable", Float.class, "stat.probability;src.morph.type", null, null),
                ConeSearchResource.column("model_version", String.class, "meta.version", null, null)};
        RowListStarTable table = new RowListStarTable(columns);
        table.setName("morpho_galaxies");
        rows(page).forEach(table::addRow);
        return table;
    }

}
