package optlab.tensor.cuda;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** Downcall handles into one loaded library; a missing symbol means the library is not the one we need. */
final class Downcalls {
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong SIZE = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;
    static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;
    static final MemoryLayout PTR = ValueLayout.ADDRESS;

    private final SymbolLookup lookup;
    private final String library;

    Downcalls(SymbolLookup lookup, String library) {
        this.lookup = lookup;
        this.library = library;
    }

    /** A handle returning int (a status code, as every CUDA library call does). */
    MethodHandle status(String name, MemoryLayout... args) {
        return handle(name, FunctionDescriptor.of(INT, args));
    }

    MethodHandle handle(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = lookup.find(name).orElseThrow(() -> new CudaUnavailableException(
                "CUDA is not usable: " + library + " has no function " + name + " (an older or foreign library?)."));
        return Linker.nativeLinker().downcallHandle(symbol, descriptor);
    }

    /** Reads a NUL-terminated string returned by a library (never freed: they are static). */
    static String string(MemorySegment cString) {
        return cString.equals(MemorySegment.NULL) ? "(no description)" : cString.reinterpret(4096).getString(0);
    }

    static MemorySegment pointer(long address) {
        return MemorySegment.ofAddress(address);
    }

    /** Method-handle invocations declare Throwable; a CUDA call throws nothing checked. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
