package io.morpho.localstack;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping the child JVMs this project starts (a broker, the demo's services). */
public final class ChildProcesses {
    private ChildProcesses() {
    }

    /** Asks the process to stop (SIGTERM, so its shutdown hooks run), and kills it if it has not after {@code grace}. */
    public static void stop(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
