/** Data, training runs, sweeps, plots, the command-line tool and benchmarks. */
module optlab.experiments {
    requires optlab.models;
    requires info.picocli;
    requires jmh.core;
    // JMH (an automatic module) reads sun.misc.Unsafe; nothing resolves jdk.unsupported for it on the module path.
    requires jdk.unsupported;
    requires com.fasterxml.jackson.databind;

    exports optlab.experiments.cli;
    exports optlab.experiments.data;

    opens optlab.experiments.cli to info.picocli;
    opens optlab.experiments.bench to info.picocli, jmh.core, com.fasterxml.jackson.databind;
}
