package optlab.experiments.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.Map;
import optlab.experiments.data.Batches;
import optlab.experiments.data.Dataset;
import optlab.experiments.data.Shuffle;
import optlab.models.Model;
import optlab.models.io.SafeTensors;
import optlab.models.zoo.Zoo;
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
 * <p>Divergence: the loss is checked every step; the parameters (a full scan) before every evaluation, every
 * {@code check_every} steps and at the end. Either non-finite ends the run with status "diverged" at that step.
 */
public final class Trainer {
    private final RunConfig config;
    private final PrintStream log;

    public Trainer(RunConfig config, PrintStream log) {
        this.config = config;
        this.log = log;
    }

    /** Runs and writes results; on an exception the summary says "failed" with the message before it propagates. */
    public RunResult run() throws IOException {
        long start = System.nanoTime();
        RunConfig c = config;
        try (Backend backend = Backends.cpu(c.threads()); Scope scope = Scope.open(); BufferPool pool = new BufferPool();
             RunFiles files = new RunFiles(c.out())) {
            RunEnvironment env = RunEnvironment.of(backend);
            log.println("optlab train " + c.name() + ": " + env.log());
            files.summary(RunFiles.summaryJson(c, env, "running", null, null));
            try {
                return train(backend, scope, pool, files, env, start);
            } catch (IOException | RuntimeException | Error e) {
                files.summary(RunFiles.summaryJson(c, env, RunResult.Status.FAILED.key(), null, String.valueOf(e)));
                throw e;
            }
        }
    }

    private RunResult train(Backend backend, Scope scope, BufferPool pool, RunFiles files, RunEnvironment env, long start)
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

        try (Model model = Zoo.build(c.model(), c.dtype(), c.initScheme(), c.seed());
             OptimizerState state = opt.init(model.parameters())) {
            if (c.initFrom() != null) {
                SafeTensors.loadInto(c.initFrom(), model.stateDict());
            }
            log.printf("model %s (%,d parameters, %s); data %s (%d train, %d test); %s; batch %d, %d steps (%d per epoch)%n",
                    c.model(), model.numParameters(), c.dtype(), train.name(), train.size(), data.test().size(),
                    opt.spec(), c.batchSize(), total, perEpoch);
            Progress progress = new Progress(log, total);
            Metrics lastTrain = Metrics.NONE, lastTest = Metrics.NONE;
            long diverged = -1, samples = 0, trainNanos = 0, poolWarm = -1;
            boolean evaluated = false;
            int epoch = 0;
            for (long k = 0; k <= total && diverged < 0; k++) {
                boolean evalNow = k == total || (k % evalEvery == 0 && (k > 0 || c.evalAtStart()));
                boolean scanNow = evalNow || (c.checkEvery() > 0 && k > 0 && k % c.checkEvery() == 0);
                if (scanNow && !Finite.all(model.parameters())) {
                    diverged = k;
                    break;
                }
                if (evalNow) {
                    lastTrain = evaluator.evaluate(model, train, c.evalTrainSamples());
                    lastTest = evaluator.evaluate(model, data.test(), Integer.MAX_VALUE);
                    evaluated = true;
                    files.eval(k, (double) k / perEpoch, lastTrain, lastTest);
                    log.println("eval step " + k + ": train " + lastTrain + ", test " + lastTest);
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
                    Variable l = Losses.node(g, c.loss(), logits, yb, train.numClasses());
                    loss = l.value().item();
                    if (Double.isFinite(loss)) {
                        g.backward(l);
                    }
                }
                if (Double.isFinite(loss)) {
                    opt.step(state, model.parameters(), model.gradients(), lr);
                    samples += b;
                }
                if (poolWarm < 0 && evaluated) {
                    poolWarm = pool.allocatedBytes(); // every buffer size of a step and an evaluation has been seen
                }
                trainNanos += System.nanoTime() - t0;
                files.step(k, loss, f32, lr, trainNanos * 1e-9);
                if (!Double.isFinite(loss)) {
                    diverged = k;
                    break;
                }
                progress.update(k, (double) (k + 1) / perEpoch, loss, lr, samples, trainNanos * 1e-9);
            }
            long done = diverged >= 0 ? diverged : total;
            if (c.saveTo() != null) {
                SafeTensors.write(c.saveTo(), model.stateDict(), Map.of("model", c.model(), "step", Long.toString(done)));
            }
            double wall = (System.nanoTime() - start) * 1e-9;
            RunResult r = new RunResult(diverged >= 0 ? RunResult.Status.DIVERGED : RunResult.Status.COMPLETED, diverged,
                    done, lastTrain, lastTest, wall, samples / Math.max(trainNanos * 1e-9, 1e-9),
                    poolWarm < 0 ? pool.allocatedBytes() : poolWarm, pool.allocatedBytes(), c.out());
            files.summary(RunFiles.summaryJson(c, env, r.status().key(), r, null));
            log.printf("%s after %d steps in %.1f s (%.0f samples/s training)%s%n", r.status().key(), done, wall,
                    r.samplesPerSecond(), diverged >= 0 ? ": non-finite loss or parameters at step " + diverged : "");
            return r;
        }
    }
}
