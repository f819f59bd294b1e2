package io.morpho.imaging.stamp;

import io.morpho.imaging.fits.FitsFrame;

/** Cuts square stamps out of a frame, padding with NaN where the stamp leaves the frame. */
public final class StampCutter {
    private StampCutter() {
    }

    /** Side of a stamp for a Petrosian radius: 4 x R_P as in the paper, bounded to [min, max] pixels. */
    public static int sideFor(double petrosianRadiusArcsec, double pixelScaleArcsec, int minSide, int maxSide) {
        long side = Math.round(4.0 * petrosianRadiusArcsec / pixelScaleArcsec);
        return (int) Math.max(minSide, Math.min(maxSide, side));
    }

    /**
     * A side x side stamp on the frame's own pixel grid (no resampling, so the noise stays as observed) placed so that
     * its geometric centre is as close as the grid allows to (x, y): within half a pixel on each axis (0-based pixel
     * centres; for an even side the centre falls between two pixels). The exact position travels in the event.
     */
    public static Stamp cut(FitsFrame frame, double x, double y, int side) {
        int x0 = (int) Math.round(x - (side - 1) / 2.0);
        int y0 = (int) Math.round(y - (side - 1) / 2.0);
        float[] out = new float[side * side];
        float[] pixels = frame.pixels();
        int width = frame.width();
        int from = Math.max(0, -x0);
        int to = Math.min(side, width - x0);
        boolean edge = from > 0 || to < side;
        for (int j = 0; j < side; j++) {
            int fy = y0 + j;
            if (fy < 0 || fy >= frame.height() || from >= to) {
                java.util.Arrays.fill(out, j * side, (j + 1) * side, Float.NaN);
                edge = true;
                continue;
            }
            java.util.Arrays.fill(out, j * side, j * side + from, Float.NaN);
            System.arraycopy(pixels, fy * width + x0 + from, out, j * side + from, to - from);
            java.util.Arrays.fill(out, j * side + Math.max(from, to), (j + 1) * side, Float.NaN);
        }
        return new Stamp(side, side, out, edge);
    }
}
