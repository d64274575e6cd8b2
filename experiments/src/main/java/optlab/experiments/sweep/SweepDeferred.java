package optlab.experiments.sweep;

/**
 * Thrown by an executor that hands the jobs to a batch system instead of running them ({@link SlurmArray}): the
 * recipe stops before its report, and the command prints {@link #getMessage} (what was written, how to submit it,
 * how to collect) and exits 0.
 */
public final class SweepDeferred extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SweepDeferred(String message) {
        super(message, null, false, false);
    }
}
