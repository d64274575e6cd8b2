package optlab.experiments.run;

/** A run config that cannot be used; the message starts with the JSON path of the offending field. */
public final class ConfigException extends IllegalArgumentException {
    private final String path;

    public ConfigException(String path, String message) {
        super((path.isEmpty() ? "config" : path) + ": " + message);
        this.path = path;
    }

    private ConfigException(String path, String fullMessage, Throwable cause) {
        super(fullMessage, cause);
        this.path = path;
    }

    /** The same error, its message led by the config file it was found in. */
    public ConfigException in(java.nio.file.Path file) {
        return new ConfigException(path, file + ": " + getMessage(), this);
    }

    /** Dotted JSON path of the field, e.g. "optimizer.lr"; "" for the whole document. */
    public String path() {
        return path;
    }
}
