package optlab.optim.internal;

import java.util.Locale;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector width of the optimizer's update loops, fixed once per JVM so the species are constants
 * to the JIT. It honours the same {@code -Doptlab.vector=preferred|128|256|512|scalar} switch as the
 * tensor kernels (whose {@code Simd} class is internal to optlab.tensor); "scalar" runs one 64-bit
 * vector at a time (the update loops have no separate scalar path).
 */
public final class OptimSimd {
    /** Vector width in bits, or 0 when scalar was forced. */
    public static final int BITS = chooseBits(System.getProperty("optlab.vector", "preferred"));

    static final VectorSpecies<Float> F32 =
            FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(Math.max(BITS, 64)));
    static final VectorSpecies<Double> F64 =
            DoubleVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(Math.max(BITS, 64)));

    private OptimSimd() {
    }

    static int chooseBits(String value) {
        int preferred = VectorShape.preferredShape().vectorBitSize();
        String v = value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "preferred", "" -> preferred;
            case "scalar" -> 0;
            case "128", "256", "512" -> {
                int bits = Integer.parseInt(v);
                if (bits > preferred) {
                    throw new IllegalArgumentException("-Doptlab.vector=" + bits + " exceeds this CPU's widest vectors ("
                            + preferred + " bits)");
                }
                yield bits;
            }
            default -> throw new IllegalArgumentException("-Doptlab.vector must be preferred, 128, 256, 512 or scalar, not '"
                    + value + "'");
        };
    }

    /** For logs and result files: the width the update loops use. */
    public static String describe() {
        return (BITS == 0 ? "scalar (64-bit vectors)" : BITS + "-bit vectors") + " (F32 x" + F32.length() + ", F64 x"
                + F64.length() + ")";
    }
}
