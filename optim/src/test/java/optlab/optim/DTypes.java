package optlab.optim;

import java.util.List;
import optlab.tensor.DType;

/** Parameter source for tests that run in every dtype. */
public final class DTypes {
    private DTypes() {
    }

    public static List<DType> all() {
        return List.of(DType.values());
    }
}
