package optlab.experiments.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run's output folder: {@code steps.csv} (step,loss,lr,seconds: row k is the loss of batch k before update k,
 * at learning rate lr, seconds of training so far; then grad_evals, cumulative gradient evaluations, for rules that
 * re-evaluate the gradient and every integrator of the gradient flow), {@code evals.csv} (step,epoch,train_loss,train_acc,
 * test_loss,test_acc, then val_loss,val_acc when the run holds out a validation set and the probes' columns such as
 * path_norm; step = updates done, empty cells when not computed) and {@code summary.json}, replaced
 * atomically each time it is written (status "running" while the run goes on).
 */
final class RunFiles implements AutoCloseable {
    static final String[] STEPS_HEADER = {"step", "loss", "lr", "seconds"};
    static final String[] EVALS_HEADER = {"step", "epoch", "train_loss", "train_acc", "test_loss", "test_acc"};

    private final Path dir;
    private final CsvLog steps;
    /** Opened by {@link #evalColumns} once the run knows its columns (or at the end with the base header). */
    private CsvLog evals;
    private boolean validation;
    private boolean finalWritten;
    /** For a resumed run: the length of evals.csv its checkpoint recorded (-1: a fresh run). */
    private final long evalsBytes;

    RunFiles(Path dir) throws IOException {
        this(dir, false);
    }

    /** With {@code gradEvals}, steps.csv has a last column grad_evals (cumulative gradient evaluations). */
    RunFiles(Path dir, boolean gradEvals) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        this.steps = new CsvLog(dir.resolve(RunFolder.STEPS), stepsHeader(gradEvals));
        this.evalsBytes = -1;
    }

    /**
     * The files of a run resumed from a checkpoint that recorded steps.csv and evals.csv at these lengths: both are
     * cut back to them (the killed run's later rows go) and appended to.
     */
    RunFiles(Path dir, boolean gradEvals, long stepsBytes, long evalsBytes) throws IOException {
        this.dir = dir;
        this.steps = CsvLog.resume(dir.resolve(RunFolder.STEPS), stepsBytes, stepsHeader(gradEvals));
        this.evalsBytes = evalsBytes;
    }

    private static String[] stepsHeader(boolean gradEvals) {
        String[] header = STEPS_HEADER;
        if (gradEvals) {
            header = java.util.Arrays.copyOf(STEPS_HEADER, STEPS_HEADER.length + 1);
            header[STEPS_HEADER.length] = "grad_evals";
        }
        return header;
    }

    /** Forces both logs to the disk and returns their lengths {steps.csv, evals.csv}, for a checkpoint. */
    synchronized long[] sync() throws IOException {
        return new long[] {steps.sync(), evals.sync()};
    }

    /**
     * Opens evals.csv with the base columns plus val_loss,val_acc and the probes' columns (path_norm, ...); before the
     * first {@link #eval}.
     */
    synchronized void evalColumns(boolean withValidation, java.util.List<String> probeColumns) throws IOException {
        if (evals != null) {
            throw new IllegalStateException("evals.csv is already open");
        }
        validation = withValidation;
        java.util.List<String> header = new java.util.ArrayList<>(java.util.List.of(EVALS_HEADER));
        if (validation) {
            header.addAll(java.util.List.of("val_loss", "val_acc"));
        }
        header.addAll(probeColumns);
        String[] h = header.toArray(String[]::new);
        evals = evalsBytes < 0 ? new CsvLog(dir.resolve(RunFolder.EVALS), h) : CsvLog.resume(dir.resolve(RunFolder.EVALS),
                evalsBytes, h);
    }

    Path dir() {
        return dir;
    }

    /** {@code loss} is printed at the model's precision (shortest text that reads back to the same value). */
    void step(long step, double loss, boolean f32, double lr, double seconds, long gradEvals) throws IOException {
        String l = f32 ? Float.toString((float) loss) : Double.toString(loss), s = String.format("%.4f", seconds);
        if (gradEvals < 0) {
            steps.row(Long.toString(step), l, Double.toString(lr), s);
        } else {
            steps.row(Long.toString(step), l, Double.toString(lr), s, Long.toString(gradEvals));
        }
    }

    void eval(long step, double epoch, Metrics train, Metrics test, Metrics val, java.util.List<String> probeCells)
            throws IOException {
        java.util.List<String> cells = new java.util.ArrayList<>(java.util.Arrays.asList(Long.toString(step),
                String.format("%.4f", epoch), cell(train.loss()), cell(train.accuracy()), cell(test.loss()),
                cell(test.accuracy())));
        if (validation) {
            cells.add(cell(val.loss()));
            cells.add(cell(val.accuracy()));
        }
        cells.addAll(probeCells);
        evals.row(cells.toArray(String[]::new));
        evals.flush(); // rare and precious
    }

    private static String cell(double v) {
        return Double.isNaN(v) ? null : Double.toString(v);
    }

    /**
     * Replaces summary.json. The first final summary (completed, diverged or failed) wins: a later one, such as the
     * shutdown hook's "failed" racing a run that just completed, is dropped.
     */
    synchronized void summary(ObjectNode summary, boolean isFinal) throws IOException {
        if (finalWritten) {
            return;
        }
        finalWritten = isFinal;
        try {
            steps.flush();
            if (evals != null) {
                evals.flush();
            }
        } catch (IOException closed) {
            // Only when the logs were closed under us (JVM shutdown): the summary matters more.
        }
        try {
            AtomicFiles.write(dir.resolve(RunFolder.SUMMARY), RunConfig.JSON.writeValueAsString(summary) + "\n");
        } catch (JsonProcessingException e) {
            throw new IOException("summary.json: " + e.getOriginalMessage(), e);
        }
    }

    static ObjectNode summaryJson(RunConfig config, RunEnvironment env, String status, RunResult r, String error) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", config.name());
        o.put("status", status);
        if (r != null && r.status() == RunResult.Status.DIVERGED) {
            o.put("diverged_at_step", r.divergedAtStep());
        }
        if (error != null) {
            o.put("error", error);
        }
        ObjectNode fin = o.putObject("final");
        if (r != null) {
            fin.put("steps", r.stepsDone());
            put(fin, "train_loss", r.train().loss());
            put(fin, "train_acc", r.train().accuracy());
            put(fin, "test_loss", r.test().loss());
            put(fin, "test_acc", r.test().accuracy());
            if (r.validation().computed()) {
                put(fin, "val_loss", r.validation().loss());
                put(fin, "val_acc", r.validation().accuracy());
            }
            o.put("wall_seconds", r.wallSeconds());
            o.put("samples_per_second", r.samplesPerSecond());
            ObjectNode pool = o.putObject("pool_bytes");
            pool.put("after_warmup", r.poolBytesAfterWarmup());
            pool.put("at_end", r.poolBytesAtEnd());
        }
        o.set("environment", env.toJson());
        o.set("config", config.toJson());
        return o;
    }

    private static void put(ObjectNode o, String key, double v) {
        if (Double.isNaN(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (evals == null && evalsBytes < 0) {
            evalColumns(false, java.util.List.of()); // the run ended before it knew its columns: the base header
        }
        try (CsvLog s = steps; CsvLog e = evals) {
            s.flush();
            if (e != null) { // a resumed run that failed before reopening evals.csv leaves it as it was
                e.flush();
            }
        }
    }
}
