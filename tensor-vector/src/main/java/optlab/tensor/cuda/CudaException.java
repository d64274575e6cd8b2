package optlab.tensor.cuda;

/**
 * A CUDA library call returned a failure status: names the call, the status code and the library's own
 * description of it (cudaGetErrorString, cublasGetStatusString, nvrtcGetErrorString, cuGetErrorString).
 */
public final class CudaException extends RuntimeException {
    private final String call;
    private final int status;

    CudaException(String call, int status, String description) {
        super(call + " failed: " + description + " (status " + status + ")");
        this.call = call;
        this.status = status;
    }

    /** The failing function, e.g. "cudaMalloc". */
    public String call() {
        return call;
    }

    /** The library's status code. */
    public int status() {
        return status;
    }
}
