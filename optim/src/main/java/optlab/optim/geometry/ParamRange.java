package optlab.optim.geometry;

/**
 * A named range of a flat parameter block (e.g. one tensor, named by its state_dict key), for the
 * per-tensor breakdown of {@link PathGeometry#dotsByRange}. Offset and numel count elements from the
 * start of the block.
 */
public record ParamRange(String name, long offset, long numel) {
    public ParamRange {
        if (name == null) {
            throw new NullPointerException("ParamRange: name is null");
        }
        if (offset < 0 || numel < 0) {
            throw new IllegalArgumentException("ParamRange " + name + ": offset " + offset + " and numel " + numel
                    + " must be >= 0");
        }
    }
}
