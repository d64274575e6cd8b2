package optlab.optim;

import java.util.List;
import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/** Shared test configurations: one or more settings of every rule, plus small tensor helpers. */
public final class OptimConfigs {
    private OptimConfigs() {
    }

    /** Every rule with its options switched on somewhere (maximize included). */
    public static final List<String> ALL = List.of(
            "sgd:lr=0.1",
            "sgd:lr=0.05,momentum=0.9",
            "sgd:lr=0.05,momentum=0.9,dampening=0.3,weight_decay=0.1",
            "sgd:lr=0.05,momentum=0.8,nesterov=true,weight_decay=0.01",
            "sgd:lr=0.05,momentum=0.5,maximize=true",
            "adagrad:lr=0.3",
            "adagrad:lr=0.3,lr_decay=1e-4,weight_decay=0.05,initial_accumulator_value=0.2,eps=1e-6",
            "adagrad:lr=0.3,maximize=true",
            "rmsprop:lr=0.01",
            "rmsprop:lr=0.01,alpha=0.9,momentum=0.5,weight_decay=0.1",
            "rmsprop:lr=0.01,alpha=0.8,centered=true,momentum=0.9,eps=1e-4",
            "rmsprop:lr=0.01,centered=true,maximize=true",
            "adam:lr=0.1",
            "adam:lr=0.1,betas=(0.8,0.99),eps=1e-6,weight_decay=0.1",
            "adam:lr=0.1,amsgrad=true,maximize=true",
            "adamw:lr=0.1",
            "adamw:lr=0.1,betas=(0.5,0.9),weight_decay=0.02",
            "rmsprop-kurbiel:lr=0.01",
            "rmsprop-kurbiel:lr=0.01,rho=0.8,momentum=0.5,eps=1e-6,weight_decay=0.1");

    /**
     * The gradient-flow integrators of optlab.optim.integrate with their options on somewhere (the Kutta tableau
     * of "rk" runs the all-stages path). Kept apart from {@link #ALL}, whose rules are torch's and fused chains.
     */
    public static final List<String> INTEGRATORS = List.of(
            "euler:lr=0.1",
            "euler:lr=0.05,momentum=0.9,weight_decay=0.1",
            "heun:lr=0.1",
            "heun:lr=0.1,momentum=0.5,weight_decay=0.05",
            "midpoint:lr=0.1",
            "ralston:lr=0.1",
            "rk4:lr=0.1",
            "rk4:lr=0.1,momentum=0.8,nesterov=true,weight_decay=0.01",
            "rk:lr=0.1,a=[[0.5],[-1.0,2.0]],b=[0.16666666666666666,0.6666666666666666,0.16666666666666666]",
            "ab2:lr=0.1",
            "ab2:lr=0.1,weight_decay=0.05",
            "ab3:lr=0.1",
            "ab3:lr=0.1,momentum=0.5,dampening=0.3,weight_decay=0.1",
            "rk23:lr=0.1",
            "rk23:lr=0.1,tol=1e-4,weight_decay=0.1");

    /** Uniform values in [lo, hi) from a seed. */
    public static double[] uniform(long seed, int n, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo + (hi - lo) * r.nextDouble();
        }
        return x;
    }

    /** Writes values into a tensor (rounding to its dtype). */
    public static void fill(Tensor t, double[] v) {
        for (int i = 0; i < v.length; i++) {
            t.setFlat(i, v[i]);
        }
    }

    public static Tensor of(Scope scope, DType dtype, double... v) {
        Tensor t = scope.empty(dtype, v.length);
        fill(t, v);
        return t;
    }
}
