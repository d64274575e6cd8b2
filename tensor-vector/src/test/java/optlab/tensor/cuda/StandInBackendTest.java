package optlab.tensor.cuda;

import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The fixture of the CUDA backend's tests: one backend on the stand-in ({@link CudaStandIn}) per class, and a
 * scope per test for its tensors (device tensors from {@code empty} belong to it).
 */
abstract class StandInBackendTest {
    static CudaBackend cuda;
    Scope scope;

    @BeforeAll
    static void openBackend() {
        CudaStandIn.install();
        cuda = CudaBackend.open();
    }

    @AfterAll
    static void closeBackend() {
        if (cuda != null) {
            cuda.close();
            cuda = null;
        }
    }

    @BeforeEach
    void openScope() {
        scope = Scope.open();
    }

    @AfterEach
    void closeScope() {
        scope.close();
    }

    Tensor random(DType d, long seed, int... shape) {
        return TestTensors.random(scope, d, seed, shape);
    }
}
