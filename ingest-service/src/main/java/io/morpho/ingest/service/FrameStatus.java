package io.morpho.ingest.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code GET /frames/{id}} reports: queued, processed (with its counts) or failed (with the reason). */
public record FrameStatus(String status, String file, Map<String, String> result, String errorType, String reason) {

    static FrameStatus of(String directory, Path frame) {
        String file = frame.getFileName().toString();
        try {
            if (directory.equals("processed")) {
                Map<String, String> counts = new LinkedHashMap<>();
                Path note = frame.resolveSibling(file + ".result.txt");
                if (Files.exists(note)) {
                    for (String line : Files.readAllLines(note, StandardCharsets.UTF_8)) {
                        int eq = line.indexOf('=');
                        if (eq > 0) {
                            counts.put(line.substring(0, eq), line.substring(eq + 1));
                        }
                    }
                }
                return new FrameStatus("processed", file, counts, null, null);
            }
            if (directory.equals("failed")) {
                Path note = frame.resolveSibling(file + ".reason.txt");
                List<String> lines = Files.exists(note) ? Files.readAllLines(note, StandardCharsets.UTF_8) : List.of();
                return new FrameStatus("failed", file, null, lines.isEmpty() ? null : lines.get(0),
                        lines.size() < 2 ? null : String.join("\n", lines.subList(1, lines.size())));
            }
        } catch (IOException e) {
            return new FrameStatus(directory, file, null, "ingest.error", "cannot read the frame's notes: " + e.getMessage());
        }
        return new FrameStatus(directory.equals("work") ? "processing" : "queued", file, null, null, null);
    }
}
