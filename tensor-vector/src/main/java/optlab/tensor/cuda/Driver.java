package optlab.tensor.cuda;

import static optlab.tensor.cuda.Downcalls.INT;
import static optlab.tensor.cuda.Downcalls.PTR;
import static optlab.tensor.cuda.Downcalls.pointer;
import static optlab.tensor.cuda.Downcalls.rethrow;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The CUDA driver API, for what the runtime does not offer: loading run-time-compiled PTX into a module,
 * finding its kernels and launching them with marshalled arguments. Works in the device's primary context,
 * the one libcudart uses, so device pointers and streams are shared with the runtime and cuBLAS.
 */
final class Driver {
    /** CUdevice_attribute. */
    static final int ATTRIBUTE_CC_MAJOR = 75, ATTRIBUTE_CC_MINOR = 76;

    private final MethodHandle init, deviceGet, attribute, primaryCtxRetain, ctxSetCurrent, moduleLoadData,
            moduleGetFunction, moduleUnload, launchKernel, errorString;

    Driver(SymbolLookup lib) {
        Downcalls d = new Downcalls(lib, "libcuda");
        init = d.status("cuInit", INT);
        deviceGet = d.status("cuDeviceGet", PTR, INT);
        attribute = d.status("cuDeviceGetAttribute", PTR, INT, INT);
        primaryCtxRetain = d.status("cuDevicePrimaryCtxRetain", PTR, INT);
        ctxSetCurrent = d.status("cuCtxSetCurrent", PTR);
        moduleLoadData = d.status("cuModuleLoadData", PTR, PTR);
        moduleGetFunction = d.status("cuModuleGetFunction", PTR, PTR, PTR);
        moduleUnload = d.status("cuModuleUnload", PTR);
        // (f, gridX, gridY, gridZ, blockX, blockY, blockZ, sharedBytes, stream, kernelParams, extra)
        launchKernel = d.status("cuLaunchKernel", PTR, INT, INT, INT, INT, INT, INT, INT, PTR, PTR, PTR);
        errorString = d.status("cuGetErrorString", INT, PTR);
    }

    void check(String call, int status) {
        if (status != 0) {
            String text = "(no description)";
            try (Arena a = Arena.ofConfined()) {
                MemorySegment p = a.allocate(PTR);
                if ((int) errorString.invokeExact(status, p) == 0) {
                    text = Downcalls.string(p.get(ValueLayout.ADDRESS, 0));
                }
            } catch (Throwable t) {
                throw rethrow(t);
            }
            throw new CudaException(call, status, text);
        }
    }

    void init() {
        try {
            check("cuInit", (int) init.invokeExact(0));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The CUdevice handle of ordinal {@code ordinal}. */
    int device(int ordinal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(INT);
            check("cuDeviceGet", (int) deviceGet.invokeExact(p, ordinal));
            return p.get(INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int attribute(int attribute, int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(INT);
            check("cuDeviceGetAttribute", (int) this.attribute.invokeExact(p, attribute, device));
            return p.get(INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Makes the device's primary context (the runtime's) current on the calling thread. */
    void usePrimaryContext(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(PTR);
            check("cuDevicePrimaryCtxRetain", (int) primaryCtxRetain.invokeExact(p, device));
            check("cuCtxSetCurrent", (int) ctxSetCurrent.invokeExact(p.get(ValueLayout.ADDRESS, 0)));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Loads a PTX (NUL-terminated text) image; returns the CUmodule. */
    long loadModule(String ptx) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(PTR);
            check("cuModuleLoadData", (int) moduleLoadData.invokeExact(p, a.allocateFrom(ptx)));
            return p.get(ValueLayout.ADDRESS, 0).address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long function(long module, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(PTR);
            check("cuModuleGetFunction(" + name + ")", (int) moduleGetFunction.invokeExact(p, pointer(module), a.allocateFrom(name)));
            return p.get(ValueLayout.ADDRESS, 0).address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void unloadModule(long module) {
        try {
            check("cuModuleUnload", (int) moduleUnload.invokeExact(pointer(module)));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** cuLaunchKernel with a 1-D grid; {@code params} is the void** array of pointers to each argument. */
    void launch(String name, long function, int grid, int block, long stream, MemorySegment params) {
        try {
            check("cuLaunchKernel(" + name + ")", (int) launchKernel.invokeExact(pointer(function), grid, 1, 1, block, 1, 1, 0,
                    pointer(stream), params, MemorySegment.NULL));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
