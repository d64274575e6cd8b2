package optlab.experiments.plot;

/** What the shared horizontal axis counts. */
public enum XAxis {
    STEPS("step"),
    EPOCHS("epoch");

    private final String label;

    XAxis(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
