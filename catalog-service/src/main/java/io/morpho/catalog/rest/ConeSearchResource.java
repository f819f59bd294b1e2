package io.morpho.catalog.rest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.morpho.catalog.service.CatalogService;
import io.morpho.catalog.service.GalaxyView;
import io.morpho.events.MorphologyClass;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import uk.ac.starlink.table.ColumnInfo;
import uk.ac.starlink.table.RowListStarTable;
import uk.ac.starlink.votable.DataFormat;
import uk.ac.starlink.votable.VOSerializer;
import uk.ac.starlink.votable.VOTableVersion;

/**
 * IVOA Simple Cone Search 1.03 at {@code /scs}: {@code RA}, {@code DEC}, {@code SR} (degrees), optional
 * {@code VERB} (1 position and label, 2 + probabilities, 3 + everything), {@code MAXREC} and {@code RESPONSEFORMAT};
 * parameter names are case-insensitive (DALI). One row per galaxy: its label and the probabilities averaged over
 * its bands. {@code SR=0} returns the table's metadata only. Errors are VOTables with {@code INFO name="Error"}.
 * The table is written by STIL; the enclosing RESOURCE with its INFO elements is written here.
 */
@Path("/scs")
public class ConeSearchResource {
    static final String VOTABLE = "text/xml;content=x-votable";
    static final int DEFAULT_MAXREC = 1000;
    static final int LIMIT_MAXREC = 10000;

    @Inject
    CatalogService catalog;

    @GET
    @Operation(summary = "IVOA Simple Cone Search (VOTable)")
    public Response search(@Context UriInfo uri) {
        Map<String, String> q = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        uri.getQueryParameters().forEach((k, v) -> q.put(k, v.isEmpty() ? "" : v.get(0)));
        try {
            String format = q.get("RESPONSEFORMAT");
            if (format != null && !List.of("votable", "application/x-votable+xml", "text/xml").contains(format.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("unsupported RESPONSEFORMAT '" + format + "' (only VOTable)");
            }
            double ra = number(q, "RA", 0, 360, false);
            double dec = number(q, "DEC", -90, 90, true);
            double sr = number(q, "SR", 0, 10, true);
            int verb = q.containsKey("VERB") ? (int) number(q, "VERB", 1, 3, true) : 2;
            int maxrec = q.containsKey("MAXREC") ? (int) number(q, "MAXREC", 0, LIMIT_MAXREC, true) : DEFAULT_MAXREC;
            List<GalaxyView> found = sr == 0 || maxrec == 0 ? List.of() : catalog.cone(ra, dec, sr, maxrec + 1);
            boolean overflow = found.size() > maxrec;
            RowListStarTable table = table(verb, overflow ? found.subList(0, maxrec) : found);
            return Response.ok(votable(table, overflow ? "OVERFLOW" : "OK", null), VOTABLE).build();
        } catch (IllegalArgumentException e) {
            return Response.status(Response.Status.BAD_REQUEST).type(VOTABLE).entity(votable(null, "ERROR", e.getMessage())).build();
        }
    }

    private static double number(Map<String, String> q, String name, double min, double max, boolean maxInclusive) {
        String raw = q.get(name);
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("missing parameter " + name);
        }
        double v;
        try {
            v = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + raw + "'");
        }
        if (!(v >= min && (maxInclusive ? v <= max : v < max))) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + (maxInclusive ? "]" : ")")
                    + ", got " + raw);
        }
        return v;
    }

    static ColumnInfo column(String name, Class<?> type, String ucd, String unit, String description) {
        ColumnInfo info = new ColumnInfo(name, type, description);
        info.setUCD(ucd);
        if (unit != null) {
            info.setUnitString(unit);
        }
        return info;
    }

    static RowListStarTable table(int verb, List<GalaxyView> galaxies) {
        List<ColumnInfo> columns = new ArrayList<>(List.of(
                column("id", String.class, "meta.id;meta.main", null, "morpho galaxy id"),
                column("ra", Double.class, "pos.eq.ra;meta.main", "deg", "right ascension (ICRS)"),
                column("dec", Double.class, "pos.eq.dec;meta.main", "deg", "declination (ICRS)"),
                column("label", String.class, "src.morph.type", null, "most probable class, averaged over bands")));
        if (verb >= 2) {
            for (MorphologyClass c : MorphologyClass.ORDER) {
                columns.add(column("p_" + c.label(), Float.class, "stat.probability;src.morph.type", null,
                        "probability of class " + c.label() + ", mean over bands"));
            }
            columns.add(column("n_bands", Integer.class, "meta.number", null, "bands classified"));
        }
        if (verb >= 3) {
            columns.add(column("bands", String.class, "instr.filter", null, "bands classified"));
            columns.add(column("source_id", String.class, "meta.id", null, "source id given at ingest"));
            columns.add(column("survey", String.class, "meta.dataset", null, "survey"));
            columns.add(column("magnitude", Double.class, "phot.mag", "mag", "magnitude from the ingest catalog"));
        }
        RowListStarTable table = new RowListStarTable(columns.toArray(ColumnInfo[]::new));
        table.setName("morpho_cone");
        for (GalaxyView g : galaxies) {
            float[] mean = new float[5];
            for (GalaxyView.BandView b : g.bands()) {
                GalaxyView.Probabilities p = b.probabilities();
                float[] v = {p.spheroid(), p.disk(), p.irregular(), p.pointSource(), p.unclassifiable()};
                for (int c = 0; c < 5; c++) {
                    mean[c] += v[c] / g.bands().size();
                }
            }
            List<Object> row = new ArrayList<>(List.of(String.valueOf(g.id()), g.ra(), g.dec(),
                    g.bands().isEmpty() ? "" : MorphologyClass.argmax(mean).label()));
            if (verb >= 2) {
                for (float v : mean) {
                    row.add(v);
                }
                row.add(g.bands().size());
            }
            if (verb >= 3) {
                row.add(String.join(",", g.bands().stream().map(GalaxyView.BandView::band).toList()));
                row.add(g.sourceId());
                row.add(g.survey());
                row.add(g.magnitude());
            }
            table.addRow(row.toArray());
        }
        return table;
    }

    static StreamingOutput votable(RowListStarTable table, String status, String error) {
        return out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            w.write("<VOTABLE version=\"1.4\" xmlns=\"http://www.ivoa.net/xml/VOTable/v1.3\">\n");
            w.write("<RESOURCE type=\"results\">\n");
            w.write("<INFO name=\"QUERY_STATUS\" value=\"" + status + "\"/>\n");
            if (error != null) {
                w.write("<INFO name=\"Error\"" + VOSerializer.formatAttribute("value", error) + "/>\n");
            } else {
                try {
                    VOSerializer.makeSerializer(DataFormat.TABLEDATA, VOTableVersion.V14, table).writeInlineTableElement(w);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            w.write("</RESOURCE>\n</VOTABLE>\n");
            w.flush();
        };
    }
}
