package optlab.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import optlab.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Option parsing: lists parse, and bad values stop both commands with exit code 2 and a message naming the option. */
class BenchOptionsTest {

    @Test
    void parsesThreadAndDtypeLists() {
        assertEquals(List.of(1, 2, 8), BenchOptions.parseThreads("1, 2,8,2"));
        assertEquals(List.of(DType.F64, DType.F32), BenchOptions.parseDtypes("F64,f32"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--threads=0|--threads takes a comma-separated list of positive integers",
            "--threads=1,x|bad entry 'x'",
            "--threads=1,,2|bad entry ''",
            "--threads=-2|bad entry '-2'",
            "--shapes=sq64,sq65|unknown shape 'sq65'",
            "--dtype=f16|--dtype takes a comma-separated list of f32, f64",
            "--shapes=mlp --dtype=f64|no benchmark matches"})
    void gemmRejectsBadOptionsBeforeMeasuring(String args, String message) {
        assertUsageError(new BenchGemmCommand(), args, message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--threads=0|--threads takes a comma-separated list of positive integers",
            "--ops=add,gelu|unknown op 'gelu'",
            "--shape=0x5|--shape takes ROWSxCOLS",
            "--shape=64|--shape takes ROWSxCOLS",
            "--dtype=bf16|--dtype takes"})
    void opsRejectsBadOptionsBeforeMeasuring(String args, String message) {
        assertUsageError(new BenchOpsCommand(), args, message);
    }

    @Test
    void unwritableJsonPathFailsBeforeMeasuring(@TempDir Path dir) throws Exception {
        Path file = Files.createFile(dir.resolve("not-a-directory"));
        String json = "--json=" + file.resolve("gemm.json");
        assertUsageError(new BenchGemmCommand(), json + " --shapes=sq64", "--json: cannot create directory");
        assertUsageError(new BenchOpsCommand(), json, "--json: cannot create directory");
    }

    private static void assertUsageError(Object command, String args, String message) {
        StringWriter err = new StringWriter(), out = new StringWriter();
        CommandLine cli = new CommandLine(command).setErr(new PrintWriter(err)).setOut(new PrintWriter(out));
        int code = cli.execute(args.split(" "));
        assertEquals(2, code, () -> "exit code for " + args + "; stderr: " + err);
        assertTrue(err.toString().contains(message), () -> "stderr for " + args + " lacks '" + message + "': " + err);
        assertEquals("", out.toString(), "nothing measured or printed");
    }
}
