package io.morpho.imaging.sim;

import java.util.List;

/**
 * A simulated survey: its bands, the mix of classes among its galaxies, their magnitude range, and how much its
 * expert classifiers agree. Presets follow the paper's two surveys; their label statistics are calibrated against
 * the paper's real label files (see {@code SurveyCalibrationTest}).
 */
public record Survey(String name, List<Band> bands, double[] classMix, double magMin, double magMax,
                     double expertAgreement) {

    /** CANDELS GOODS-S in F160W (0.06 arcsec pixels, 0.18 arcsec PSF), H &lt; 24.5: disk-dominated. */
    public static Survey candels() {
        return new Survey("candels", List.of(Band.f160w()), new double[] {0.24, 0.57, 0.10, 0.06, 0.03}, 20, 24.5, 0.80);
    }

    /** CLASH in its 16 bands (0.065 arcsec pixels): cluster fields, spheroid-dominated. */
    public static Survey clash() {
        return new Survey("clash", Band.CLASH_FILTERS.stream().map(Band::clash).toList(),
                new double[] {0.52, 0.17, 0.17, 0.04, 0.10}, 20, 24.5, 0.9);
    }

    /** The two-band field of the demo and the default model (F606W, F160W). */
    public static Survey demo() {
        return new Survey("demo", List.of(Band.f606w(), Band.f160w()), new double[] {0.27, 0.40, 0.15, 0.10, 0.08},
                20, 24.5, 0.95);
    }

    public static Survey byName(String name) {
        return switch (name) {
            case "candels" -> candels();
            case "clash" -> clash();
            case "demo" -> demo();
            default -> throw new IllegalArgumentException("unknown survey '" + name + "' (candels, clash, demo)");
        };
    }

    public Band band(String name) {
        return bands.stream().filter(b -> b.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(this.name + " has no band " + name));
    }
}
