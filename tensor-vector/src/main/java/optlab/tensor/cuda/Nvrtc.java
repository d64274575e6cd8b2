package optlab.tensor.cuda;

import static optlab.tensor.cuda.Downcalls.INT;
import static optlab.tensor.cuda.Downcalls.PTR;
import static optlab.tensor.cuda.Downcalls.rethrow;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * NVRTC: CUDA C source compiled to PTX at run time, so building optlab needs no nvcc. A failed compilation
 * throws with NVRTC's status text followed by the compiler's log.
 */
final class Nvrtc {
    private final MethodHandle create, compile, logSize, log, ptxSize, ptx, destroy, errorString;

    Nvrtc(SymbolLookup lib) {
        Downcalls d = new Downcalls(lib, "libnvrtc");
        // (prog*, src, name, numHeaders, headers, includeNames)
        create = d.status("nvrtcCreateProgram", PTR, PTR, PTR, INT, PTR, PTR);
        compile = d.status("nvrtcCompileProgram", PTR, INT, PTR);
        logSize = d.status("nvrtcGetProgramLogSize", PTR, PTR);
        log = d.status("nvrtcGetProgramLog", PTR, PTR);
        ptxSize = d.status("nvrtcGetPTXSize", PTR, PTR);
        ptx = d.status("nvrtcGetPTX", PTR, PTR);
        destroy = d.status("nvrtcDestroyProgram", PTR);
        errorString = d.handle("nvrtcGetErrorString", FunctionDescriptor.of(PTR, INT));
    }

    private void check(String call, int status, String log) {
        if (status != 0) {
            String text;
            try {
                text = Downcalls.string((MemorySegment) errorString.invokeExact(status));
            } catch (Throwable t) {
                throw rethrow(t);
            }
            throw new CudaException(call, status, text + (log == null || log.isBlank() ? "" : "; compiler log:\n" + log.strip()));
        }
    }

    /** PTX text for {@code source} (program name {@code name}) compiled with {@code options}. */
    String compile(String source, String name, List<String> options) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment prog = a.allocate(PTR);
            check("nvrtcCreateProgram", (int) create.invokeExact(prog, a.allocateFrom(source), a.allocateFrom(name), 0,
                    MemorySegment.NULL, MemorySegment.NULL), null);
            MemorySegment handle = prog.get(ValueLayout.ADDRESS, 0);
            try {
                MemorySegment opts = a.allocate(PTR, Math.max(1, options.size()));
                for (int i = 0; i < options.size(); i++) {
                    opts.setAtIndex(ValueLayout.ADDRESS, i, a.allocateFrom(options.get(i)));
                }
                int status = (int) compile.invokeExact(handle, options.size(), opts);
                check("nvrtcCompileProgram(" + name + ")", status, status == 0 ? null : log(a, handle));
                MemorySegment size = a.allocate(ValueLayout.JAVA_LONG);
                check("nvrtcGetPTXSize", (int) ptxSize.invokeExact(handle, size), null);
                MemorySegment text = a.allocate(Math.max(1, size.get(ValueLayout.JAVA_LONG, 0)));
                check("nvrtcGetPTX", (int) ptx.invokeExact(handle, text), null);
                return text.getString(0);
            } finally {
                check("nvrtcDestroyProgram", (int) destroy.invokeExact(prog), null);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private String log(Arena a, MemorySegment handle) throws Throwable {
        MemorySegment size = a.allocate(ValueLayout.JAVA_LONG);
        if ((int) logSize.invokeExact(handle, size) != 0) {
            return "";
        }
        MemorySegment text = a.allocate(Math.max(1, size.get(ValueLayout.JAVA_LONG, 0)));
        return (int) log.invokeExact(handle, text) == 0 ? text.getString(0) : "";
    }
}
