package io.morpho.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.morpho.imaging.preprocess.MinMaxBilinear;
import io.morpho.imaging.preprocess.Preprocessing;
import io.morpho.imaging.sim.Survey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code benchmark}: training throughput of each architecture on this machine (stamps per second over whole
 * epochs, after one warm-up epoch), the model's cost per stamp from its layer list, and the process's peak
 * resident memory. Prints a Markdown table; a program, not a test.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Measure training throughput (stamps/s), cost per stamp and peak memory for each architecture.")
public final class BenchmarkCommand implements Callable<Integer> {
    @Option(names = "--stamps", defaultValue = "2048", description = "Stamps per timed epoch; a short epoch measures the "
            + "engine still warming up (compact: 127 stamps/s at 512, 207 at 2048) (default: ${DEFAULT-VALUE}).")
    int stamps;

    @Option(names = "--batch-size", defaultValue = "64", description = "(default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--architectures", split = ",", defaultValue = "compact,paper", description = "(default: ${DEFAULT-VALUE})")
    List<String> architectures;

    @Override
    public Integer call() throws Exception {
        System.out.printf(Locale.ROOT, "| architecture | input | parameters | GFLOP/stamp | training stamps/s (batch %d) | peak RSS |%n",
                batchSize);
        System.out.println("|---|---|---|---|---|---|");
        for (String name : architectures) {
            int size = name.equals("paper") ? 80 : 64;
            Architecture arch = Architecture.byName(name, size);
            StampDataset data = StampDataset.simulate(1, stamps, Survey.candels(), size,
                    Preprocessing.byName(MinMaxBilinear.NAME), () -> { });
            long[] epochStart = new long[1];
            long[] timed = new long[1];
            ModelTrainer.Result result = ModelTrainer.train(new ModelTrainer.Config(arch, 2, batchSize, 1e-3f, 10, 1,
                    Augment.Mode.PAPER), data, data.slice(0, batchSize), new ModelTrainer.Listener() {
                        @Override
                        public void batch(int epoch, int done, int total, double loss) {
                            if (epoch == 2 && done == 1 && epochStart[0] == 0) {
                                epochStart[0] = System.nanoTime();
                            }
                            if (epoch == 2 && done == total) {
                                timed[0] = System.nanoTime() - epochStart[0];
                            }
                        }

                        @Override
                        public void epoch(ModelTrainer.Epoch e) {
                        }
                    });
            result.model().close();
            // The first batch of epoch 2 started the clock, so the timed span covers the other batches.
            int timedStamps = stamps - Math.min(batchSize, stamps);
            Architecture.Cost cost = arch.cost();
            System.out.printf(Locale.ROOT, "| %s | %d×%d | %,d | %.3f | %.1f | %s |%n", name, size, size, cost.parameters(),
                    2.0 * cost.multiplyAccumulates() / 1e9, timedStamps / (timed[0] / 1e9), peakRss());
        }
        return 0;
    }

    /** VmHWM from /proc (Linux), the process's peak resident set. */
    private static String peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D+", ""));
                    return String.format(Locale.ROOT, "%.2f GB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return "n/a";
        }
        return "n/a";
    }
}
