package io.morpho.imaging.wcs;

import java.util.List;

import io.morpho.imaging.ImagingException;
import nom.tam.fits.Header;

/**
 * Gnomonic (TAN) world coordinate system from FITS keywords (Calabretta &amp; Greisen 2002): linear transform from
 * CD, or PC with CDELT, or CDELT alone; default LONPOLE (180 deg); optionally SIP distortion in pixel space
 * ({@code RA---TAN-SIP}) or the TPV polynomial in the projection plane ({@code RA---TPV}, DECam). Pixel
 * coordinates in this API are 0-based. Written here because no Java WCS library is served to this project;
 * other projections are refused as unsupported.
 */
public final class TanWcs {
    private final double crpix1;
    private final double crpix2;
    private final double ra0;
    private final double dec0;
    private final double[] cd; // degrees per pixel: cd11, cd12, cd21, cd22
    private final double[] inverseCd;
    private final Distortion sip;
    private final Distortion tpv;

    public TanWcs(double crpix1, double crpix2, double crval1, double crval2, double[] cd) {
        this(crpix1, crpix2, crval1, crval2, cd, null, null);
    }

    private TanWcs(double crpix1, double crpix2, double crval1, double crval2, double[] cd, Distortion sip, Distortion tpv) {
        this.sip = sip;
        this.tpv = tpv;
        this.crpix1 = crpix1;
        this.crpix2 = crpix2;
        this.ra0 = Math.toRadians(crval1);
        this.dec0 = Math.toRadians(crval2);
        this.cd = cd.clone();
        double det = cd[0] * cd[3] - cd[1] * cd[2];
        if (det == 0 || !Double.isFinite(det)) {
            throw new ImagingException("wcs.invalid", "the CD matrix is singular");
        }
        this.inverseCd = new double[] {cd[3] / det, -cd[1] / det, -cd[2] / det, cd[0] / det};
    }

    public static TanWcs fromHeader(Header h) {
        String ctype1 = h.getStringValue("CTYPE1");
        String ctype2 = h.getStringValue("CTYPE2");
        if (ctype1 == null || ctype2 == null) {
            throw new ImagingException("wcs.missing", "the frame has no celestial WCS (CTYPE1/CTYPE2 missing)");
        }
        ctype1 = ctype1.trim();
        ctype2 = ctype2.trim();
        if (!ctype1.startsWith("RA--") || !ctype2.startsWith("DEC-")) {
            throw new ImagingException("wcs.unsupported",
                    "unsupported celestial axes " + ctype1 + "/" + ctype2 + " (need RA---TAN/DEC--TAN)");
        }
        String projection = ctype1.substring(4).replaceAll("^-+", "");
        String projection2 = ctype2.substring(4).replaceAll("^-+", "");
        if (!projection.equals(projection2) || !List.of("TAN", "TAN-SIP", "TPV").contains(projection)) {
            throw new ImagingException("wcs.unsupported", "unsupported projection " + projection
                    + (projection.equals(projection2) ? "" : "/" + projection2) + " (this version reads TAN, TAN-SIP and TPV)");
        }
        if (h.containsKey("LONPOLE") && h.getDoubleValue("LONPOLE") != 180.0) {
            throw new ImagingException("wcs.unsupported", "unsupported LONPOLE " + h.getDoubleValue("LONPOLE"));
        }
        for (String key : new String[] {"CRPIX1", "CRPIX2", "CRVAL1", "CRVAL2"}) {
            if (!h.containsKey(key)) {
                throw new ImagingException("wcs.missing", "the WCS lacks " + key);
            }
        }
        double[] cd;
        if (h.containsKey("CD1_1") || h.containsKey("CD2_2")) {
            cd = new double[] {h.getDoubleValue("CD1_1", 0), h.getDoubleValue("CD1_2", 0),
                    h.getDoubleValue("CD2_1", 0), h.getDoubleValue("CD2_2", 0)};
        } else if (h.containsKey("CDELT1") && h.containsKey("CDELT2")) {
            double c1 = h.getDoubleValue("CDELT1");
            double c2 = h.getDoubleValue("CDELT2");
            cd = new double[] {c1 * h.getDoubleValue("PC1_1", 1), c1 * h.getDoubleValue("PC1_2", 0),
                    c2 * h.getDoubleValue("PC2_1", 0), c2 * h.getDoubleValue("PC2_2", 1)};
        } else {
            throw new ImagingException("wcs.missing", "the WCS has neither CD nor CDELT keywords");
        }
        return new TanWcs(h.getDoubleValue("CRPIX1"), h.getDoubleValue("CRPIX2"),
                h.getDoubleValue("CRVAL1"), h.getDoubleValue("CRVAL2"), cd,
                projection.equals("TAN-SIP") ? SipDistortion.fromHeader(h) : null,
                projection.equals("TPV") ? TpvDistortion.fromHeader(h) : null);
    }

    /** Returns {ra, dec} in degrees for 0-based pixel coordinates. */
    public double[] pixelToSky(double x, double y) {
        double u = x + 1 - crpix1;
        double v = y + 1 - crpix2;
        if (sip != null) {
            double[] d = sip.forward(u, v);
            u = d[0];
            v = d[1];
        }
        double px = cd[0] * u + cd[1] * v;
        double py = cd[2] * u + cd[3] * v;
        if (tpv != null) {
            double[] d = tpv.forward(px, py);
            px = d[0];
            py = d[1];
        }
        double xi = Math.toRadians(px);
        double eta = Math.toRadians(py);
        double d = Math.cos(dec0) - eta * Math.sin(dec0);
        double ra = ra0 + Math.atan2(xi, d);
        double dec = Math.atan2(Math.sin(dec0) + eta * Math.cos(dec0), Math.hypot(xi, d));
        double raDeg = Math.toDegrees(ra) % 360.0;
        return new double[] {raDeg < 0 ? raDeg + 360.0 : raDeg, Math.toDegrees(dec)};
    }

    /** Returns 0-based {x, y}, or NaNs for a position on the far side of the projection. */
    public double[] skyToPixel(double raDeg, double decDeg) {
        double ra = Math.toRadians(raDeg);
        double dec = Math.toRadians(decDeg);
        double dra = ra - ra0;
        double cosc = Math.sin(dec0) * Math.sin(dec) + Math.cos(dec0) * Math.cos(dec) * Math.cos(dra);
        if (cosc <= 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double xi = Math.toDegrees(Math.cos(dec) * Math.sin(dra) / cosc);
        double eta = Math.toDegrees((Math.cos(dec0) * Math.sin(dec) - Math.sin(dec0) * Math.cos(dec) * Math.cos(dra)) / cosc);
        if (tpv != null) {
            double[] plane = tpv.inverse(xi, eta, new double[] {xi, eta});
            xi = plane[0];
            eta = plane[1];
        }
        double u = inverseCd[0] * xi + inverseCd[1] * eta;
        double v = inverseCd[2] * xi + inverseCd[3] * eta;
        if (sip != null) {
            double[] undistorted = sip.inverse(u, v, new double[] {u, v});
            u = undistorted[0];
            v = undistorted[1];
        }
        return new double[] {u + crpix1 - 1, v + crpix2 - 1};
    }

    /** Mean pixel side in arcseconds, sqrt(|det CD|). */
    public double pixelScaleArcsec() {
        return Math.sqrt(Math.abs(cd[0] * cd[3] - cd[1] * cd[2])) * 3600.0;
    }
}
