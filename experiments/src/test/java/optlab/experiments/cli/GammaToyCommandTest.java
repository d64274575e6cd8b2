package optlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GammaToyCommandTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void writesSummaryWithBothSlopesCsvAndFigure() throws Exception {
        Path out = tmp.resolve("toy");
        int rc = new CommandLine(new Main()).execute("run", "gamma-toy", "--depth", "2", "--out", out.toString(),
                "--gamma-min", "1e-3", "--gamma-max", "1e3", "--per-decade", "1", "--steps", "5000");
        assertEquals(0, rc);
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(2, s.get("depth").asInt());
        assertEquals(2.0, s.get("slope_small_gamma").asDouble(), 0.05, s.toString());
        assertEquals(1.0, s.get("slope_large_gamma").asDouble(), 0.05, s.toString());
        assertEquals(7, s.get("eta_max").size());
        JsonNode first = s.get("eta_max").get(0);
        assertEquals(1e-3, first.get("gamma").asDouble(), 1e-15);
        assertEquals(first.get("eta_max_closed_form").asDouble(), first.get("eta_max").asDouble(),
                5e-3 * first.get("eta_max_closed_form").asDouble());
        assertTrue(s.get("fit_small_gamma").get("slope_ci_low").isNumber());
        assertEquals(8, Files.readAllLines(out.resolve("eta_max.csv")).size(), "header + 7 rows");
        BufferedImage png = ImageIO.read(out.resolve("eta_max.png").toFile());
        assertEquals(1000, png.getWidth());
        assertTrue(Files.size(out.resolve("eta_max.svg")) > 2000);
        assertEquals(-2.0, s.get("slope_small_gamma_lambda_max").asDouble(), 0.05, s.toString());
        assertEquals(-1.0, s.get("slope_large_gamma_lambda_max").asDouble(), 0.05, s.toString());
        assertTrue(Files.size(out.resolve("lambda_max.png")) > 5000);
    }

    @Test
    void badOptionsExitWithUsageError() {
        assertEquals(2, new CommandLine(new Main()).execute("run", "gamma-toy", "--depth", "0", "--out", tmp.toString()));
        assertEquals(2, new CommandLine(new Main()).execute("run", "gamma-toy", "--depth", "2", "--out", tmp.toString(),
                "--gamma-min", "10", "--gamma-max", "1"));
        assertEquals(2, new CommandLine(new Main()).execute("run", "gamma-toy", "--out", tmp.toString()), "--depth is required");
    }
}
