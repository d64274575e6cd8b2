package optlab.optim.reference;

import java.util.HashMap;
import java.util.Map;
import optlab.optim.Adagrad;
import optlab.optim.Adam;
import optlab.optim.AdamW;
import optlab.optim.Optimizer;
import optlab.optim.RMSprop;
import optlab.optim.RmsPropKurbiel;
import optlab.optim.SGD;

/**
 * The oracle: each rule written out as torch.optim's single-tensor loop (torch 1.13
 * {@code _single_tensor_*}), element by element in double, independent of the transform chains and
 * kernels it checks. State buffers use torch's names; the step counter is {@link #step}.
 */
public final class RefRules {
    /** Per-rule state: buffers by torch's names, created on first use as torch does. */
    public final Map<String, double[]> state = new HashMap<>();
    public long step;

    /** One step of {@code o} at learning rate lr on p (in place) with gradient g. */
    public void step(Optimizer o, double lr, double[] p, double[] g) {
        step++;
        switch (o) {
            case SGD h -> sgd(h, lr, p, g);
            case Adagrad h -> adagrad(h, lr, p, g);
            case RMSprop h -> rmsprop(h, lr, p, g);
            case RmsPropKurbiel h -> rmsPropKurbiel(h, lr, p, g);
            case Adam h -> adam(lr, h.beta1(), h.beta2(), h.eps(), h.weightDecay(), 0, h.amsgrad(), h.maximize(), p, g);
            case AdamW h -> adam(lr, h.beta1(), h.beta2(), h.eps(), 0, h.weightDecay(), h.amsgrad(), h.maximize(), p, g);
            default -> throw new IllegalArgumentException("no reference for " + o);
        }
    }

    private double[] buf(String name, int n, double init) {
        return state.computeIfAbsent(name, k -> {
            double[] b = new double[n];
            java.util.Arrays.fill(b, init);
            return b;
        });
    }

    private void sgd(SGD h, double lr, double[] p, double[] g) {
        boolean first = !state.containsKey("momentum_buffer");
        double[] buf = h.momentum() != 0 ? buf("momentum_buffer", p.length, 0) : null;
        for (int i = 0; i < p.length; i++) {
            double d = h.maximize() ? -g[i] : g[i];
            if (h.weightDecay() != 0) {
                d = d + h.weightDecay() * p[i];
            }
            if (h.momentum() != 0) {
                buf[i] = first ? d : h.momentum() * buf[i] + (1 - h.dampening()) * d;
                d = h.nesterov() ? d + h.momentum() * buf[i] : buf[i];
            }
            p[i] = p[i] - lr * d;
        }
    }

    private void adagrad(Adagrad h, double lr, double[] p, double[] g) {
        double[] sum = buf("sum", p.length, h.initialAccumulatorValue());
        double clr = lr / (1 + (step - 1) * h.lrDecay());
        for (int i = 0; i < p.length; i++) {
            double d = h.maximize() ? -g[i] : g[i];
            if (h.weightDecay() != 0) {
                d = d + h.weightDecay() * p[i];
            }
            sum[i] = sum[i] + d * d;
            p[i] = p[i] - clr * d / (Math.sqrt(sum[i]) + h.eps());
        }
    }

    /**
     * As the authors' UpdateWeights.m: the running magnitude r itself (not its square), a plain step first.
     * Also keeps square_avg = r², the chain's state, for comparison.
     */
    private void rmsPropKurbiel(RmsPropKurbiel h, double lr, double[] p, double[] g) {
        boolean first = step == 1;
        double[] r = buf("magnitude", p.length, 0), m = buf("momentum_buffer", p.length, 0);
        double[] sq = buf("square_avg", p.length, 0);
        for (int i = 0; i < p.length; i++) {
            double d = g[i] + h.weightDecay() * p[i];
            if (first) {
                m[i] = d;
                r[i] = Math.abs(d);
            } else {
                r[i] = Math.sqrt(h.rho() * r[i] * r[i] + (1 - h.rho()) * d * d);
                m[i] = h.momentum() * m[i] + (1 - h.momentum()) * d / (r[i] + h.eps());
            }
            sq[i] = r[i] * r[i];
            p[i] = p[i] - lr * m[i];
        }
    }

    private void rmsprop(RMSprop h, double lr, double[] p, double[] g) {
        double a = h.alpha();
        double[] sq = buf("square_avg", p.length, 0);
        double[] ga = h.centered() ? buf("grad_avg", p.length, 0) : null;
        double[] mb = h.momentum() > 0 ? buf("momentum_buffer", p.length, 0) : null;
        for (int i = 0; i < p.length; i++) {
            double d = h.maximize() ? -g[i] : g[i];
            if (h.weightDecay() != 0) {
                d = d + h.weightDecay() * p[i];
            }
            sq[i] = a * sq[i] + (1 - a) * d * d;
            double avg;
            if (h.centered()) {
                ga[i] = a * ga[i] + (1 - a) * d;
                avg = Math.sqrt(Math.max(sq[i] - ga[i] * ga[i], 0)) + h.eps(); // clamp: see ScaleByRms
            } else {
                avg = Math.sqrt(sq[i]) + h.eps();
            }
            if (mb != null) {
                mb[i] = h.momentum() * mb[i] + d / avg;
                p[i] = p[i] - lr * mb[i];
            } else {
                p[i] = p[i] - lr * d / avg;
            }
        }
    }

    /** Adam with L2 weight decay {@code l2} (torch Adam) or decoupled decay {@code decoupled} (torch AdamW). */
    private void adam(double lr, double b1, double b2, double eps, double l2, double decoupled, boolean amsgrad,
            boolean maximize, double[] p, double[] g) {
        double[] m = buf("exp_avg", p.length, 0), v = buf("exp_avg_sq", p.length, 0);
        double[] vmax = amsgrad ? buf("max_exp_avg_sq", p.length, 0) : null;
        double bc1 = 1 - Math.pow(b1, step), bc2 = 1 - Math.pow(b2, step);
        double stepSize = lr / bc1, bc2Sqrt = Math.sqrt(bc2);
        for (int i = 0; i < p.length; i++) {
            double d = maximize ? -g[i] : g[i];
            p[i] = p[i] * (1 - lr * decoupled);
            if (l2 != 0) {
                d = d + l2 * p[i];
            }
            m[i] = b1 * m[i] + (1 - b1) * d;
            v[i] = b2 * v[i] + (1 - b2) * d * d;
            double w = v[i];
            if (amsgrad) {
                vmax[i] = Math.max(vmax[i], v[i]);
                w = vmax[i];
            }
            p[i] = p[i] - stepSize * (m[i] / (Math.sqrt(w) / bc2Sqrt + eps));
        }
    }
}
