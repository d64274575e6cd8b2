package optlab.experiments.run;

/**
 * The names of the files in a run folder, defined once: every writer and reader (train runs, online runs, sweeps,
 * recipes, plots) uses these. Probes name their own files (grad_norms.csv, timing.csv, geometry.csv, ...).
 */
public final class RunFolder {
    /** One row per step: the minibatch loss before the update, and bookkeeping. */
    public static final String STEPS = "steps.csv";
    /** One row per evaluation. */
    public static final String EVALS = "evals.csv";
    /** Config, status and final figures; written last, so a folder with a final summary is a finished run. */
    public static final String SUMMARY = "summary.json";

    private RunFolder() {
    }
}
