package optlab.experiments.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import optlab.experiments.data.Batches;
import optlab.experiments.data.Dataset;
import optlab.experiments.data.Shuffle;
import optlab.models.Model;
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
 * Runs one {@link RunConfig} to the end and writes its folder (see {@link RunFiles}). Step k: copy batch k into
 * the reused batch tensors, zero the gradients, forward and loss in a graph leased from one {@link BufferPool}
 * (so no new large buffers after the first step), backward, then the optimizer step at the schedule's lr(k).
 * Everything random derives from the config's seed (init, shuffling, dropout), and the kernels are
 * deterministic for a fixed thread count and vector width, so the same config gives the same losses bit for bit.
 *
 * <p>Divergence: the loss is checked every step (free); the parameters, a full scan (4.4 ms per 19.2M floats),
 * before every evaluation, every {@code check_every} steps and at the end. Either non-finite ends the run with
 * status "diverged" at that step. A run that throws, or whose JVM shuts down (Ctrl-C), ends "failed".
 */
public final class Trainer {
    private final RunConfig config;
    private final PrintStream log;

    public Trainer(RunConfig config, PrintStream log) {
        this.config = config;
        this.log = log;
    }

    /** What the run has done so far: read by the failure path and the shutdown hook, hence volatile. */
    private static final class Tally {
        final long start = System.nanoTime();
        volatile long steps;
        volatile long samples;
        volatile long trainNanos;
        volatile Metrics train = Metrics.NONE;
        volatile Metrics test = Metrics.NONE;
        volatile Metrics validation = Metrics.NONE;
        volatile double pathNorm = Double.NaN;

        RunResult result(RunResult.Status status, long diverged, long poolWarm, long poolEnd, RunConfig c) {
            double seconds = trainNanos * 1e-9;
            return new RunResult(status, diverged, steps, train, test, validation, pathNorm, (System.nanoTime() - start) * 1e-9,
                    seconds > 0 ? samples / seconds : 0, poolWarm, poolEnd, c.out());
        }
    }

