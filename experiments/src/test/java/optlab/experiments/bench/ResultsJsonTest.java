package optlab.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON results: a list of objects with the documented snake_case keys, null where OpenBLAS is missing. */
class ResultsJsonTest {

    private static final BenchEnvironment ENV = new BenchEnvironment("25", "Linux amd64", "test cpu", 2,
            "cpu: 512-bit vectors, 1 thread(s)", "preferred", 512, null, JmhLauncher.Plan.standard());

    @Test
    void writesGemmRowsWithPerForkFigures(@TempDir Path dir) throws Exception {
        GemmShape s = GemmShape.byId("mlp-fwd-L2");
        List<GemmResult> rows = List.of(
                new GemmResult(s.label(), s.id(), s.m(), s.k(), s.n(), s.layout(), "F32", 2, 50.0, 100.0, 0.5,
                        List.of(49.0, 50.0, 51.0), List.of(99.0, 100.0, 101.0), false, false, null, "cpu", ENV),
                new GemmResult(s.label(), s.id(), s.m(), s.k(), s.n(), s.layout(), "F64", 1, 20.0, null, null,
                        List.of(20.0), null, false, false, null, "cpu", ENV));
        Path file = dir.resolve("sub/gemm.json");
        ResultsJson.write(file, rows);

        JsonNode root = ResultsJson.mapper().readTree(file.toFile());
        assertTrue(root.isArray());
        assertEquals(2, root.size());
        JsonNode first = root.get(0);
        assertEquals("mlp fwd L2 100x4000x4000 NT", first.get("shape").asText());
        assertEquals("F32", first.get("dtype").asText());
        assertEquals(2, first.get("threads").asInt());
        assertEquals(50.0, first.get("optlab_gflops").asDouble());
        assertEquals(100.0, first.get("openblas_gflops").asDouble());
        assertEquals(0.5, first.get("ratio").asDouble());
        assertEquals(3, first.get("optlab_fork_gflops").size());
        assertEquals(101.0, first.get("openblas_fork_gflops").get(2).asDouble());
        assertEquals("test cpu", first.get("env").get("cpu").asText());
        assertEquals(512, first.get("env").get("preferred_vector_bits").asInt());
        assertEquals(3, first.get("env").get("plan").get("forks").asInt());
        assertEquals(500, first.get("env").get("plan").get("measure_millis").asInt());
        JsonNode second = root.get(1);
        assertTrue(second.get("openblas_gflops").isNull());
        assertTrue(second.get("ratio").isNull());
    }

    @Test
    void summarizesRatiosAsGeometricMeansPerDtypeAndThreads() {
        GemmShape s = GemmShape.byId("sq64");
        List<GemmResult> rows = List.of(gemm(s, "F32", 1, 0.5), gemm(s, "F32", 1, 2.0), gemm(s, "F32", 2, 0.25),
                gemm(s, "F32", 2, null));
        assertEquals(List.of("geomean optlab/OpenBLAS F32 1 thr: 1.00 over 2 shape(s)",
                "geomean optlab/OpenBLAS F32 2 thr: 0.250 over 1 shape(s)"), BenchGemmCommand.summary(rows));
    }

    private static GemmResult gemm(GemmShape s, String dtype, int threads, Double ratio) {
        return new GemmResult(s.label(), s.id(), s.m(), s.k(), s.n(), s.layout(), dtype, threads, 1.0,
                ratio == null ? null : 1 / ratio, ratio, List.of(1.0), null, false, false, null, "cpu", ENV);
    }

    @Test
    void writesOpsRows(@TempDir Path dir) throws Exception {
        List<OpsResult> rows = List.of(new OpsResult("add", "a + b", "F32", 1, 4, 8, 384, 12.0, 24.0, 0.5,
                List.of(12.0), false, "ok", "cpu", ENV));
        Path file = dir.resolve("ops.json");
        ResultsJson.write(file, rows);
        JsonNode row = ResultsJson.mapper().readTree(file.toFile()).get(0);
        assertEquals("add", row.get("op").asText());
        assertEquals(12.0, row.get("gbps").asDouble());
        assertEquals(0.5, row.get("ratio_to_memcpy").asDouble());
        assertEquals("ok", row.get("status").asText());
    }
}
