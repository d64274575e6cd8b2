/** Data, training runs, sweeps, plots, the command-line tool and benchmarks. */
module optlab.experiments {
    requires optlab.models;
    requires info.picocli;
    // JMH only for 'optlab bench': static, so jlink links the image without it (an automatic module);
    // the launcher adds image/lib-bench to the module path and resolves it at run time.
    requires static jmh.core;
    // JMH (an automatic module) reads sun.misc.Unsafe; nothing resolves jdk.unsupported for it on the module path.
    requires jdk.unsupported;
    requires com.fasterxml.jackson.databind;
    // Plots: JFreeChart draws on java.desktop's Graphics2D; JFreeSVG is a Graphics2D that writes SVG.
    requires java.desktop;
    requires org.jfree.jfreechart;
    requires org.jfree.svg;
    // Power-law fits: least squares and the t distribution for confidence intervals.
    requires commons.math3;

    exports optlab.experiments.cli;
    // The executor API, for executors outside the library modules (the Spark plug-in on the class path).
    exports optlab.experiments.sweep;
    uses optlab.experiments.sweep.ExecutorProvider;
    exports optlab.experiments.data;

    opens optlab.experiments.cli to info.picocli;
    opens optlab.experiments.bench to info.picocli, jmh.core, com.fasterxml.jackson.databind;
}
