package optlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import optlab.experiments.data.Sources;
import optlab.experiments.data.SystemPackages;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.experiments.data.Normalization;
import org.junit.jupiter.api.Test;

/**
 * The launcher's package policy without touching the machine: what it would run, what it tells a user who must run
 * it, that it installs nothing (and prints nothing) without privileges or apt, and that a data load consults the
 * policy in force. The install itself is checked by hand in a mount namespace (see the README).
 */
class InstallerTest {
    @Test
    void theOneCommandToRunNamesSudoUnlessRoot() {
        assertEquals("apt-get install dataset-fashion-mnist",
                new Installer(Installer.Privilege.ROOT, true).command("dataset-fashion-mnist"));
        assertEquals("sudo apt-get install libopenblas0-pthread",
                new Installer(Installer.Privilege.NONE, true).command("libopenblas0-pthread"));
        assertEquals("sudo apt-get install x", new Installer(Installer.Privilege.SUDO, true).command("x"));
        assertEquals("apt-get install x (as root; sudo is not installed)",
                new Installer(Installer.Privilege.NONE, true, false).command("x"));
    }

    @Test
    void thePlanInstallsThenUpdatesAndRetriesWithSudoWhereNeeded() {
        List<List<String>> root = new Installer(Installer.Privilege.ROOT, true).plan("p");
        assertEquals(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q", "--reinstall", "p"),
                root.get(0));
        assertEquals(List.of("apt-get", "update", "-q"), root.get(1));
        assertEquals(root.get(0), root.get(2));
        List<List<String>> sudo = new Installer(Installer.Privilege.SUDO, true).plan("p");
        for (List<String> step : sudo) {
            assertEquals(List.of("sudo", "-n"), step.subList(0, 2), step.toString());
        }
    }

    @Test
    void withoutPrivilegesOrAptNothingIsInstalledOrSaid() {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertFalse(new Installer(Installer.Privilege.NONE, true).install("p", "P"));
            assertFalse(new Installer(Installer.Privilege.ROOT, false).install("p", "P"));
        } finally {
            System.setErr(old);
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMissingDatasetAsksThePolicyAndNamesItsCommand() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isDirectory(Path.of(Sources.FASHION_MNIST_DIR)),
                "Fashion-MNIST is installed here (the mount-namespace check covers the missing case)");
        String[] asked = new String[1];
        SystemPackages.use(new SystemPackages() {
            @Override
            public boolean install(String pkg, String why) {
                asked[0] = pkg + " for " + why;
                return false;
            }

            @Override
            public String command(String pkg) {
                return "RUN-THIS " + pkg;
            }
        });
        try (Scope scope = Scope.open()) {
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.nio.file.NoSuchFileException.class,
                    () -> Sources.load("fashion-mnist", Sources.Part.TRAIN, DType.F32, Normalization.unit(), scope));
            assertTrue(e.getMessage().contains("run: RUN-THIS dataset-fashion-mnist"), e.getMessage());
            assertEquals("dataset-fashion-mnist for Fashion-MNIST", asked[0]);
        } finally {
            SystemPackages.use(SystemPackages.NONE);
        }
    }
}
