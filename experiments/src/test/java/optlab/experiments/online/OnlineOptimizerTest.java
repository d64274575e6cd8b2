package optlab.experiments.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import optlab.experiments.run.ConfigException;
import optlab.optim.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online runs step with whatever optimizer the config names, at the parameterization's learning rate: plain SGD by
 * default (the same run as before the field existed), momentum or Adam when asked; probes attach as in any run.
 */
class OnlineOptimizerTest {
    @TempDir
    Path tmp;

    private OnlineRunTest harness() {
        OnlineRunTest t = new OnlineRunTest();
        t.tmp = tmp;
        return t;
    }

    @Test
    void theConfigNamesTheOptimizerAndItsLrComesFromEta0() throws IOException {
        OnlineRunTest t = harness();
        OnlineConfig plain = OnlineConfig.parse(t.config("plain", "{}"));
        assertEquals(new SGD(plain.lr()), plain.stepRule(), "default: plain SGD at learningRate(eta0, width)");
        OnlineConfig sgd = OnlineConfig.parse(t.config("sgd", "{\"optimizer\": \"sgd\"}"));
        assertEquals(plain.stepRule(), sgd.stepRule());
        OnlineConfig mom = OnlineConfig.parse(t.config("mom", "{\"optimizer\": \"sgd:lr=9,momentum=0.9\"}"));
        assertEquals(new SGD(plain.lr(), 0.9), mom.stepRule(), "the lr is replaced by eta0's");
        t.run(t.config("plain", "{}"));
        t.run(t.config("sgd", "{\"optimizer\": \"sgd\"}"));
        t.run(t.config("mom", "{\"optimizer\": \"sgd:momentum=0.9\", \"probes\": [\"grad_norms:every=10\"]}"));
        List<String> a = OnlineRunTest.column(tmp.resolve("plain/steps.csv"), 1);
        assertEquals(a, OnlineRunTest.column(tmp.resolve("sgd/steps.csv"), 1));
        List<String> m = OnlineRunTest.column(tmp.resolve("mom/steps.csv"), 1);
        assertEquals(a.get(0), m.get(0));
        assertNotEquals(a, m);
        assertEquals(4, Files.readAllLines(tmp.resolve("mom/grad_norms.csv")).size(), "header + steps 0, 10, 20");
        JsonNode s = OnlineRunTest.JSON.readTree(tmp.resolve("mom/summary.json").toFile());
        assertTrue(s.path("config").path("optimizer").asText().startsWith("sgd:"), s.toString());
        assertEquals(OnlineConfig.parse(s.path("config")), OnlineConfig.parse(t.config("mom",
                "{\"optimizer\": \"sgd:momentum=0.9\", \"probes\": [\"grad_norms:every=10\"]}")));
        assertTrue(!OnlineRunTest.JSON.readTree(tmp.resolve("plain/summary.json").toFile()).path("config").has("optimizer"),
                "the default is not written, so older sweeps' configs stay equal");
        assertThrows(ConfigException.class, () -> OnlineConfig.parse(t.config("x", "{\"optimizer\": \"nope\"}")));
    }
}
