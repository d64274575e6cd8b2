package optlab.models.path;

import java.util.ArrayList;
import java.util.List;
import optlab.models.Model;
import optlab.models.Module;
import optlab.models.layers.Activation;
import optlab.models.layers.AvgPool2d;
import optlab.models.layers.Conv2d;
import optlab.models.layers.Dropout;
import optlab.models.layers.Flatten;
import optlab.models.layers.Linear;
import optlab.models.layers.MaxPool2d;
import optlab.models.layers.Sequential;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Pool2dSpec;

/**
 * The oracle for κ and φ^p: the model unrolled into explicit units and edges (every conv position,
 * every pooling window input), every input→output path enumerated, and for each path its product of
 * |w|^p added to φ^p and, for each edge on it, the product of the other edges added to that edge's κ.
 * Max pooling: every window input is an edge of weight 1; average pooling: weight 1/(kh·kw); padded
 * positions are no units. Biases start paths (edges from a constant-1 unit). Written from the layers'
 * definitions, independent of the implementations it checks. For tiny models only.
 */
final class BruteForcePaths {
    /** An edge into a unit: from unit src of the stage below (−1: the bias unit), weight param or a constant. */
    private record Edge(int src, int param, double constant) {
    }

    /** |m|^p of each parameter entry's layer multiplier (1 for none). */
    private final double[] scale;

    final double phi;
    final double[] kappa;
    final long paths;

    private final List<List<List<Edge>>> stages = new ArrayList<>();
    private final double[] w;
    private final double p;
    private long count;

    BruteForcePaths(Model model, double p, int... input) {
        this.p = p;
        Tensor params = model.parameters();
        w = params.toDoubleArray();
        kappa = new double[w.length];
        scale = new double[w.length];
        java.util.Arrays.fill(scale, 1);
        int[] shape = input.clone();
        for (Module m : leaves(model.root())) {
            shape = unroll(model, m, shape);
        }
        List<List<Edge>> top = stages.getLast();
        double total = 0;
        for (int u = 0; u < top.size(); u++) {
            total += walk(stages.size() - 1, u, new ArrayList<>());
        }
        phi = total;
        paths = count;
    }

    private static List<Module> leaves(Module m) {
        List<Module> out = new ArrayList<>();
        if (m instanceof Sequential s) {
            for (Module c : s.layers()) {
                out.addAll(leaves(c));
            }
        } else {
            out.add(m);
        }
        return out;
    }

