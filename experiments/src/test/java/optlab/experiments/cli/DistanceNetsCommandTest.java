package optlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import optlab.experiments.distancenets.Arch;
import optlab.experiments.distancenets.Method;
import optlab.experiments.distancenets.Settings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code optlab run distance-nets}: presets, overrides, bad options exit 2 naming them. */
class DistanceNetsCommandTest {
    static Settings settings(String... args) {
        DistanceNetsCommand cmd = new DistanceNetsCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.settings();
    }

    @Test
    void presetsAndOverrides() {
        Settings quick = settings();
        assertEquals("quick", quick.preset());
        assertEquals(Path.of("runs", "distance-nets-quick"), quick.out());
        assertEquals(List.of(1, 3, 6), quick.depths());
        assertEquals(List.of(Arch.values()), quick.archs());
        assertEquals(List.of(Method.values()), quick.methods());
        assertEquals(6000, quick.trainSamples());

        Settings s = settings("--preset", "paper", "--depths", "2,4", "--archs", "distance,sigmoid", "--methods",
                "adam,rmsprop-kurbiel", "--lrs", "0.1,0.01", "--epochs", "7", "--train", "1000", "--validation", "100",
                "--width", "32", "--seed", "5", "--workers", "1", "--data", "mnist:/data/mnist", "--out", "x");
        assertEquals(List.of(2, 4), s.depths());
        assertEquals(List.of(Arch.DISTANCE, Arch.SIGMOID), s.archs());
        assertEquals(List.of(Method.ADAM, Method.RMSPROP_KURBIEL), s.methods());
        assertEquals(List.of(0.1, 0.01), s.lrs().get(Method.ADAM));
        assertEquals(7, s.epochs());
        assertEquals(1000, s.trainSamples());
        assertEquals(100, s.validation());
        assertEquals(32, s.width());
        assertEquals(5, s.seed());
        assertEquals("mnist:/data/mnist", s.data().asText());
        assertEquals(Path.of("x"), s.out());
    }

    @Test
    void badOptionsExitTwoNamingThem() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, new CommandLine(new Main()).execute("run", "distance-nets", "--archs", "cnn"));
            assertEquals(2, new CommandLine(new Main()).execute("run", "distance-nets", "--train", "100",
                    "--validation", "100"));
        } finally {
            System.setErr(err);
        }
        assertTrue(captured.toString().contains("unknown architecture 'cnn'"), captured.toString());
        assertTrue(captured.toString().contains("--validation 100 leaves nothing"), captured.toString());
    }
}
