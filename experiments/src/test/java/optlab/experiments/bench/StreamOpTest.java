package optlab.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.BinaryOp;
import org.junit.jupiter.api.Test;

/** Traffic accounting of the ops and their pre-timing check, on a stand-in backend that only adds. */
class StreamOpTest {

    @Test
    void countsCompulsoryBytes() {
        assertEquals(2L * 6 * 4, StreamOp.MEMCPY.bytes(2, 3, DType.F32));
        assertEquals(3L * 6 * 8, StreamOp.ADD.bytes(2, 3, DType.F64));
        assertEquals((2L * 6 + 3) * 4, StreamOp.MUL_ROW.bytes(2, 3, DType.F32));
        assertEquals((6L + 2) * 4, StreamOp.SUM_LAST.bytes(2, 3, DType.F32));
        assertEquals(2L * 6 * 4, StreamOp.SOFTMAX_LAST.bytes(2, 3, DType.F32));
    }

    @Test
    void checkAcceptsACorrectKernelAndNamesTheFirstWrongElement() {
        for (DType dtype : DType.values()) {
            try (Scope scope = Scope.open()) {
                Tensor[] in = StreamOp.ADD.inputs(scope, dtype, 3, 37, 5);
                Tensor out = StreamOp.ADD.output(scope, dtype, 3, 37);
                assertDoesNotThrow(() -> StreamOp.ADD.check(adder(-1), in, out));
                var e = assertThrows(IllegalStateException.class, () -> StreamOp.ADD.check(adder(40), in, out));
                assertTrue(e.getMessage().startsWith("add on " + dtype + "[3, 37] with stand-in: element 40 is"), e.getMessage());
            }
        }
    }

    /** The oracle against hand-computed values: a stand-in kernel that writes them passes, off by 1e-3 fails. */
    @Test
    void oracleAgreesWithHandComputedSumAndSoftmax() {
        try (Scope scope = Scope.open()) {
            Tensor x = scope.of(DType.F64, new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
            Tensor sums = scope.zeros(DType.F64, 2, 1);
            assertDoesNotThrow(() -> StreamOp.SUM_LAST.check(writes("reduce", 6, 15), new Tensor[] {x}, sums));
            assertThrows(IllegalStateException.class,
                    () -> StreamOp.SUM_LAST.check(writes("reduce", 6, 15.001), new Tensor[] {x}, sums));

            // softmax of (0, ln 2, ln 5) is (1, 2, 5) / 8; the second row is shifted by 3, which softmax ignores.
            double l2 = Math.log(2), l5 = Math.log(5);
            Tensor logits = scope.of(DType.F64, new double[] {0, l2, l5, 3, 3 + l2, 3 + l5}, 2, 3);
            Tensor probs = scope.zeros(DType.F64, 2, 3);
            double[] right = {0.125, 0.25, 0.625, 0.125, 0.25, 0.625};
            assertDoesNotThrow(() -> StreamOp.SOFTMAX_LAST.check(writes("softmax", right), new Tensor[] {logits}, probs));
            double[] wrong = right.clone();
            wrong[4] += 1e-3;
            var e = assertThrows(IllegalStateException.class,
                    () -> StreamOp.SOFTMAX_LAST.check(writes("softmax", wrong), new Tensor[] {logits}, probs));
            assertTrue(e.getMessage().contains("element 4 is"), e.getMessage());
        }
    }

    @Test
    void byIdListsKnownOps() {
        assertEquals(StreamOp.SOFTMAX_LAST, StreamOp.byId("softmax-last"));
        var e = assertThrows(IllegalArgumentException.class, () -> StreamOp.byId("gelu"));
        assertTrue(e.getMessage().contains("known: memcpy, add, mul-row, relu, exp, sum-last, softmax-last"), e.getMessage());
    }

    /** A backend whose method {@code name} writes {@code values} into its last argument (the output). */
    private static Backend writes(String name, double... values) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "describe" -> "stand-in";
                    default -> {
                        if (!method.getName().equals(name)) {
                            throw new UnsupportedOperationException(method.getName());
                        }
                        Tensor out = (Tensor) args[args.length - 1];
                        for (int i = 0; i < values.length; i++) {
                            out.setFlat(i, values[i]);
                        }
                        yield null;
                    }
                });
    }

    /** A backend whose binary ADD is a plain loop, off by 1e-3 at flat index {@code wrong} (none if negative). */
    private static Backend adder(int wrong) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "describe" -> "stand-in";
                    case "binary" -> {
                        Tensor a = (Tensor) args[1], b = (Tensor) args[2], out = (Tensor) args[3];
                        assertEquals(BinaryOp.ADD, args[0]);
                        for (int i = 0; i < out.numel(); i++) {
                            out.setFlat(i, a.getFlat(i) + b.getFlat(i) + (i == wrong ? 1e-3 : 0));
                        }
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
