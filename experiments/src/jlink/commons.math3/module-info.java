/*
 * Module descriptor that the build adds to Apache Commons Math 3.6.1 (an automatic module named from
 * its file, which jlink cannot link) before linking the runtime image; see experiments/pom.xml,
 * execution jlink-image. Only the packages the image's users reach are linked: the power-law fits
 * (optlab.experiments.analysis.PowerLawFit: TDistribution) and JMH on the image's lib-bench path
 * (TDistribution, StatisticalSummary, Percentile, TestUtils), with every class those reach (jdeps
 * -verbose:class, followed to closure): 20 of the jar's 75 packages, 0.9 of its 1.5 MB (compressed)
 * left out. The build drops the other packages from the jar (commons-math3.unreached there); javac
 * fails if a package exported here is missing, so the two lists cannot drift apart silently.
 */
module commons.math3 {
    exports org.apache.commons.math3;
    exports org.apache.commons.math3.analysis;
    exports org.apache.commons.math3.analysis.differentiation;
    exports org.apache.commons.math3.analysis.function;
    exports org.apache.commons.math3.analysis.solvers;
    exports org.apache.commons.math3.distribution;
    exports org.apache.commons.math3.exception;
    exports org.apache.commons.math3.exception.util;
    exports org.apache.commons.math3.fraction;
    exports org.apache.commons.math3.linear;
    exports org.apache.commons.math3.random;
    exports org.apache.commons.math3.special;
    exports org.apache.commons.math3.stat;
    exports org.apache.commons.math3.stat.descriptive;
    exports org.apache.commons.math3.stat.descriptive.moment;
    exports org.apache.commons.math3.stat.descriptive.rank;
    exports org.apache.commons.math3.stat.descriptive.summary;
    exports org.apache.commons.math3.stat.inference;
    exports org.apache.commons.math3.stat.ranking;
    exports org.apache.commons.math3.util;
}
