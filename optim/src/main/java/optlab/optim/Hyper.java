package optlab.optim;

/** Hyperparameter checks with torch.optim's messages ("Invalid learning rate: -1"). */
final class Hyper {
    private Hyper() {
    }

    /** Rejects negative values and NaN, as torch's {@code if not 0.0 <= x} does. */
    static void nonNegative(String what, double v) {
        if (!(v >= 0)) {
            throw new IllegalArgumentException("Invalid " + what + ": " + format(v));
        }
    }

    static void beta(int index, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException("Invalid beta parameter at index " + index + ": " + format(v));
        }
    }

    /** Integral values print without ".0", so messages read like torch's. */
    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
