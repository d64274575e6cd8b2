package optlab.experiments.loop;

import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * The end point w* = w_T of a run's path, which the geometry probes measure every w_t against. A geometry run
 * ({@code "geometry"} in the config) trains once to get w*, then retraces the same path with the probes; the
 * holder carries w* from the first pass to the second. Outside such a run (the step benchmarks) the holder is
 * {@link #initial()}: each probe takes w* = w_0, its parameters at the start, so it does all its work on a
 * meaningless end point — the benchmark mode, which times the measurement without a first pass.
 */
public final class EndPoint {
    private final Tensor wStar;

    private EndPoint(Tensor wStar) {
        this.wStar = wStar;
    }

    /** The end point {@code wStar} (a flat block owned by the caller, alive for the whole run). */
    public static EndPoint of(Tensor wStar) {
        return new EndPoint(java.util.Objects.requireNonNull(wStar, "wStar"));
    }

    /** Benchmark mode: probes take w* = w_0. */
    public static EndPoint initial() {
        return new EndPoint(null);
    }

    /** Whether this is benchmark mode (w* = w_0). */
    public boolean isInitial() {
        return wStar == null;
    }

    /** w*, or in benchmark mode a copy of {@code params} (w_0) in {@code scope}. */
    public Tensor resolve(Tensor params, Scope scope) {
        if (wStar == null) {
            return scope.copyOf(params);
        }
        if (wStar.dtype() != params.dtype() || wStar.numel() != params.numel()) {
            throw new IllegalArgumentException("geometry: the end point " + wStar.dtype() + " × " + wStar.numel()
                    + " does not match the model's parameters " + params.dtype() + " × " + params.numel());
        }
        return wStar;
    }
}
