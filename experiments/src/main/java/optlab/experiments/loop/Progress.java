package optlab.experiments.loop;

import java.io.PrintStream;

/** A progress line at most every few seconds on long work: step, epoch, loss, lr, samples/s and ETA. */
public final class Progress implements Probe {
    private static final long EVERY_NANOS = 5_000_000_000L;

    private PrintStream log;
    private long total;
    private long perEpoch;
    private long last = System.nanoTime();

    @Override
    public String name() {
        return "progress";
    }

    @Override
    public void start(RunContext run) {
        log = run.log();
        total = run.totalSteps();
        perEpoch = run.batchesPerEpoch();
    }

    @Override
    public void afterUpdate(StepView s) {
        long now = System.nanoTime();
        long step = s.step();
        if (log == null || now - last < EVERY_NANOS && step + 1 < total) {
            return;
        }
        last = now;
        double trainSeconds = s.trainSeconds();
        double rate = s.samples() / Math.max(trainSeconds, 1e-9);
        double eta = trainSeconds / (step + 1) * (total - step - 1);
        log.printf("step %d/%d  epoch %.2f  loss %.5g  lr %.3g  %.0f samples/s  ETA %s%n", step + 1, total,
                perEpoch > 0 ? (double) (step + 1) / perEpoch : 0, s.loss(), s.lr(), rate, clock(eta));
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
