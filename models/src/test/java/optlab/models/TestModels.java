package optlab.models;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import optlab.models.init.InitScheme;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.GradCheck;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;

/** Shared test helpers: F64 models, random inputs, and a gradient check over a module's parameters and input. */
public final class TestModels {
    /** Finite differences on small F64 layers: ε = 1e-6, rtol 1e-6 (GradCheck's default), a few dozen elements each. */
    public static final GradCheck CHECK = new GradCheck(1e-6, 1e-6, 1e-7, 24, 7);

    private TestModels() {
    }

    public static Model f64(Module m, long seed) {
        return Model.build(m, DType.F64, InitScheme.PYTORCH, seed);
    }

    /** Uniform values in [−1, 1). */
    public static Tensor rand(Scope s, DType dtype, long seed, int... shape) {
        return s.uniform(dtype, new SplittableRandom(seed), -1, 1, shape);
    }

    /**
     * Checks ∂(module(x))/∂(x and every parameter) by finite differences in F64; {@code f} runs the
     * forward pass (so a test can reseed or switch modes inside it).
     */
    public static GradCheck.Result gradCheck(Backend backend, Model model, Tensor x,
            BiFunction<Graph, Variable, Variable> f) {
        try (Scope grads = Scope.open()) {
            Variable input = Variable.parameter(x, grads);
            List<Variable> all = new ArrayList<>();
            all.add(input);
            for (Parameter p : model.namedParameters().values()) {
                all.add(p.variable());
            }
            return CHECK.verifyParameters(backend, g -> f.apply(g, input), all);
        }
    }

    /** The plain forward pass as the checked function. */
    public static GradCheck.Result gradCheck(Backend backend, Model model, Tensor x) {
        return gradCheck(backend, model, x, (g, v) -> model.root().forward(g, v));
    }
}
