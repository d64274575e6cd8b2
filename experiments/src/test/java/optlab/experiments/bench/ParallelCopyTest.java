package optlab.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class ParallelCopyTest {

    @Test
    void copiesEveryByteForAnySizeAndThreadCount() {
        for (int threads : new int[] {1, 2, 3, 7}) {
            try (ParallelCopy copy = new ParallelCopy(threads); Arena arena = Arena.ofShared()) {
                for (long n : new long[] {1, 63, 64, 65, 127, 4097, 100_003}) {
                    MemorySegment src = arena.allocate(n), dst = arena.allocate(n);
                    for (long i = 0; i < n; i++) {
                        src.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31 + 7));
                    }
                    copy.copy(src, dst);
                    assertEquals(-1, src.mismatch(dst), () -> n + " bytes on " + threads + " threads");
                }
            }
        }
    }
}
