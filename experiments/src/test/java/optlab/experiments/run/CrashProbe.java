package optlab.experiments.run;

import optlab.experiments.loop.Probe;
import optlab.experiments.loop.StepView;

/** A probe that throws after one update: the run dies with rows after its last checkpoint already written. */
public final class CrashProbe {
    private CrashProbe() {
    }

    /** Throws an IllegalStateException after update {@code at}. */
    public static Probe after(long at) {
        return new Probe() {
            @Override
            public String name() {
                return "crash";
            }

            @Override
            public void afterUpdate(StepView s) {
                if (s.step() == at) {
                    throw new IllegalStateException("simulated crash after step " + at);
                }
            }
        };
    }
}
