package optlab.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SimdTest {

    @Test
    void forcedWidthIsInForce() {
        String forced = System.getProperty(Simd.PROPERTY);
        if (forced != null && !forced.equals("preferred")) {
            assertEquals(Integer.parseInt(forced), Simd.BITS);
        }
        assertEquals(Simd.BITS, Simd.F32.vectorBitSize());
        assertEquals(Simd.BITS, Simd.F64.vectorBitSize());
    }

    @Test
    void badWidthIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Simd.chooseBits("300"));
        assertTrue(e.getMessage().contains("optlab.vector"), e.getMessage());
        assertEquals(0, Simd.chooseBits("scalar"));
    }
}
