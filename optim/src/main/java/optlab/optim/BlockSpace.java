package optlab.optim;

import java.util.List;
import optlab.tensor.Tensor;

/** The {@link ParamSpace} of a block given with its ranges (or a bare one's placeholder): no structure. */
record BlockSpace(Tensor values, List<ParamRange> ranges, boolean named) implements ParamSpace {
    BlockSpace {
        java.util.Objects.requireNonNull(values, "values");
        ranges = List.copyOf(ranges);
    }
}
