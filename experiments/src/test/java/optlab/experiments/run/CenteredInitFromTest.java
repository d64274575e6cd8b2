package optlab.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * μP and NTK runs that start from loaded weights center on them (issue 16, item 2): the run from W with another seed
 * is bitwise the run that drew W itself, so f ≡ 0 at step 0 and the first MSE loss is the targets' own.
 */
class CenteredInitFromTest {
    @TempDir
    Path tmp;

    @Test
    void loadedWeightsAreTheCenterOfTheRun() throws IOException {
        TrainerTest t = new TrainerTest();
        t.tmp = tmp;
        for (String param : new String[] {"mup:gamma0=0.5", "ntk:gamma0=2"}) {
            String tag = param.substring(0, 3);
            String common = "\"parameterization\": \"" + param + "\", \"loss\": \"mse\", \"shuffle\": false, \"dtype\": \"f64\"";
            TrainerTest.run(t.config(tag + "-drawn", "{" + common + ", \"seed\": 7}"));
            Path w0 = tmp.resolve(tag + "-w0.safetensors");
            saveInit(t, common, w0);
            TrainerTest.run(t.config(tag + "-loaded", "{" + common + ", \"seed\": 8, \"init\": {\"from\": \"" + w0 + "\"}}"));
            List<String> drawn = TrainerTest.losses(tmp.resolve(tag + "-drawn"));
            List<String> loaded = TrainerTest.losses(tmp.resolve(tag + "-loaded"));
            assertEquals(drawn, loaded, param + ": the run from loaded weights is the run that drew them");
        }
    }

    /** Seed 7's initial weights, written by a run with no steps beyond its start (eval only, then save). */
    private void saveInit(TrainerTest t, String common, Path file) throws IOException {
        // steps must be >= 1, so take lr = 0: one update that moves nothing.
        TrainerTest.run(t.config("init-" + file.getFileName(), "{" + common + ", \"seed\": 7, \"steps\": 1,"
                + " \"optimizer\": \"sgd:lr=0\", \"save_to\": \"" + file + "\"}"));
    }
}
