package optlab.experiments.run;

import java.io.IOException;
import java.nio.file.Path;

/** Test data of this package for tests in other packages. */
public final class JitDeterminismTestAccess {
    private JitDeterminismTestAccess() {
    }

    /** {@link JitDeterminismTest#idxFolder(Path)}: small 4-class IDX images. */
    public static Path idxFolder(Path tmp) throws IOException {
        return JitDeterminismTest.idxFolder(tmp);
    }
}
