package io.morpho.imaging;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real third-party test data (../shared/data beside the checkout, or -Dmorpho.shared.data=...).
 * Tests read it in place and are skipped, with the reason, where it is absent.
 */
public final class SharedData {
    private SharedData() {
    }

    public static Path dir() {
        String configured = System.getProperty("morpho.shared.data", System.getenv("MORPHO_SHARED_DATA"));
        Path dir = configured != null ? Path.of(configured) : Path.of("..", "..", "shared", "data");
        return dir.toAbsolutePath().normalize();
    }

    /** A file under the shared data folder; skips the calling test when the folder is not there. */
    public static Path file(String relative) {
        Path dir = dir();
        assumeTrue(Files.isDirectory(dir), "shared test data not found at " + dir
                + " (set -Dmorpho.shared.data=...); skipping a test that reads real files");
        Path file = dir.resolve(relative);
        assumeTrue(Files.isRegularFile(file), "shared test file missing: " + file);
        return file;
    }
}
