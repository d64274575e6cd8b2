package optlab.tensor.simd;

import java.util.Locale;

/**
 * Whether the vectorized loops can and may run, decided without touching {@code jdk.incubator.vector}, so a
 * JVM without that module can still ask. On the module path {@code optlab.tensor} requires the module and it
 * is always there; on the class path the JVM resolves an incubator module only when told to
 * ({@code --add-modules jdk.incubator.vector}), and a class that names a vector type then fails to load with a
 * bare {@code NoClassDefFoundError}. Code that would load such a class asks here first and either takes its
 * scalar twin or stops with {@link #MISSING}.
 */
public final class VectorSupport {
    /** The one sentence that says what is missing and how to add it (or how to do without). */
    public static final String MISSING = "the Vector API module jdk.incubator.vector is not in this JVM: add"
            + " --add-modules jdk.incubator.vector to the java command (on the class path it is not resolved by"
            + " default), or run with -Doptlab.vector=scalar for the plain reference kernels";

    private static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            || VectorSupport.class.getModule().getLayer() != null
                    && VectorSupport.class.getModule().getLayer().findModule("jdk.incubator.vector").isPresent();

    private VectorSupport() {
    }

    /** The Vector API module is resolved in this JVM. */
    public static boolean present() {
        return PRESENT;
    }

    /** {@code -Doptlab.vector=scalar} was given: the caller asked for the reference kernels. */
    public static boolean scalarRequested() {
        return System.getProperty(Simd.PROPERTY, "").trim().toLowerCase(Locale.ROOT).equals("scalar");
    }

    /** Vector loops are both available and wanted. */
    public static boolean vectors() {
        return PRESENT && !scalarRequested();
    }

    /** Stops with {@link #MISSING}, prefixed by {@code what} needs it, unless the module is present. */
    public static void require(String what) {
        if (!PRESENT) {
            throw new UnsupportedOperationException(what + " needs the Vector API: " + MISSING);
        }
    }
}
