package optlab.experiments.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import com.fasterxml.jackson.databind.node.ObjectNode;
import optlab.experiments.data.Batches;
import optlab.experiments.data.Dataset;
import optlab.experiments.data.Shuffle;
import optlab.experiments.loop.BatchSource;
import optlab.experiments.loop.Divergence;
import optlab.experiments.loop.EndPoint;
import optlab.experiments.loop.LoopPosition;
import optlab.experiments.loop.LoopResult;
import optlab.experiments.loop.Objective;
import optlab.experiments.loop.PathNorm;
import optlab.experiments.loop.Probe;
import optlab.experiments.loop.ProbeSpec;
import optlab.experiments.loop.Progress;
import optlab.experiments.loop.RunContext;
import optlab.experiments.loop.StepView;
import optlab.experiments.loop.TrainingLoop;
import optlab.models.Model;
import optlab.models.ModelSpace;
import optlab.models.param.Parameterization;
import optlab.models.io.SafeTensors;
import optlab.optim.Optimizer;
import optlab.optim.OptimizerState;
import optlab.optim.schedule.Schedule;
import optlab.tensor.BufferPool;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;

/**
 * Runs one {@link RunConfig} to the end and writes its folder (see {@link RunFiles}): epochs of a finite training
 * set through the {@link TrainingLoop}, evaluated every {@code eval.every_steps}, with the config's probes beside
 * the ones every run has (divergence, progress, path_norm for models with paths). Everything random derives from the
 * config's seed (init, shuffling, dropout), and the kernels are deterministic for a fixed thread count and vector
 * width, so the same config gives the same losses bit for bit.
 *
 * <p>Divergence ({@link Divergence}): the loss is checked every step (free); the parameters, a full scan (4.4 ms per
 * 19.2M floats), before every evaluation, every {@code check_every} steps and at the end. Either non-finite ends the
 * run with status "diverged" at that step. A run that throws, or whose JVM shuts down (Ctrl-C), ends "failed".
 *
 * <p>With {@code checkpoint_every} N, a {@link Checkpoint} is saved every N updates, and {@link #resume} continues a
 * run that was killed (kill -9 included) from its last one: the losses in steps.csv and evals.csv are those of the
 * uninterrupted run, bit for bit, and no row is lost or written twice. A new run into a folder deletes the folder's
 * old checkpoints, and a run that ends (completed or diverged) deletes its own.
 */
public final class Trainer {
    private final RunConfig config;
    private final PrintStream log;
    private final List<Probe> extra;

    public Trainer(RunConfig config, PrintStream log) {
        this(config, log, List.of());
    }

    /**
     * A run with {@code extra} probes from code beside the config's (attached last; in a geometry run, to the
     * recorded second pass only).
     */
    public Trainer(RunConfig config, PrintStream log, List<Probe> extra) {
        this.config = config;
        this.log = log;
        this.extra = List.copyOf(extra);
    }

    /** What the run has done so far: read by the failure path and the shutdown hook, hence volatile. */
    private static final class Tally {
        long start = System.nanoTime();
        volatile long steps;
        volatile long samples;
        volatile long trainNanos;
        volatile Metrics train = Metrics.NONE;
        volatile Metrics test = Metrics.NONE;
        volatile Metrics validation = Metrics.NONE;
        volatile double pathNorm = Double.NaN;
        volatile boolean evaluated;
        volatile long poolWarm = -1;
        /** Updates after which every batch size (an epoch's partial last one included) has been seen. */
        long warmAfter;
        BufferPool pool;

        RunResult result(RunResult.Status status, long diverged, long poolWarm, long poolEnd, RunConfig c) {
            double seconds = trainNanos * 1e-9;
            return new RunResult(status, diverged, steps, train, test, validation, pathNorm, (System.nanoTime() - start) * 1e-9,
                    seconds > 0 ? samples / seconds : 0, poolWarm, poolEnd, c.out());
        }
    }

