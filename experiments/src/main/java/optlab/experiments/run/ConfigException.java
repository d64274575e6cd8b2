package optlab.experiments.run;

/** A run config that cannot be used; the message starts with the JSON path of the offending field. */
public final class ConfigException extends IllegalArgumentException {
    private final String path;

    public ConfigException(String path, String message) {
        super((path.isEmpty() ? "config" : path) + ": " + message);
        this.path = path;
    }

    /** Dotted JSON path of the field, e.g. "optimizer.lr"; "" for the whole document. */
    public String path() {
        return path;
    }
}
