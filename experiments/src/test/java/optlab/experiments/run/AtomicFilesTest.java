package optlab.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesWholeFileWithTheUsualPermissionsAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("summary.json");
        AtomicFiles.write(file, "first");
        AtomicFiles.write(file, "second");
        assertEquals("second", Files.readString(file));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
        // Results are for sharing: the same permissions as any file this process creates (umask), not owner-only.
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
}
