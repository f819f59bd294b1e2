package io.morpho.ingest.rest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.morpho.ingest.service.FrameCutter;
import io.morpho.ingest.service.FrameIntake;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import io.morpho.ingest.service.FrameStatus;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /frames}: upload a FITS frame (part {@code file}) and optionally its catalog (part {@code catalog});
 * {@code GET /frames/{id}}: where it stands.
 */
@jakarta.ws.rs.Path("/frames")
public class FrameResource {
    @Inject
    FrameIntake intake;

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public Response upload(@RestForm("file") FileUpload file, @RestForm("catalog") FileUpload catalog) throws IOException {
        if (file == null) {
            throw new BadRequestException("missing multipart part 'file' (the FITS frame)");
        }
        if (!looksLikeFits(file.uploadedFile())) {
            throw new BadRequestException("'" + file.fileName() + "' is not a FITS file (it must start with SIMPLE  =)");
        }
        String frameId = FrameCutter.sha256(file.uploadedFile()).substring(0, 16);
        String original = file.fileName() == null ? "upload.fits" : Path.of(file.fileName()).getFileName().toString();
        String stem = FrameCutter.stem(Path.of(original)).replaceAll("[^A-Za-z0-9._-]", "_");
        String name = stem + "-" + frameId;
        Path inbox = intake.inbox();
        if (catalog != null) {
            publish(catalog.uploadedFile(), inbox.resolve(name + (looksLikeFits(catalog.uploadedFile()) ? ".cat.fits" : ".csv")));
        }
        publish(file.uploadedFile(), inbox.resolve(name + ".fits"));
        return Response.accepted(Map.of("frameId", frameId, "file", name + ".fits")).build();
    }

    @GET
    @jakarta.ws.rs.Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public FrameStatus status(@PathParam("id") String id) {
        if (!id.matches("[0-9a-f]{16}")) {
            throw new BadRequestException("a frame id is the 16 hexadecimal digits POST /frames returned, not '" + id + "'");
        }
        return intake.status(id).orElseThrow(() -> new NotFoundException("no frame " + id));
    }

    /** Copy under a hidden name, then rename, so the directory scan never sees a partial file. */
    private static void publish(Path uploaded, Path target) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".part");
        Files.copy(uploaded, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static boolean looksLikeFits(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(9);
            return new String(head, StandardCharsets.US_ASCII).startsWith("SIMPLE");
        }
    }
}
