package optlab.models.io;

import java.io.IOException;
import java.nio.file.Path;

/** A safetensors file that is malformed, or that does not match the tensors it should fill; names the file. */
public final class SafeTensorsException extends IOException {
    private static final long serialVersionUID = 1L;

    SafeTensorsException(Path file, String problem) {
        super(file + ": " + problem);
    }

    SafeTensorsException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
