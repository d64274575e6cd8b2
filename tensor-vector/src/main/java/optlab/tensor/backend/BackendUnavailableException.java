package optlab.tensor.backend;

/**
 * A backend that cannot run on this machine (e.g. CUDA without a driver, libraries or device). The message
 * is one sentence meant for the user, so a command prints it as it is, without a stack trace.
 */
public class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String message) {
        super(message);
    }
}
