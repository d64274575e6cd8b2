package optlab.tensor.cuda;

import static optlab.tensor.cuda.Downcalls.FLOAT;
import static optlab.tensor.cuda.Downcalls.INT;
import static optlab.tensor.cuda.Downcalls.PTR;
import static optlab.tensor.cuda.Downcalls.SIZE;
import static optlab.tensor.cuda.Downcalls.pointer;
import static optlab.tensor.cuda.Downcalls.rethrow;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The CUDA runtime (libcudart): device memory, host↔device copies, streams, events and error strings.
 * Device pointers, streams and events travel as raw addresses ({@code long}); every failure status becomes a
 * {@link CudaException} carrying cudaGetErrorString's text.
 */
final class Cudart {
    /** cudaMemcpyKind. */
    static final int HOST_TO_DEVICE = 1, DEVICE_TO_HOST = 2, DEVICE_TO_DEVICE = 3;
    /** cudaError_t values the callers tell apart. */
    static final int SUCCESS = 0, ERROR_MEMORY_ALLOCATION = 2, ERROR_NO_DEVICE = 100, ERROR_INSUFFICIENT_DRIVER = 35;

    private final MethodHandle malloc, free, memcpy, memcpyAsync, memsetAsync, streamCreate, streamDestroy,
            streamSynchronize, eventCreate, eventRecord, eventSynchronize, eventElapsedTime, eventDestroy, errorString,
            errorName, deviceCount, setDevice, deviceSynchronize;

    Cudart(SymbolLookup lib) {
        Downcalls d = new Downcalls(lib, "libcudart");
        malloc = d.status("cudaMalloc", PTR, SIZE);
        free = d.status("cudaFree", PTR);
        memcpy = d.status("cudaMemcpy", PTR, PTR, SIZE, INT);
        memcpyAsync = d.status("cudaMemcpyAsync", PTR, PTR, SIZE, INT, PTR);
        memsetAsync = d.status("cudaMemsetAsync", PTR, INT, SIZE, PTR);
        streamCreate = d.status("cudaStreamCreate", PTR);
        streamDestroy = d.status("cudaStreamDestroy", PTR);
        streamSynchronize = d.status("cudaStreamSynchronize", PTR);
        eventCreate = d.status("cudaEventCreate", PTR);
        eventRecord = d.status("cudaEventRecord", PTR, PTR);
        eventSynchronize = d.status("cudaEventSynchronize", PTR);
        eventElapsedTime = d.status("cudaEventElapsedTime", PTR, PTR, PTR);
        eventDestroy = d.status("cudaEventDestroy", PTR);
        errorString = d.handle("cudaGetErrorString", FunctionDescriptor.of(PTR, INT));
        errorName = d.handle("cudaGetErrorName", FunctionDescriptor.of(PTR, INT));
        deviceCount = d.status("cudaGetDeviceCount", PTR);
        setDevice = d.status("cudaSetDevice", INT);
        deviceSynchronize = d.status("cudaDeviceSynchronize");
    }

    /** cudaGetErrorString: the runtime's description of a status. */
    String errorString(int status) {
        try {
            return Downcalls.string((MemorySegment) errorString.invokeExact(status));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** cudaGetErrorName, e.g. "cudaErrorMemoryAllocation". */
    String errorName(int status) {
        try {
            return Downcalls.string((MemorySegment) errorName.invokeExact(status));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void check(String call, int status) {
        if (status != SUCCESS) {
            throw new CudaException(call, status, errorString(status) + " (" + errorName(status) + ")");
        }
    }

    int deviceCount() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(INT);
            check("cudaGetDeviceCount", (int) deviceCount.invokeExact(n));
            return n.get(INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void setDevice(int device) {
        try {
            check("cudaSetDevice", (int) setDevice.invokeExact(device));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void deviceSynchronize() {
        try {
            check("cudaDeviceSynchronize", (int) deviceSynchronize.invokeExact());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Device memory of {@code bytes} (≥ 1); throws with cudaErrorMemoryAllocation's text when the device is full. */
    long malloc(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(PTR);
            check("cudaMalloc(" + bytes + " bytes)", (int) malloc.invokeExact(p, bytes));
            return p.get(ValueLayout.ADDRESS, 0).address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void free(long devicePointer) {
        try {
            check("cudaFree", (int) free.invokeExact(pointer(devicePointer)));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Synchronous copy of {@code bytes} between raw addresses in the given direction. */
    void memcpy(long dst, long src, long bytes, int kind) {
        try {
            check("cudaMemcpy", (int) memcpy.invokeExact(pointer(dst), pointer(src), bytes, kind));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void memcpyAsync(long dst, long src, long bytes, int kind, long stream) {
        try {
            check("cudaMemcpyAsync", (int) memcpyAsync.invokeExact(pointer(dst), pointer(src), bytes, kind, pointer(stream)));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void memsetAsync(long dst, int value, long bytes, long stream) {
        try {
            check("cudaMemsetAsync", (int) memsetAsync.invokeExact(pointer(dst), value, bytes, pointer(stream)));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long streamCreate() {
        return create("cudaStreamCreate", streamCreate);
    }

    void streamDestroy(long stream) {
        call("cudaStreamDestroy", streamDestroy, stream);
    }

    void streamSynchronize(long stream) {
        call("cudaStreamSynchronize", streamSynchronize, stream);
    }

    long eventCreate() {
        return create("cudaEventCreate", eventCreate);
    }

    void eventRecord(long event, long stream) {
        try {
            check("cudaEventRecord", (int) eventRecord.invokeExact(pointer(event), pointer(stream)));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void eventSynchronize(long event) {
        call("cudaEventSynchronize", eventSynchronize, event);
    }

    /** Milliseconds between two recorded, completed events. */
    float eventElapsedMillis(long start, long end) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ms = a.allocate(FLOAT);
            check("cudaEventElapsedTime", (int) eventElapsedTime.invokeExact(ms, pointer(start), pointer(end)));
            return ms.get(FLOAT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void eventDestroy(long event) {
        call("cudaEventDestroy", eventDestroy, event);
    }

    private long create(String name, MethodHandle h) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(PTR);
            check(name, (int) h.invokeExact(p));
            return p.get(ValueLayout.ADDRESS, 0).address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private void call(String name, MethodHandle h, long handle) {
        try {
            check(name, (int) h.invokeExact(pointer(handle)));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
