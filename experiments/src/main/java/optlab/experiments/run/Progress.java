package optlab.experiments.run;

import java.io.PrintStream;

/** A progress line at most every few seconds on long work: step, epoch, loss, lr, samples/s and ETA. */
final class Progress {
    private static final long EVERY_NANOS = 5_000_000_000L;

    private final PrintStream log;
    private final long total;
    private long last = System.nanoTime();

    Progress(PrintStream log, long total) {
        this.log = log;
        this.total = total;
    }

    /** After update {@code step} (0-based); {@code trainSeconds} excludes evaluation time. */
    void update(long step, double epoch, double loss, double lr, long samples, double trainSeconds) {
        long now = System.nanoTime();
        if (now - last < EVERY_NANOS && step + 1 < total) {
            return;
        }
        last = now;
        double rate = samples / Math.max(trainSeconds, 1e-9);
        double eta = trainSeconds / (step + 1) * (total - step - 1);
        log.printf("step %d/%d  epoch %.2f  loss %.5g  lr %.3g  %.0f samples/s  ETA %s%n", step + 1, total, epoch, loss,
                lr, rate, clock(eta));
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
