package io.morpho.imaging.fits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;

/** Writes a float32 image as a single-HDU FITS file with the given header cards. */
public final class FitsWriter {
    private FitsWriter() {
    }

    /**
     * Writes to a temporary sibling, then renames, so a directory watcher never sees a half-written file.
     * Card values may be String, Number or Boolean.
     */
    public static void write(Path target, int width, int height, float[] pixels, Map<String, Object> cards) {
        float[][] rows = new float[height][width];
        for (int y = 0; y < height; y++) {
            System.arraycopy(pixels, y * width, rows[y], 0, width);
        }
        Path tmp = target.resolveSibling("." + target.getFileName() + ".part");
        try (Fits fits = new Fits()) {
            BasicHDU<?> hdu = Fits.makeHDU(rows);
            Header header = hdu.getHeader();
            for (Map.Entry<String, Object> card : cards.entrySet()) {
                Object v = card.getValue();
                if (v instanceof Number n) {
                    header.addValue(card.getKey(), n, "");
                } else if (v instanceof Boolean b) {
                    header.addValue(card.getKey(), b, "");
                } else {
                    header.addValue(card.getKey(), String.valueOf(v), "");
                }
            }
            fits.addHDU(hdu);
            Files.deleteIfExists(tmp);
            fits.write(tmp.toFile());
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (FitsException e) {
            throw new IllegalStateException("cannot write " + target, e);
        }
    }
}
