package io.morpho.training;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the training CLI ({@code bin/morpho train ...}). */
@Command(name = "morpho", mixinStandardHelpOptions = true, subcommands = {TrainCommand.class, SimulateCommand.class, EvaluateCommand.class, ExperimentCommand.class,
                PublishCommand.class, BenchmarkCommand.class,
                InferenceBenchmarkCommand.class},
        description = "morpho training: simulate datasets, train and export galaxy morphology models.")
public final class MorphoTrain {
    public static void main(String[] args) {
        requireOffline();
        if (args.length > 0 && java.util.Set.of("train", "finetune", "experiment", "benchmark").contains(args[0])
                && System.getenv("ONEDNN_MAX_CPU_ISA") == null) {
            System.err.println("warning: ONEDNN_MAX_CPU_ISA is not set. On some AVX-512 CPUs PyTorch's oneDNN computes "
                    + "wrong convolutions (layers with 24 input channels, such as the paper network's); bin/morpho sets "
                    + "ONEDNN_MAX_CPU_ISA=AVX2 for training.");
        }
        System.exit(cli().execute(args));
    }

    /**
     * The command line, with bad input (a dataset, model or option the command cannot use) reported as one line naming
     * what is wrong, exit code 2, instead of a stack trace; anything else still fails with its trace.
     */
    static CommandLine cli() {
        return new CommandLine(new MorphoTrain()).setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (!(e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException
                    || e instanceof java.io.IOException)) {
                throw e;
            }
            commandLine.getErr().println(commandLine.getCommandName() + ": " + e.getMessage());
            return 2;
        });
    }

    /** DJL phones home unless told not to; refuse to start without the flags. */
    static void requireOffline() {
        boolean offline = Boolean.parseBoolean(System.getProperty("ai.djl.offline", System.getenv("DJL_OFFLINE")));
        boolean optOut = Boolean.parseBoolean(System.getProperty("OPT_OUT_TRACKING", System.getenv("OPT_OUT_TRACKING")));
        if (!offline || !optOut) {
            throw new IllegalStateException("run with -Dai.djl.offline=true -DOPT_OUT_TRACKING=true "
                    + "(or DJL_OFFLINE=true OPT_OUT_TRACKING=true): DJL must not contact the network");
        }
    }
}
