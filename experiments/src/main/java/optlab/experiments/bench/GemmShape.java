package optlab.experiments.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One GEMM problem C[M, N] = op(A)·op(B) with its memory layout: "NT" means A is stored [M, K] and
 * B stored [N, K] and read transposed (PyTorch's Y = X·Wᵀ with W [out, in]). Names read M x K x N.
 *
 * @param id     short key used on the command line and as the JMH parameter, e.g. "mlp-fwd-L2"
 * @param group  "square" or "mlp"
 * @param transA A is stored [K, M] and used through a transposed view
 * @param transB B is stored [N, K] and used through a transposed view
 */
public record GemmShape(String id, String group, String role, int m, int k, int n, boolean transA, boolean transB) {

    /** Square sizes timed in F32; F64 is timed on the squares from this size up. */
    static final int F64_MIN_SQUARE = 256;

    /** The catalog, in table order: squares, then one training step of a 784-4000-4000-10 MLP at batch 100. */
    public static List<GemmShape> all() {
        List<GemmShape> all = new ArrayList<>();
        for (int s : new int[] {64, 128, 256, 512, 1024, 2048}) {
            all.add(new GemmShape("sq" + s, "square", "square", s, s, s, false, false));
        }
        // Forward Y = X·Wᵀ: X [100, in], W [out, in].
        all.add(mlp("mlp-fwd-L1", "mlp fwd L1", 100, 784, 4000, false, true));
        all.add(mlp("mlp-fwd-L2", "mlp fwd L2", 100, 4000, 4000, false, true));
        all.add(mlp("mlp-fwd-L3", "mlp fwd L3", 100, 4000, 10, false, true));
        // Weight gradients dW = Gᵀ·X: G [100, out], X [100, in].
        all.add(mlp("mlp-dW-L1", "mlp dW L1", 4000, 100, 784, true, false));
        all.add(mlp("mlp-dW-L2", "mlp dW L2", 4000, 100, 4000, true, false));
        all.add(mlp("mlp-dW-L3", "mlp dW L3", 10, 100, 4000, true, false));
        // Input gradients dX = G·W: G [100, out], W [out, in] (layer 1's input needs none).
        all.add(mlp("mlp-dX-L3", "mlp dX L3", 100, 10, 4000, false, false));
        all.add(mlp("mlp-dX-L2", "mlp dX L2", 100, 4000, 4000, false, false));
        return all;
    }

    private static GemmShape mlp(String id, String role, int m, int k, int n, boolean transA, boolean transB) {
        return new GemmShape(id, "mlp", role, m, k, n, transA, transB);
    }

    public static GemmShape byId(String id) {
        for (GemmShape s : all()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown shape '" + id + "'; known: " + knownSelectors());
    }

    /**
     * The shapes a comma-separated selection names, in catalog order: ids, groups ("square",
     * "mlp") or "all". Fails naming the unknown entry and listing the known ones.
     */
    public static List<GemmShape> select(String selection) {
        Set<GemmShape> chosen = new LinkedHashSet<>();
        for (String raw : selection.split(",")) {
            String key = raw.trim();
            List<GemmShape> hits = all().stream()
                    .filter(s -> key.equals("all") || s.group.equals(key) || s.id.equals(key))
                    .toList();
            if (hits.isEmpty()) {
                throw new IllegalArgumentException("unknown shape '" + key + "'; known: " + knownSelectors());
            }
            chosen.addAll(hits);
        }
        return all().stream().filter(chosen::contains).toList();
    }

    static String knownSelectors() {
        return "all, square, mlp, " + String.join(", ", all().stream().map(GemmShape::id).toList());
    }

    /** Whether F64 is timed on this shape (the larger squares, against cblas_dgemm). */
    public boolean timedInF64() {
        return group.equals("square") && m >= F64_MIN_SQUARE;
    }

    /** "NN", "NT", "TN" or "TT". */
    public String layout() {
        return (transA ? "T" : "N") + (transB ? "T" : "N");
    }

    /** The table label, e.g. "mlp fwd L2 100x4000x4000 NT". */
    public String label() {
        return role + " " + m + "x" + k + "x" + n + " " + layout();
    }

    /** Floating-point operations of one product: a multiply and an add per term. */
    public double flops() {
        return 2.0 * m * k * n;
    }
}