    /** Adds the stage of module m (if it has one) and returns the shape after it. */
    private int[] unroll(Model model, Module m, int[] x) {
        String prefix = prefixOf(model, m);
        switch (m) {
            case Linear l -> {
                int in = x[0], out = l.outFeatures();
                long wo = model.parameterBlock().offset(prefix + "weight");
                multiplier(model, prefix, l.multiplier());
                List<List<Edge>> units = new ArrayList<>();
                for (int o = 0; o < out; o++) {
                    List<Edge> e = new ArrayList<>();
                    for (int i = 0; i < in; i++) {
                        e.add(new Edge(i, (int) (wo + (long) o * in + i), 0));
                    }
                    if (l.bias() != null) {
                        e.add(new Edge(-1, (int) model.parameterBlock().offset(prefix + "bias") + o, 0));
                    }
                    units.add(e);
                }
                stages.add(units);
                return new int[] {out};
            }
            case Conv2d c -> {
                int ch = x[0], h = x[1], wd = x[2], k = c.kernelSize(), s = c.spec().strideH(), pad = c.spec().padH();
                int oh = (h + 2 * pad - k) / s + 1, ow = (wd + 2 * pad - k) / s + 1;
                long wo = model.parameterBlock().offset(prefix + "weight");
                multiplier(model, prefix, c.multiplier());
                List<List<Edge>> units = new ArrayList<>();
                for (int o = 0; o < c.outChannels(); o++) {
                    for (int y = 0; y < oh; y++) {
                        for (int xx = 0; xx < ow; xx++) {
                            List<Edge> e = new ArrayList<>();
                            for (int ci = 0; ci < ch; ci++) {
                                for (int a = 0; a < k; a++) {
                                    for (int b = 0; b < k; b++) {
                                        int iy = y * s - pad + a, ix = xx * s - pad + b;
                                        if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                            e.add(new Edge((ci * h + iy) * wd + ix,
                                                    (int) (wo + ((long) (o * ch + ci) * k + a) * k + b), 0));
                                        }
                                    }
                                }
                            }
                            if (c.bias() != null) {
                                e.add(new Edge(-1, (int) model.parameterBlock().offset(prefix + "bias") + o, 0));
                            }
                            units.add(e);
                        }
                    }
                }
                stages.add(units);
                return new int[] {c.outChannels(), oh, ow};
            }
            case MaxPool2d mp -> {
                return pool(x, mp.spec(), 1);
            }
            case AvgPool2d ap -> {
                return pool(x, ap.spec(), 1.0 / (ap.spec().kernelH() * ap.spec().kernelW()));
            }
            case Flatten f -> {
                return new int[] {x[0] * (x.length > 1 ? x[1] * x[2] : 1)};
            }
            case Activation a -> {
                return x;
            }
            case Dropout d -> {
                return x;
            }
            default -> throw new IllegalArgumentException("brute force: no rule for " + m);
        }
    }

    /** The edges of a layer with forward multiplier m carry |m·w|^p. */
    private void multiplier(Model model, String prefix, double m) {
        for (String name : new String[] {"weight", "bias"}) {
            if (model.namedParameters().containsKey(prefix + name)) {
                long off = model.parameterBlock().offset(prefix + name);
                long n = model.parameter(prefix + name).numel();
                for (long i = off; i < off + n; i++) {
                    scale[(int) i] = Math.pow(m, p);
                }
            }
        }
    }

    private int[] pool(int[] x, Pool2dSpec sp, double weight) {
        int ch = x[0], h = x[1], wd = x[2], oh = sp.outH(h), ow = sp.outW(wd);
        List<List<Edge>> units = new ArrayList<>();
        for (int c = 0; c < ch; c++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    List<Edge> e = new ArrayList<>();
                    for (int a = 0; a < sp.kernelH(); a++) {
                        for (int b = 0; b < sp.kernelW(); b++) {
                            int iy = y * sp.strideH() - sp.padH() + a, ix = xx * sp.strideW() - sp.padW() + b;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                e.add(new Edge((c * h + iy) * wd + ix, -1, weight));
                            }
                        }
                    }
                    units.add(e);
                }
            }
        }
        stages.add(units);
        return new int[] {ch, oh, ow};
    }

    /** Sum over the paths ending at unit u of stage s, given the edges above them (path holds |w|^p and params). */
    private double walk(int s, int u, List<double[]> path) {
        double sum = 0;
        for (Edge e : stages.get(s).get(u)) {
            double v = e.param() >= 0 ? scale[e.param()] * Math.pow(Math.abs(w[e.param()]), p) : Math.pow(e.constant(), p);
            path.add(new double[] {v, e.param()});
            if (e.src() < 0 || s == 0) {
                sum += finish(path);
            } else {
                sum += walk(s - 1, e.src(), path);
            }
            path.removeLast();
        }
        return sum;
    }

    /** One complete path: its product, and the product of the others at each weighted edge. */
    private double finish(List<double[]> path) {
        count++;
        int n = path.size();
        double[] prefix = new double[n + 1], suffix = new double[n + 1];
        prefix[0] = 1;
        suffix[n] = 1;
        for (int i = 0; i < n; i++) {
            prefix[i + 1] = prefix[i] * path.get(i)[0];
            suffix[n - 1 - i] = suffix[n - i] * path.get(n - 1 - i)[0];
        }
        for (int i = 0; i < n; i++) {
            int param = (int) path.get(i)[1];
            if (param >= 0) {
                kappa[param] += prefix[i] * suffix[i + 1] * scale[param]; // ∂/∂|w|^p of |m|^p·|w|^p
            }
        }
        return prefix[n];
    }

    /** The dotted prefix ("3.") of a module inside the model's tree. */
    private static String prefixOf(Model model, Module m) {
        String found = find(model.root(), m, "");
        if (found == null) {
            throw new IllegalArgumentException("module not in model: " + m);
        }
        return found;
    }

    private static String find(Module at, Module m, String prefix) {
        if (at == m) {
            return prefix;
        }
        for (var e : at.children().entrySet()) {
            String f = find(e.getValue(), m, prefix + e.getKey() + ".");
            if (f != null) {
                return f;
            }
        }
        return null;
    }
}
