package io.morpho.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

import io.morpho.imaging.sim.Band;
import io.morpho.imaging.sim.StampSimulator;
import io.morpho.imaging.sim.Survey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code simulate}: writes a labelled simulated dataset in the paper's format (labels CSV + FITS stamps). */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Write simulated labelled stamps in the paper's format: labels.csv + stamps/<ID>.fits.")
public final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--output", required = true, description = "Dataset directory to create.")
    Path output;

    @Option(names = "--survey", defaultValue = "demo", description = "demo (F606W+F160W), candels (F160W) or clash "
            + "(16 bands) (default: ${DEFAULT-VALUE}).")
    String survey;

    @Option(names = "--samples", defaultValue = "1000", description = "Stamps to write (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", defaultValue = "42", description = "(default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        Survey preset = Survey.byName(survey);
        List<Band> bands = preset.bands();
        Random rng = new Random(seed);
        List<String> ids = new ArrayList<>();
        List<float[]> pixels = new ArrayList<>();
        List<Integer> sides = new ArrayList<>();
        List<float[]> fractions = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        int[] truth = new int[samples];
        for (int i = 0; i < samples; i++) {
            Band band = bands.get(i % bands.size());
            StampSimulator.LabelledStamp s = StampSimulator.sample(rng, preset, band);
            ids.add(String.format(Locale.ROOT, "%s_%s_%d", preset.name(), band.name().toLowerCase(Locale.ROOT), i + 1));
            pixels.add(s.pixels());
            sides.add(s.side());
            fractions.add(s.voteFractions());
            expected.add(s.expectedFractions());
            truth[i] = s.trueClass();
        }
        PaperFormat.write(output, ids, pixels, sides, fractions);
        PaperFormat.writeTruth(output, ids, truth, expected);
        System.out.printf(Locale.ROOT, "wrote %d stamps, labels.csv and %s (the simulator's classes and expected vote "
                + "fractions) to %s%n", samples, PaperFormat.TRUTH_FILE, output);
        return 0;
    }
}
