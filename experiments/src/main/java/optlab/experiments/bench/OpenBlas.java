package optlab.experiments.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import optlab.experiments.data.SystemPackages;
import optlab.tensor.DType;
import optlab.tensor.Tensor;

/**
 * OpenBLAS's {@code cblas_sgemm}/{@code cblas_dgemm} reached through FFM downcalls: the yardstick
 * for our GEMM. The library is found by its Debian name ({@code libopenblas.so.0}, package
 * libopenblas0); where it is missing, {@link #load()} is empty and benchmarks report optlab alone.
 * Operands are 2-D tensor views: a transposed view ({@link Tensor#mT()}) becomes CblasTrans with the
 * stored matrix's leading dimension, so benchmarks express transposes as real memory layouts.
 */
public final class OpenBlas {
    /** The shared object looked up by name through the dynamic linker's search path. */
    public static final String LIBRARY = "libopenblas.so.0";

    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    /** The library or the reason it is missing; loaded once, mapped for the life of the process. */
    private record Loaded(OpenBlas blas, String missingReason) {
    }

    private static final Loaded LOADED = tryLoad();

    private final MethodHandle sgemm;
    private final MethodHandle dgemm;
    private final MethodHandle setNumThreads;
    private final String config;
    private final String corename;

    private OpenBlas(SymbolLookup lib, Linker linker) {
        ValueLayout i = ValueLayout.JAVA_INT;
        ValueLayout p = ValueLayout.ADDRESS;
        // void cblas_?gemm(order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc); blasint is int.
        this.sgemm = downcall(lib, linker, "cblas_sgemm", FunctionDescriptor.ofVoid(i, i, i, i, i, i,
                ValueLayout.JAVA_FLOAT, p, i, p, i, ValueLayout.JAVA_FLOAT, p, i));
        this.dgemm = downcall(lib, linker, "cblas_dgemm", FunctionDescriptor.ofVoid(i, i, i, i, i, i,
                ValueLayout.JAVA_DOUBLE, p, i, p, i, ValueLayout.JAVA_DOUBLE, p, i));
        this.setNumThreads = downcall(lib, linker, "openblas_set_num_threads", FunctionDescriptor.ofVoid(i));
        MethodHandle getConfig = downcall(lib, linker, "openblas_get_config", FunctionDescriptor.of(p));
        this.config = readCString(getConfig);
        // The kernel set in use: with DYNAMIC_ARCH chosen at load from the CPU, or forced by OPENBLAS_CORETYPE.
        this.corename = readCString(downcall(lib, linker, "openblas_get_corename", FunctionDescriptor.of(p)));
    }

    /** The library, or empty when it cannot be loaded ({@link #missingReason()} says why). */
    public static Optional<OpenBlas> load() {
        return Optional.ofNullable(LOADED.blas());
    }

    /** Why {@link #load()} is empty, for the log line that says OpenBLAS is left out. */
    public static String missingReason() {
        return LOADED.missingReason();
    }

    /** The Debian package that provides {@link #LIBRARY} (the pthreads build, as the benchmarks' reference). */
    public static final String PACKAGE = "libopenblas0-pthread";

    private static Loaded tryLoad() {
        Loaded first = tryLoadOnce();
        // Missing: the launcher's policy may install it (one line), else the reason names the command to run.
        if (first.blas() == null && SystemPackages.current().install(PACKAGE, "OpenBLAS, the benchmarks' reference")) {
            return tryLoadOnce();
        }
        return first;
    }

    private static Loaded tryLoadOnce() {
        try {
            SymbolLookup lib = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
            return new Loaded(new OpenBlas(lib, Linker.nativeLinker()), null);
        } catch (IllegalArgumentException | IllegalStateException | IllegalCallerException | UnsatisfiedLinkError e) {
            return new Loaded(null, LIBRARY + " could not be loaded (" + e.getMessage() + "); to compare, run: "
                    + SystemPackages.current().command(PACKAGE));
        }
    }

