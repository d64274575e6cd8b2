package optlab.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import optlab.experiments.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Seeded fuzzing of run configs read from a file: truncations of a valid config, values swapped for hostile
 * ones (numbers past the long range, negatives, fractions, wrong types, bad spec strings), fields dropped, random
 * characters. Each either parses or fails with a one-line {@link ConfigException} that names the file; any other
 * exception fails the test with the seed and the text to replay it.
 */
class ConfigFuzzTest {
    static final long SEED = 1616L;
    static final String VALID = """
            {"name": "fz", "model": "mlp:8-16-3,dropout=0.1", "parameterization": "standard", "dtype": "f32",
             "init": {"scheme": "he"}, "loss": "mse", "batch_size": 16, "shuffle": true,
             "data": {"source": "gaussian-mixture", "classes": 3, "dim": 8, "train": 64, "test": 32, "validation": 8},
             "optimizer": {"name": "sgd", "lr": 0.1, "momentum": 0.9}, "schedule": {"name": "step", "step_size": 5},
             "steps": 20, "eval": {"every_steps": 5, "train_samples": 16, "at_start": false}, "check_every": 10,
             "seed": 1, "threads": 1, "probes": ["timing", {"name": "grad_norms", "every": 5}]}
            """;
    static final String[] VALUES = {"-1", "0", "1", "1e400", "-1e400", "1.5", "9223372036854775808", "-9223372036854775809",
            "2147483648", "1e-400", "\"\"", "\"x\"", "\"mlp:\"", "\"mlp:8-0-3\"", "\"sgd:lr=\"", "\"adam:lr=1,betas=(2,3)\"",
            "\"mup:gamma0=0\"", "\"ntk:gamma0=-1\"", "\"cosine:x=1\"", "null", "true", "[]", "[1]", "{}", "{\"name\": 1}",
            "\"mlp:8-16-3,dropout=1\"", "\"cnn:\"", "\"resnet:blocks=-1\"", "\"vit:image=4,patch=3\""};

    @TempDir
    Path dir;

    /** Reads {@code text} as a config file: it parses, or fails naming the file. Returns whether it parsed. */
    boolean clean(String text, String what) throws IOException {
        Path f = dir.resolve("fuzz.json");
        Files.writeString(f, text);
        return cleanFile(f, what, text);
    }

    boolean cleanFile(Path f, String what, String text) {
        try {
            RunConfig.read(f);
            return true;
        } catch (ConfigException e) {
            assertTrue(e.getMessage().startsWith(f.toString() + ": "), what + ": does not name the file: " + e.getMessage());
            assertEquals(-1, e.getMessage().indexOf('\n'), what + ": not one line: " + e.getMessage());
            return false;
        } catch (Throwable t) {
            fail(what + " (seed " + SEED + "): " + t + " for config:\n" + text, t);
            return false;
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void mutatedConfigsParseOrFailNamingTheFile() throws IOException {
        assertTrue(clean(VALID, "the valid config"));
        for (int n = 0; n < VALID.length() - 1; n += 3) {
            clean(VALID.substring(0, n), "truncated to " + n);
        }
        // Every value (numbers, strings, literals) replaced by hostile ones.
        Matcher m = Pattern.compile(":\\s*(\"[^\"]*\"|-?[0-9.eE+]+|true|false|null)").matcher(VALID);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(1), m.end(1)});
        }
        assertTrue(spans.size() >= 28, "values found: " + spans.size());
        SplittableRandom rng = new SplittableRandom(SEED);
        for (int[] s : spans) {
            for (int k = 0; k < 8; k++) {
                String v = VALUES[rng.nextInt(VALUES.length)];
                clean(VALID.substring(0, s[0]) + v + VALID.substring(s[1]), "value at " + s[0] + " := " + v);
            }
        }
        String alphabet = "{}[]:,\"-0123456789.eE ntrufalsxyz\\";
        for (int i = 0; i < 200; i++) {
            StringBuilder t = new StringBuilder(VALID);
            for (int e = 1 + rng.nextInt(3); e > 0; e--) {
                int at = rng.nextInt(t.length());
                switch (rng.nextInt(3)) {
                    case 0 -> t.deleteCharAt(at);
                    case 1 -> t.insert(at, alphabet.charAt(rng.nextInt(alphabet.length())));
                    default -> t.setCharAt(at, alphabet.charAt(rng.nextInt(alphabet.length())));
                }
            }
            clean(t.toString(), "mutation " + i);
        }
        // Not UTF-8, and not text at all.
        byte[] bytes = new byte[64];
        rng.nextBytes(bytes);
        bytes[0] = '{';
        bytes[1] = (byte) 0xC3; // a UTF-8 lead byte without its continuation
        bytes[2] = '"';
        Files.write(dir.resolve("bytes.json"), bytes);
        cleanFile(dir.resolve("bytes.json"), "random bytes", "(binary)");
    }

    /** The case: a truncated config through {@code optlab train} says which file, line and column. */
    @Test
    void aTruncatedConfigNamesItsFileOnTheCommandLine() throws IOException {
        Path f = dir.resolve("cut.json");
        Files.writeString(f, "{\"model\": \"mlp:8-16-3\",\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream was = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new Main()).execute("train", f.toString(), "--no-plot");
        } finally {
            System.setErr(was);
        }
        assertEquals(2, code);
        String msg = err.toString(StandardCharsets.UTF_8).strip();
        assertTrue(msg.startsWith("optlab train: " + f + ": config: not valid JSON") && msg.contains("line 2"), msg);
        assertEquals(-1, msg.indexOf('\n'), msg);
        // A bad field of the file names the file too; the same field set by a flag names the flag instead.
        Files.writeString(f, "{\"model\": \"mlp:8-16-3\", \"data\": \"fashion-mnist\", \"optimizer\": \"sgd:lr=-1\", \"steps\": 1}");
        err.reset();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, new CommandLine(new Main()).execute("train", f.toString(), "--no-plot"));
            assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("optlab train: " + f + ": optimizer"), err.toString());
            err.reset();
            assertEquals(2, new CommandLine(new Main()).execute("train", f.toString(), "--optimizer", "sgd:lr=-2", "--no-plot"));
            String s = err.toString(StandardCharsets.UTF_8);
            assertTrue(s.startsWith("optlab train: optimizer") && s.contains("(flag --optimizer)"), s);
        } finally {
            System.setErr(was);
        }
    }
}
