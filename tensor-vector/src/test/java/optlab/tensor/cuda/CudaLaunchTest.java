package optlab.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** Kernel launches: the argument struct arrives slot for slot, and bad launches fail with the driver's text. */
class CudaLaunchTest extends StandInBackendTest {

    @Test
    void argumentsArriveSlotForSlot() {
        Cudart rt = cuda.cudart();
        int slots = 3 + KernelArgs.MAX_RANK;
        long out = rt.malloc(8L * slots);
        long[] list = {7, -1, Long.MAX_VALUE, Long.MIN_VALUE, 0, 42};
        KernelArgs args = new KernelArgs().i64(-123456789012L).f64(-2.5e-300).i64s(list).ptr(0xdeadbeefL).ptr(out);
        assertEquals(4 + KernelArgs.MAX_RANK, args.slots());
        cuda.launchRaw("echo_args", 3, 32, args);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate(8L * slots);
            rt.memcpy(host.address(), out, 8L * slots, Cudart.DEVICE_TO_HOST);
            assertEquals(-123456789012L, host.getAtIndex(ValueLayout.JAVA_LONG, 0));
            assertEquals(-2.5e-300, host.getAtIndex(ValueLayout.JAVA_DOUBLE, 1));
            long[] got = new long[KernelArgs.MAX_RANK];
            MemorySegment.copy(host, ValueLayout.JAVA_LONG, 16, got, 0, got.length);
            assertArrayEquals(new long[] {7, -1, Long.MAX_VALUE, Long.MIN_VALUE, 0, 42, 0, 0}, got);
            assertEquals(0xdeadbeefL, host.getAtIndex(ValueLayout.JAVA_LONG, 2 + KernelArgs.MAX_RANK));
        } finally {
            rt.free(out);
        }
    }

    @Test
    void badLaunchesFailWithTheDriversText() {
        CudaException block = assertThrows(CudaException.class,
                () -> cuda.launchRaw("echo_args", 1, 4096, new KernelArgs().i64(0)));
        assertTrue(block.getMessage().startsWith("cuLaunchKernel(echo_args) failed: invalid argument"), block.getMessage());
        CudaException name = assertThrows(CudaException.class, () -> cuda.launchRaw("nope_f32", 1, 1, new KernelArgs()));
        assertTrue(name.getMessage().contains("named symbol not found"), name.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new KernelArgs().i64s(new long[KernelArgs.MAX_RANK + 1]));
    }
}
