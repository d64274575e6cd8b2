package optlab.tensor.cuda;

import static optlab.tensor.TestTensors.assertClose;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.Backend;
import optlab.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The fixture of the CUDA backend's tests: one backend on the stand-in ({@link CudaStandIn}) per class, and a
 * scope per test for its tensors (device tensors from {@code empty} belong to it), and the comparison with the
 * reference backend.
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

    static final Backend REF = new ReferenceBackend();

    /** Where the CUDA backend's operands live. */
    enum Place { HOST, DEVICE }

    static double rtol(DType d) {
        return d == DType.F32 ? 1e-5 : 1e-12;
    }

    /**
     * Runs {@code op} on the reference with {@code args} and on CUDA with copies placed as asked (outputs are the
     * last {@code outputs} args, pre-filled with the same values), and compares every output.
     */
    void compare(Place place, int outputs, double rtol, Consumer<Tensor[]> refOp, Consumer<Tensor[]> cudaOp, Tensor... args) {
        Tensor[] mine = new Tensor[args.length];
        List<Tensor> onDevice = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                continue;
            }
            if (place == Place.DEVICE) {
                mine[i] = cuda.allocate(args[i].dtype(), args[i].shape());
                cuda.copy(args[i], mine[i]);
                onDevice.add(mine[i]);
            } else {
                mine[i] = i >= args.length - outputs ? scope.copyOf(args[i]) : args[i];
            }
        }
        refOp.accept(args);
        cudaOp.accept(mine);
        for (int i = args.length - outputs; i < args.length; i++) {
            if (args[i] == null) {
                continue;
            }
            Tensor got = scope.emptyLike(args[i]);
            cuda.copy(mine[i], got);
            assertClose(args[i], got, rtol, rtol);
        }
        onDevice.forEach(cuda::release);
    }

    Tensor random(DType d, long seed, int... shape) {
        return TestTensors.random(scope, d, seed, shape);
    }
}
