package demo.consumer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import optlab.experiments.run.RunConfig;
import optlab.experiments.run.Runs;
import optlab.models.Model;
import optlab.models.init.InitScheme;
import optlab.models.zoo.Zoo;
import optlab.optim.OptimizerState;
import optlab.optim.SGD;
import optlab.tensor.BufferPool;
import optlab.tensor.DType;
import optlab.tensor.Labels;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;

/** The README's library examples, as a program: a model trained by hand, then a whole run from a config. */
public final class Demo {
    private Demo() {
    }

    /** Trains mlp:2-16-2 on four points (XOR-like) with plain SGD; returns the first and the last loss. */
    public static double[] trainByHand(Backend backend, int steps) {
        try (Scope scope = Scope.open(); BufferPool pool = new BufferPool();
             Model m = Zoo.build("mlp:2-16-2", DType.F32, InitScheme.PYTORCH, 1)) {
            // Inputs: a [N, 2] tensor; labels: class indices in [0, 2) from Java integers, as a [N] tensor of the model's dtype.
            Tensor x = scope.of(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
            Tensor labels = Labels.of(scope, DType.F32, 2, 0, 1, 1, 0);
            SGD sgd = new SGD(0.5, 0.9);
            double first = Double.NaN, last = Double.NaN;
            try (OptimizerState state = sgd.init(m.parameters())) {
                for (int step = 0; step < steps; step++) {
                    m.zeroGrad();
                    try (Graph g = Graph.open(backend, pool)) {
                        Variable loss = g.crossEntropy(m.forward(g, Variable.constant(x)), labels);
                        last = loss.value().item();
                        first = step == 0 ? last : first;
                        g.backward(loss);
                    }
                    sgd.step(state, m.parameters(), m.gradients());
                }
            }
            return new double[] {first, last};
        }
    }

    /** A whole run through the run API: config → run → results and plots, in {@code out}. */
    public static Runs.Outcome run(Path out) throws IOException {
        RunConfig config = Runs.config("""
                {"model": "mlp:16-32-4", "optimizer": "sgd:lr=0.1,momentum=0.9", "batch_size": 50, "steps": 120,
                 "seed": 1, "threads": 1,
                 "data": {"source": "gaussian-mixture", "classes": 4, "dim": 16, "train": 2000, "test": 500},
                 "out": "%s"}""".formatted(out.toString().replace("\\", "/")));
        return Runs.train(config);
    }

    public static void main(String[] args) throws IOException {
        try (Backend cpu = Backends.cpu()) {
            double[] loss = trainByHand(cpu, 200);
            System.out.printf("by hand: loss %.4f -> %.4f%n", loss[0], loss[1]);
        }
        Runs.Outcome done = run(args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("optlab-demo"));
        System.out.println("run: " + done.result().status() + ", test " + done.result().test() + ", plots " + done.plots());
    }
}
