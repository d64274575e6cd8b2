package optlab.optim;

/**
 * Path-SGD's unsaved attachment to its state: the model's path structure, which {@link PathSGD#init} takes
 * from the {@link ParamSpace} and {@link PathSGD#resume} puts back after a load.
 */
record PathContext(PathStructure structure) implements AutoCloseable {
    PathContext {
        java.util.Objects.requireNonNull(structure, "path structure");
    }

    @Override
    public void close() {
    }
}
