package optlab.experiments.plot;

/** Bad input to a plot (missing folder, unreadable run file, bad option): the message is shown as is. */
public final class PlotException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PlotException(String message) {
        super(message);
    }
}
