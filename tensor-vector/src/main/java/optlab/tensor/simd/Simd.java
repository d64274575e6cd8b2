package optlab.tensor.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector width every vectorized loop uses (tensor's CPU kernels and optim's update loops), fixed
 * once per JVM so the species are compile-time constants to the JIT (a species read from a field
 * defeats intrinsification). The JVM option {@code -Doptlab.vector=preferred|128|256|512|scalar}
 * forces a width, read here only, so it means one thing in every module: "scalar" makes
 * {@link optlab.tensor.backend.Backends#cpu} hand out the plain reference kernels, and the loops that
 * have no scalar twin (optim's update, norm and path loops, or a CpuBackend built directly) run one
 * 64-bit vector at a time.
 */
public final class Simd {
    /** The system property that forces the width. */
    public static final String PROPERTY = "optlab.vector";

    /** Vector width in bits, or 0 when scalar was forced. */
    public static final int BITS = chooseBits(System.getProperty(PROPERTY, "preferred"));

    public static final VectorSpecies<Float> F32 =
            FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(Math.max(BITS, 64)));
    public static final VectorSpecies<Double> F64 =
            DoubleVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(Math.max(BITS, 64)));

    /**
     * Vector registers a kernel may plan its register tiles on: 32 where the CPU has 512-bit vectors (AVX-512 has 32
     * at every width), else 16 (AVX2; conservative on other CPUs). Not changed by {@link #PROPERTY}.
     */
    public static final int VECTOR_REGISTERS = VectorShape.preferredShape().vectorBitSize() >= 512 ? 32 : 16;

    private Simd() {
    }

    public static boolean scalar() {
        return BITS == 0;
    }

    static int chooseBits(String value) {
        int preferred = VectorShape.preferredShape().vectorBitSize();
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "preferred", "" -> preferred;
            case "scalar" -> 0;
            case "128", "256", "512" -> {
                int bits = Integer.parseInt(value.trim());
                if (bits > preferred) {
                    throw new IllegalArgumentException("-D" + PROPERTY + "=" + bits + " exceeds this CPU's widest vectors ("
                            + preferred + " bits)");
                }
                yield bits;
            }
            default -> throw new IllegalArgumentException("-D" + PROPERTY + " must be preferred, 128, 256, 512 or scalar, not '"
                    + value + "'");
        };
    }

    /** For logs and result files: the width the vector loops use. */
    public static String describe() {
        return scalar() ? "scalar" : BITS + "-bit vectors (F32 x" + F32.length() + ", F64 x" + F64.length() + ")";
    }
}