    private static MethodHandle downcall(SymbolLookup lib, Linker linker, String name, FunctionDescriptor fd) {
        MemorySegment symbol = lib.find(name)
                .orElseThrow(() -> new IllegalStateException(LIBRARY + " has no symbol " + name));
        return linker.downcallHandle(symbol, fd);
    }

    private static String readCString(MethodHandle getter) {
        try {
            MemorySegment s = (MemorySegment) getter.invokeExact();
            return s.equals(MemorySegment.NULL) ? "" : s.reinterpret(4096).getString(0).trim();
        } catch (Throwable t) {
            throw new IllegalStateException("reading OpenBLAS's string failed", t);
        }
    }

    /** OpenBLAS's build description, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64". */
    public String config() {
        return config;
    }

    /**
     * The kernel set OpenBLAS runs ({@code openblas_get_corename}, e.g. "Haswell", "SkylakeX", "Cooperlake"), with
     * the reason when the environment forced it: {@code OPENBLAS_CORETYPE} overrides the CPU's own detection.
     */
    public String core() {
        String forced = System.getenv("OPENBLAS_CORETYPE");
        return corename + (forced == null || forced.isBlank() ? " (detected)" : " (forced by OPENBLAS_CORETYPE=" + forced + ")");
    }

    /** Sets the worker threads of every later call (process-wide, as OpenBLAS keeps one pool). */
    public void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("openblas threads must be >= 1, got " + threads);
        }
        try {
            setNumThreads.invokeExact(threads);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads(" + threads + ") failed", t);
        }
    }

    /**
     * c = alpha·a·b + beta·c for 2-D views in one dtype, as {@link optlab.tensor.backend.Backend#gemm}
     * defines it. a and b may be row-major or transposed views (any leading dimension); c must be
     * row-major, since CBLAS cannot write a transposed result.
     */
    public void gemm(double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        String op = "OpenBlas.gemm";
        if (a.rank() != 2 || b.rank() != 2 || c.rank() != 2) {
            throw new IllegalArgumentException(op + ": operands must be matrices, got " + shapes(a, b, c));
        }
        DType dtype = c.dtype();
        if (a.dtype() != dtype || b.dtype() != dtype) {
            throw new IllegalArgumentException(op + ": mixed dtypes " + shapes(a, b, c));
        }
        int m = a.dim(0), k = a.dim(1), n = b.dim(1);
        if (b.dim(0) != k || c.dim(0) != m || c.dim(1) != n) {
            throw new IllegalArgumentException(op + ": shapes do not chain as [M, K]·[K, N] -> [M, N]: " + shapes(a, b, c));
        }
        if (m == 0 || n == 0) {
            return;
        }
        BlasLayout la = BlasLayout.of(op, "a", a), lb = BlasLayout.of(op, "b", b), lc = BlasLayout.of(op, "c", c);
        if (lc.transposed()) {
            throw new IllegalArgumentException(op + ": c must be row-major (unit column stride), got strides "
                    + java.util.Arrays.toString(c.strides()) + " for shape " + java.util.Arrays.toString(c.shape()));
        }
        MemorySegment pa = base(a), pb = base(b), pc = base(c);
        int ta = la.transposed() ? TRANS : NO_TRANS, tb = lb.transposed() ? TRANS : NO_TRANS;
        try {
            if (dtype == DType.F32) {
                sgemm.invokeExact(ROW_MAJOR, ta, tb, m, n, k, (float) alpha, pa, la.ld(), pb, lb.ld(), (float) beta, pc, lc.ld());
            } else {
                dgemm.invokeExact(ROW_MAJOR, ta, tb, m, n, k, alpha, pa, la.ld(), pb, lb.ld(), beta, pc, lc.ld());
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(op + " failed", t);
        }
    }

    /** The address of element [0, 0]. */
    private static MemorySegment base(Tensor t) {
        return t.segment().asSlice(t.offset() * t.dtype().byteSize());
    }

    private static String shapes(Tensor... ts) {
        StringBuilder sb = new StringBuilder();
        for (Tensor t : ts) {
            sb.append(sb.isEmpty() ? "" : ", ").append(t.dtype()).append(java.util.Arrays.toString(t.shape()));
        }
        return sb.toString();
    }
}
