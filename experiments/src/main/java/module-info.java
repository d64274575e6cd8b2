/**
 * Data, training runs, sweeps, plots, the command-line tool and benchmarks. The library API: a run from a config
 * ({@link optlab.experiments.run.Runs}, config format on {@link optlab.experiments.run.RunConfig}), probes and the
 * training loop ({@code optlab.experiments.loop}), sweeps and their executor ({@code optlab.experiments.sweep}),
 * data sets ({@code optlab.experiments.data}), figures ({@code optlab.experiments.plot}) and fits
 * ({@code optlab.experiments.analysis}). JMH is an optional
 * dependency, needed by {@code optlab bench} only.
 */
module optlab.experiments {
    requires transitive optlab.models;
    requires info.picocli;
    // JMH only for 'optlab bench': static, so jlink links the image without it (an automatic module);
    // the launcher adds image/lib-bench to the module path and resolves it at run time.
    requires static jmh.core;
    // JMH (an automatic module) reads sun.misc.Unsafe; nothing resolves jdk.unsupported for it on the module path.
    requires jdk.unsupported;
    // Configs are Jackson trees in the API (RunConfig.parse).
    requires transitive com.fasterxml.jackson.databind;
    // Plots: JFreeChart draws on java.desktop's Graphics2D; JFreeSVG is a Graphics2D that writes SVG.
    requires java.desktop;
    requires org.jfree.jfreechart;
    requires org.jfree.svg;
    // Power-law fits: least squares and the t distribution for confidence intervals.
    requires commons.math3;

    exports optlab.experiments.analysis;
    exports optlab.experiments.cli;
    exports optlab.experiments.data;
    exports optlab.experiments.loop;
    exports optlab.experiments.plot;
    exports optlab.experiments.run;
    // Sweeps and the executor API (also for executors outside the library modules: the Spark plug-in).
    exports optlab.experiments.sweep;
    uses optlab.experiments.sweep.ExecutorProvider;

    opens optlab.experiments.cli to info.picocli;
    opens optlab.experiments.bench to info.picocli, jmh.core, com.fasterxml.jackson.databind;
}
