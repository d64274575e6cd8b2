package optlab.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import optlab.tensor.DType;
import org.junit.jupiter.api.Test;

/** The FMA peak is a positive, plausible rate, and a figure's share of it is printed as a percentage. */
class FmaPeakTest {
    @Test
    void measuresAPlausiblePeakAndFormatsShares() {
        FmaPeak.Table t = FmaPeak.Table.measure(List.of(DType.F32, DType.F64), List.of(1), 0.2);
        double f32 = t.of("F32", 1), f64 = t.of("F64", 1);
        // At least 0.5 GFLOP/s on any core of the last decade; below 1 TFLOP/s per core.
        assertTrue(f32 > 0.5 && f32 < 1000, "F32 peak " + f32);
        assertTrue(f64 > 0.25 && f64 < 1000, "F64 peak " + f64);
        assertEquals("50%", new FmaPeak.Table(java.util.Map.of("F32 2", 100.0)).percent(50.0, "F32", 2));
        assertEquals("-", t.percent(null, "F32", 1));
        assertEquals("-", t.percent(10.0, "F32", 8));
        assertTrue(t.line().startsWith("FMA peak (measured in this run"), t.line());
    }
}
