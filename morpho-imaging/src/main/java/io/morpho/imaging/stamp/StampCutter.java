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

    /** A side x side stamp whose centre pixel is the one containing (x, y) (0-based pixel centres). */
    public static Stamp cut(FitsFrame frame, double x, double y, int side) {
        int x0 = (int) Math.round(x) - side / 2;
        int y0 = (int) Math.round(y) - side / 2;
        float[] out = new float[side * side];
        boolean edge = false;
        for (int j = 0; j < side; j++) {
            int fy = y0 + j;
            for (int i = 0; i < side; i++) {
                int fx = x0 + i;
                if (fx < 0 || fy < 0 || fx >= frame.width() || fy >= frame.height()) {
                    out[j * side + i] = Float.NaN;
                    edge = true;
                } else {
                    out[j * side + i] = frame.at(fx, fy);
                }
            }
        }
        return new Stamp(side, side, out, edge);
    }
}
