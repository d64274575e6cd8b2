package optlab.tensor.cuda;

import optlab.tensor.backend.BackendUnavailableException;

/** CUDA cannot run here: a library, the driver or a device is missing. The message is one sentence naming CUDA. */
public final class CudaUnavailableException extends BackendUnavailableException {
    CudaUnavailableException(String sentence) {
        super(sentence);
    }
}