    /** Runs and writes results; on an exception the summary says "failed" with the message before it propagates. */
    public RunResult run() throws IOException {
        RunConfig c = config;
        Tally tally = new Tally();
        try (Backend backend = Backends.cpu(c.threads()); Scope scope = Scope.open(); BufferPool pool = new BufferPool();
             RunFiles files = new RunFiles(c.out())) {
            RunEnvironment env = RunEnvironment.of(backend);
            log.println("optlab train " + c.name() + ": " + env.log());
            files.summary(RunFiles.summaryJson(c, env, "running", null, null), false);
            Thread hook = new Thread(() -> failed(files, env, tally, "interrupted: the JVM shut down during step " + tally.steps));
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return train(backend, scope, pool, files, env, tally);
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

    private RunResult train(Backend backend, Scope scope, BufferPool pool, RunFiles files, RunEnvironment env, Tally tally)
            throws IOException {
        RunConfig c = config;
        if (c.saveTo() != null && c.saveTo().toAbsolutePath().getParent() != null) {
            Files.createDirectories(c.saveTo().toAbsolutePath().getParent()); // now, not after hours of training
        }
        DataSpec.Loaded data = c.data().load(c.dtype(), scope);
        Dataset train = data.train();
        if (!train.isClassification()) {
            throw new IllegalArgumentException("train: dataset " + train.name() + " is not a classification task");
        }
        Batches batches = new Batches(train, c.batchSize(), c.shuffle() ? Shuffle.seeded(c.seed()) : Shuffle.off(), false);
        Tensor x = batches.featureBuffer(scope), y = batches.targetBuffer(scope);
        boolean flatten = Inputs.flattens(c.model());
        long perEpoch = batches.batchesPerEpoch();
        long total = c.steps() > 0 ? c.steps() : c.epochs() * perEpoch;
        long evalEvery = c.evalEvery() > 0 ? c.evalEvery() : c.steps() > 0 ? Math.max(1, (total + 9) / 10) : perEpoch;
        Optimizer opt = c.optimizer();
        Schedule schedule = c.schedule().build(opt.lr(), total);
        Evaluator evaluator = new Evaluator(backend, pool, c.loss(), flatten, c.evalBatchSize());
        boolean f32 = c.dtype() == DType.F32;

        Dataset validation = data.validation();
        try (Model model = c.parameterization().build(c.model(), c.dtype(), c.initScheme(), c.seed());
             OptimizerState state = PathSupport.initState(opt, model, c.model(), flatten, train.sampleShape()).runOn(backend)) {
            if (c.unbalanced() != null) {
                PathSupport.unbalance(model, c.unbalanced(), c.seed(), c.model());
            }
            if (c.initFrom() != null) {
                SafeTensors.loadInto(c.initFrom(), model.stateDict());
            }
            checkInputs(model, train, flatten);
            ToDoubleFunction<Model> pathNorm = PathSupport.pathNorm(opt, model, flatten, train.sampleShape());
            files.evalColumns(validation != null, pathNorm != null);
            log.printf("model %s (%,d parameters, %s); data %s (%d train, %s%d test); %s; batch %d, %d steps (%d per epoch)%n",
                    c.model() + (c.parameterization().kind() == Parameterization.Kind.STANDARD ? ""
                            : " under " + c.parameterization().spec()), model.numParameters(), c.dtype(), train.name(), train.size(),
                    validation == null ? "" : validation.size() + " validation, ", data.test().size(),
                    opt.spec(), c.batchSize(), total, perEpoch);
            Progress progress = new Progress(log, total);
            long diverged = -1, poolWarm = -1;
            boolean evaluated = false;
            int epoch = 0;
            for (long k = 0; k <= total; k++) {
                boolean evalNow = k == total || (k % evalEvery == 0 && (k > 0 || c.evalAtStart()));
                boolean scanNow = evalNow || (c.checkEvery() > 0 && k > 0 && k % c.checkEvery() == 0);
                if (scanNow && !Finite.all(model.parameters())) {
                    diverged = k;
                    break;
                }
                if (evalNow) {
                    tally.train = evaluator.evaluate(model, train, c.evalTrainSamples());
                    tally.test = evaluator.evaluate(model, data.test(), Integer.MAX_VALUE);
                    if (validation != null) {
                        tally.validation = evaluator.evaluate(model, validation, Integer.MAX_VALUE);
                    }
                    if (pathNorm != null) {
                        tally.pathNorm = pathNorm.applyAsDouble(model);
                    }
                    evaluated = true;
                    files.eval(k, (double) k / perEpoch, tally.train, tally.test, tally.validation, tally.pathNorm);
                    log.println("eval step " + k + ": train " + tally.train + ", test " + tally.test
                            + (validation == null ? "" : ", validation " + tally.validation)
                            + (pathNorm == null ? "" : String.format(", path norm %.5g", tally.pathNorm)));
                }
                if (k == total) {
                    break;
                }
                long t0 = System.nanoTime();
                int b = batches.next(x, y);
                if (b == 0) {
                    batches.startEpoch(++epoch);
                    b = batches.next(x, y);
                }
                Tensor xb = b == c.batchSize() ? x : x.slice(0, 0, b), yb = b == c.batchSize() ? y : y.slice(0, 0, b);
                double lr = schedule.lr(k);
                double loss;
                model.zeroGrad();
                try (Graph g = Graph.open(backend, pool)) {
                    Variable logits = model.forward(g, Variable.constant(Inputs.shape(xb, flatten)));
                    if (k == 0) {
                        checkClasses(logits.value(), train);
                    }
                    Variable l = Losses.node(g, c.loss(), logits, yb, train.numClasses());
                    loss = l.value().item();
                    if (Double.isFinite(loss)) {
                        g.backward(l);
                    }
                }
                if (!Double.isFinite(loss)) {
                    files.step(k, loss, f32, lr, tally.trainNanos * 1e-9); // the bad loss is the last row
                    diverged = k;
                    break;
                }
                opt.step(state, model.parameters(), model.gradients(), lr);
                tally.trainNanos += System.nanoTime() - t0;
                tally.samples += b;
                tally.steps = k + 1;
                files.step(k, loss, f32, lr, tally.trainNanos * 1e-9);
                if (poolWarm < 0 && evaluated) {
                    poolWarm = pool.allocatedBytes(); // every buffer size of a step and an evaluation has been seen
                }
                progress.update(k, (double) (k + 1) / perEpoch, loss, lr, tally.samples, tally.trainNanos * 1e-9);
            }
            if (c.saveTo() != null) {
                SafeTensors.write(c.saveTo(), model.stateDict(), Map.of("model", c.model(), "step", Long.toString(tally.steps)),
                        model.int64Keys());
            }
            RunResult.Status status = diverged >= 0 ? RunResult.Status.DIVERGED : RunResult.Status.COMPLETED;
            long poolEnd = pool.allocatedBytes();
            RunResult r = tally.result(status, diverged, poolWarm < 0 ? poolEnd : poolWarm, poolEnd, c);
            files.summary(RunFiles.summaryJson(c, env, status.key(), r, null), true);
            log.printf("%s after %d steps in %.1f s (%.0f samples/s training)%s%n", status.key(), r.stepsDone(),
                    r.wallSeconds(), r.samplesPerSecond(), diverged >= 0 ? ": non-finite loss or parameters at step " + diverged : "");
            return r;
        }
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

    private void checkClasses(Tensor logits, Dataset train) {
        if (logits.rank() != 2 || logits.dim(1) != train.numClasses()) {
            throw new IllegalArgumentException("train: model " + config.model() + " outputs "
                    + java.util.Arrays.toString(logits.shape()) + " per batch but " + train.name() + " has "
                    + train.numClasses() + " classes");
        }
    }
}