    /**
     * Whether steps.csv gets the grad_evals column: rules that re-evaluate the gradient, and every integrator of the
     * gradient flow (euler, ab2, ab3 too), so their runs are compared at equal gradient evaluations from one column.
     */
    static boolean logsGradientEvaluations(optlab.optim.Optimizer optimizer) {
        return optimizer.needsOracle() || optimizer instanceof optlab.optim.integrate.FlowIntegrator;
    }

    /** Runs and writes results; on an exception the summary says "failed" with the message before it propagates. */
    public RunResult run() throws IOException {
        Checkpoint.delete(config.out()); // of an earlier run into this folder: it would resume into this run's files
        return run(null);
    }

    /**
     * Continues the run killed in {@code config.out()} from its checkpoint, which must be of this config (else a
     * {@link ConfigException} naming the fields that differ); missing or damaged checkpoint files fail naming them.
     */
    public RunResult resume() throws IOException {
        Checkpoint from = Checkpoint.read(config.out());
        from.checkSameRun(config);
        return run(from);
    }

    private RunResult run(Checkpoint from) throws IOException {
        RunConfig c = config;
        DeviceSupport.check(c.backend(), c.model(), c.optimizer(), c.geometry() != null, c.probes());
        Tally tally = new Tally();
        if (from != null) {
            LoopPosition at = from.position();
            tally.start -= from.wallNanos();
            tally.steps = at.step();
            tally.samples = at.samples();
            tally.trainNanos = at.trainNanos();
            tally.train = from.train();
            tally.test = from.test();
            tally.validation = from.validation();
            tally.evaluated = from.evaluated();
        }
        boolean oracle = logsGradientEvaluations(c.optimizer());
        try (Backend backend = Backends.byName(c.backend(), c.threads()); Scope scope = Scope.open(); BufferPool pool = new BufferPool();
             RunFiles files = from == null ? new RunFiles(c.out(), oracle)
                     : new RunFiles(c.out(), oracle, from.stepsBytes(), from.evalsBytes())) {
            RunEnvironment env = RunEnvironment.of(backend);
            log.println("optlab train " + c.name() + ": " + env.log());
            if (from != null) {
                log.println("resuming from the checkpoint after step " + from.position().step() + " in "
                        + c.out().resolve(Checkpoint.FOLDER));
            }
            files.summary(RunFiles.summaryJson(c, env, "running", null, null), false);
            Thread hook = new Thread(() -> failed(files, env, tally, "interrupted: the JVM shut down during step " + tally.steps));
            Runtime.getRuntime().addShutdownHook(hook);
            tally.pool = pool;
            try {
                return train(backend, scope, pool, files, env, tally, from);
            } catch (IOException | RuntimeException | Error e) {
                failed(files, env, tally, String.valueOf(e));
                throw e;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or has run: it wrote the summary
                }
            }
        }
    }

    private void failed(RunFiles files, RunEnvironment env, Tally tally, String error) {
        try {
            files.summary(RunFiles.summaryJson(config, env, RunResult.Status.FAILED.key(),
                    tally.result(RunResult.Status.FAILED, -1, 0, 0, config), error), true);
        } catch (IOException | RuntimeException e) {
            log.println("optlab train: could not write summary.json: " + e);
        }
    }

    private RunResult train(Backend backend, Scope scope, BufferPool pool, RunFiles files, RunEnvironment env, Tally tally,
            Checkpoint from) throws IOException {
        RunConfig c = config;
        if (c.saveTo() != null && c.saveTo().toAbsolutePath().getParent() != null) {
            Files.createDirectories(c.saveTo().toAbsolutePath().getParent()); // now, not after hours of training
        }
        DataSpec.Loaded data = c.data().load(c.dtype(), scope);
        Dataset train = data.train();
        if (!train.isClassification()) {
            throw new IllegalArgumentException("train: dataset " + train.name() + " is not a classification task");
        }
        Batches batches = batches(train);
        Tensor x = batches.featureBuffer(scope), y = batches.targetBuffer(scope);
        long perEpoch = batches.batchesPerEpoch();
        long total = c.steps() > 0 ? c.steps() : c.epochs() * perEpoch;
        long evalEvery = c.evalEvery() > 0 ? c.evalEvery() : c.steps() > 0 ? Math.max(1, (total + 9) / 10) : perEpoch;
        Optimizer opt = c.optimizer();
        Schedule schedule = c.schedule().build(opt.lr(), total);
        tally.warmAfter = (from == null ? 0 : from.position().step()) + perEpoch;
        boolean f32 = c.dtype() == DType.F32;

        Dataset validation = data.validation();
        EndPoint end = null;
        if (c.geometry() != null) {
            end = endPoint(backend, scope, pool, train, x, y, total);
        }
        try (Model model = model(train)) {
            Objective objective = Objective.of(model, c.loss(), train.numClasses());
            checkInputs(model, train, objective.flatten());
            if (from != null) {
                // After model(): μP/NTK's frozen copy is w_0 (from the seed or init.from), as in the run that was killed.
                SafeTensors.loadInto(from.weights(), model.stateDict());
                model.setStep(from.modelStep());
            }
            model.place(backend); // a device backend: weights, gradients (and below the optimizer state) live there
            checkClasses(model, objective, train, backend, pool);
            ModelSpace space = ModelSpace.of(model, objective.flatten() ? null : train.sampleShape());
            try (OptimizerState state = from == null ? PathSupport.initState(opt, space, c.model())
                    : resumeState(opt, space, from)) {
                List<Probe> probes = probes(c, space, tally, end);
                TrainingLoop loop = new TrainingLoop(model, opt, state, objective, backend, pool, schedule, probes);
                files.evalColumns(validation != null, loop.probeEvalColumns());
                log.printf("model %s (%,d parameters, %s); data %s (%d train, %s%d test); %s; batch %d, %d steps (%d per epoch)%n",
                        c.model() + (c.parameterization().kind() == Parameterization.Kind.STANDARD ? ""
                                : " under " + c.parameterization().spec()), model.numParameters(), c.dtype(), train.name(),
                        train.size(), validation == null ? "" : validation.size() + " validation, ", data.test().size(),
                        opt.spec(), c.batchSize(), total, perEpoch);
                RunContext run = new RunContext(c.out(), model, objective, opt, backend, pool, total, perEpoch, train,
                        data.test(), c.seed(), log);
                LongPredicate evalAt = k -> k == total || (k % evalEvery == 0 && (k > 0 || c.evalAtStart()));
                boolean oracleRule = logsGradientEvaluations(opt);
                TrainingLoop.CheckpointSink checkpoints = at -> Checkpoint.save(c.out(), c, model, state, at,
                        new Checkpoint.Saved(model.step(), files.sync(), tally.train, tally.test, tally.validation,
                                tally.evaluated, System.nanoTime() - tally.start));
                LoopResult lr = loop.run(run, BatchSource.epochs(batches), x, y, total, evalAt, k -> {
                    tally.train = objective.evaluate(model, train, c.evalTrainSamples(), backend, pool, c.evalBatchSize());
                    tally.test = objective.evaluate(model, data.test(), Integer.MAX_VALUE, backend, pool, c.evalBatchSize());
                    Map<String, Metrics> m = new LinkedHashMap<>();
                    m.put("train", tally.train);
                    m.put("test", tally.test);
                    if (validation != null) {
                        tally.validation = objective.evaluate(model, validation, Integer.MAX_VALUE, backend, pool,
                                c.evalBatchSize());
                        m.put("validation", tally.validation);
                    }
                    tally.evaluated = true;
                    return m;
                }, (e, cells) -> {
                    files.eval(e.step(), e.epoch(), tally.train, tally.test, tally.validation, cells);
                    log.println("eval step " + e.step() + ": train " + tally.train + ", test " + tally.test
                            + (validation == null ? "" : ", validation " + tally.validation)
                            + describe(loop.probeEvalColumns(), cells));
                }, r -> files.step(r.step(), r.loss(), f32, r.lr(), r.trainSeconds(), oracleRule ? r.gradientEvaluations() : -1),
                        from == null ? LoopPosition.START : from.position(), c.checkpointEvery(), checkpoints);
                tally.pathNorm = probes.stream().filter(p -> p instanceof PathNorm).mapToDouble(p -> ((PathNorm) p).last())
                        .findFirst().orElse(Double.NaN);
                if (c.saveTo() != null) {
                    try (Scope host = Scope.open()) { // a model on a device is copied to the host first
                        SafeTensors.write(c.saveTo(), model.stateDictOnHost(host), Map.of("model", c.model(), "step",
                                Long.toString(tally.steps)), model.int64Keys());
                    }
                }
                RunResult.Status status = lr.diverged() ? RunResult.Status.DIVERGED : RunResult.Status.COMPLETED;
                long poolEnd = pool.allocatedBytes();
                RunResult r = tally.result(status, lr.divergedAt(), tally.poolWarm < 0 ? poolEnd : tally.poolWarm, poolEnd, c);
                ObjectNode summary = RunFiles.summaryJson(c, env, status.key(), r, null);
                for (Probe p : probes) {
                    p.summarize(summary);
                }
                files.summary(summary, true);
                Checkpoint.delete(c.out()); // the run has ended: nothing to resume
                log.printf("%s after %d steps in %.1f s (%.0f samples/s training)%s%n", status.key(), r.stepsDone(),
                        r.wallSeconds(), r.samplesPerSecond(), lr.diverged() ? ": " + lr.divergedBecause() + " at step "
                                + lr.divergedAt() : "");
                return r;
            }
        }
    }

    private static OptimizerState resumeState(Optimizer opt, ModelSpace space, Checkpoint from) throws IOException {
        OptimizerState loaded = from.loadOptimizerState(space.values().numel());
        try {
            return opt.resume(loaded, space);
        } catch (IllegalArgumentException e) {
            loaded.close();
            throw new IOException(from.optimizerState() + ": " + e.getMessage(), e);
        }
    }

    private Batches batches(Dataset train) {
        return new Batches(train, config.batchSize(), config.shuffle() ? Shuffle.seeded(config.seed()) : Shuffle.off(), false);
    }

    /** The model at w_0: built from the seed, then unbalanced or loaded as the config says. */
    private Model model(Dataset train) throws IOException {
        RunConfig c = config;
        Model model = c.parameterization().build(c.model(), c.dtype(), c.initScheme(), c.seed());
        try {
            if (c.unbalanced() != null) {
                PathSupport.unbalance(model, c.unbalanced(), c.seed(), c.model());
            }
            if (c.initFrom() != null) {
                SafeTensors.loadInto(c.initFrom(), model.stateDict());
                if (model.outputStage() != null) {
                    model.outputStage().rebase(model); // μP/NTK: center on the loaded network, f ≡ 0 at step 0
                }
            }
            return model;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The first pass of a geometry run: the same model, optimizer, schedule and batches as the run, trained to the end
     * with no evaluations and no probes, its final parameters copied into {@code scope} as w*. The second pass (the
     * run proper) retraces it with the geometry probes, which check at the end that it arrived at w* bit for bit.
     * A first pass that diverges leaves no end point: the run then goes on without geometry.
     */
    private EndPoint endPoint(Backend backend, Scope scope, BufferPool pool, Dataset train, Tensor x, Tensor y, long total)
            throws IOException {
        RunConfig c = config;
        log.printf("geometry: first pass, %d steps to the end point w*%n", total);
        long t0 = System.nanoTime();
        Batches batches = batches(train);
        try (Model model = model(train)) {
            Objective objective = Objective.of(model, c.loss(), train.numClasses());
            ModelSpace space = ModelSpace.of(model, objective.flatten() ? null : train.sampleShape());
            Optimizer opt = c.optimizer();
            try (OptimizerState state = PathSupport.initState(opt, space, c.model())) {
                TrainingLoop loop = new TrainingLoop(model, opt, state, objective, backend, pool,
                        c.schedule().build(opt.lr(), total), List.of());
                LoopResult r = loop.run(new RunContext(null, model, objective, opt, backend, pool, total,
                        batches.batchesPerEpoch(), train, null, c.seed(), log), BatchSource.epochs(batches), x, y, total,
                        k -> false, k -> Map.of(), (e, cells) -> { }, row -> { });
                if (r.diverged()) {
                    log.printf("geometry: the first pass diverged at step %d (%s): no end point, no geometry%n",
                            r.divergedAt(), r.divergedBecause());
                    return null;
                }
                log.printf("geometry: end point after %d steps in %.1f s; second pass records the path%n", r.stepsDone(),
                        (System.nanoTime() - t0) * 1e-9);
                return EndPoint.of(scope.copyOf(model.parameters()));
            }
        }
    }

    /**
     * The run's probes: divergence, progress and bookkeeping always; path_norm when the model has paths; the geometry
     * probe when the run has an end point (before the config's, so its retrace check fails the run before any other
     * probe writes a file measured against w*); the config's; the extra ones from code.
     */
    private List<Probe> probes(RunConfig c, ModelSpace space, Tally tally, EndPoint end) {
        List<Probe> probes = new ArrayList<>();
        probes.add(new Divergence(Double.POSITIVE_INFINITY, c.checkEvery()));
        probes.add(new Progress());
        probes.add(new Probe() {
            @Override
            public String name() {
                return "tally";
            }

            @Override
            public void afterUpdate(StepView s) {
                tally.trainNanos = Math.round(s.trainSeconds() * 1e9);
                tally.samples = s.samples();
                tally.steps = s.step() + 1;
                if (tally.poolWarm < 0 && tally.evaluated && s.step() + 1 >= tally.warmAfter) {
                    tally.poolWarm = tally.pool.allocatedBytes(); // every buffer size of a step and an evaluation seen
                }
            }
        });
        boolean explicitNorm = c.probes().stream().anyMatch(p -> p.name().equals("path_norm"));
        if (!explicitNorm) {
            PathNorm norm = PathNorm.ifSupported(space, 2);
            if (norm != null) {
                probes.add(norm);
            }
        }
        if (end != null) {
            probes.add(c.geometry().build(space, end));
        }
        for (ProbeSpec p : c.probes()) {
            if (end == null && ProbeSpec.NEEDS_END_POINT.contains(p.name())) {
                continue; // the first pass diverged: nothing to measure against
            }
            probes.add(p.build(space, end == null ? EndPoint.initial() : end));
        }
        probes.addAll(extra);
        return probes;
    }

    private static String describe(List<String> columns, List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            sb.append(", ").append(columns.get(i).replace('_', ' ')).append(' ').append(cells.get(i) == null ? "-"
                    : String.format("%.5g", Double.parseDouble(cells.get(i))));
        }
        return sb.toString();
    }

    /** An MLP's first Linear must take a whole flattened sample: say so before anything runs. */
    private void checkInputs(Model model, Dataset train, boolean flatten) {
        Tensor first = model.namedParameters().values().iterator().next().value();
        if (flatten && first.rank() == 2 && first.dim(1) != train.sampleNumel()) {
            throw new IllegalArgumentException("train: model " + config.model() + " takes " + first.dim(1)
                    + " input features but the samples of " + train.name() + " have shape "
                    + java.util.Arrays.toString(train.sampleShape()) + " (" + train.sampleNumel() + " features)");
        }
    }

    /** One training sample through the model in eval mode, so a wrong output width fails before anything runs. */
    private void checkClasses(Model model, Objective objective, Dataset train, Backend backend, BufferPool pool) {
        Tensor logits;
        boolean training = model.training();
        model.eval(); // no training step counted, no running statistics updated
        try (Graph g = Graph.noGrad(backend, pool)) {
            logits = model.forward(g, Variable.constant(g.place(objective.input(train.featureRows(0, 1, g.scope()))))).value();
            if (logits.rank() != 2 || logits.dim(1) != train.numClasses()) {
                throw new IllegalArgumentException("train: model " + config.model() + " outputs "
                        + java.util.Arrays.toString(logits.shape()) + " per batch but " + train.name() + " has "
                        + train.numClasses() + " classes");
            }
        } catch (UnsupportedOperationException e) {
            // A layer the device backend has no kernel for: refused before the run starts, as a config error.
            throw new ConfigException("backend", e.getMessage());
        } finally {
            if (training) {
                model.train();
            }
        }
    }
}
