package optlab.optim;

/**
 * One named tensor inside a flat parameter block: elements [offset, offset + numel). The kind says what the
 * tensor is for ("weight", "bias", "norm", "embedding", "centroids", "widths", ...), so parameter groups can
 * select by role as well as by name.
 *
 * @param name   the state-dict key, e.g. "layers.0.bias"
 * @param kind   the role, lower case
 * @param offset first element in the block
 * @param numel  number of elements
 */
public record ParamRange(String name, String kind, long offset, long numel) {
    public ParamRange {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(kind, "kind");
        if (offset < 0 || numel < 0) {
            throw new IllegalArgumentException("ParamRange " + name + ": offset " + offset + " and numel " + numel
                    + " must be >= 0");
        }
    }

    /** One past the last element. */
    public long end() {
        return offset + numel;
    }
}
