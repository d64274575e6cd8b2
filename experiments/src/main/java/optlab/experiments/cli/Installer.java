package optlab.experiments.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import optlab.experiments.data.SystemPackages;

/**
 * The launcher's {@link SystemPackages}: a Debian package a command needs (Fashion-MNIST, OpenBLAS) is installed
 * with apt-get when this process may (root, or sudo without a password) and apt-get is there, with one line on
 * stderr saying so; otherwise nothing is installed and the command to run names sudo where it is needed (or, where
 * sudo is not installed, says to run it as root). Output of apt-get goes to a log file, shown (its last lines) only
 * when the install fails.
 */
final class Installer implements SystemPackages {
    /** How privileges are obtained: none possible, already root, or sudo without a password. */
    enum Privilege {
        NONE, ROOT, SUDO
    }

    private final Privilege privilege;
    private final boolean apt;
    private final boolean sudo;

    /** {@code sudo}: the sudo program is installed (with a password, the user can still run the command it names). */
    Installer(Privilege privilege, boolean apt, boolean sudo) {
        this.privilege = privilege;
        this.apt = apt;
        this.sudo = sudo;
    }

    Installer(Privilege privilege, boolean apt) {
        this(privilege, apt, true);
    }

    /** The launcher's policy: the machine is probed at the first missing package, so a start-up spawns nothing. */
    static SystemPackages onFirstUse() {
        return new SystemPackages() {
            private Installer probed;

            private synchronized Installer get() {
                return probed == null ? probed = probe() : probed;
            }

            @Override
            public boolean install(String pkg, String why) {
                return get().install(pkg, why);
            }

            @Override
            public String command(String pkg) {
                return get().command(pkg);
            }
        };
    }

    /** This machine's situation (id -u, sudo -n true, apt-get on the PATH). */
    static Installer probe() {
        boolean root = "0".equals(output("id", "-u"));
        Privilege p = root ? Privilege.ROOT : runs("sudo", "-n", "true") ? Privilege.SUDO : Privilege.NONE;
        return new Installer(p, onPath("apt-get"), onPath("sudo"));
    }

    @Override
    public String command(String pkg) {
        return privilege == Privilege.ROOT ? "apt-get install " + pkg
                : sudo ? "sudo apt-get install " + pkg : "apt-get install " + pkg + " (as root; sudo is not installed)";
    }

    /** The apt-get invocations of an install: update the lists only when the first try fails (a fresh machine). */
    List<List<String>> plan(String pkg) {
        List<String> sudo = privilege == Privilege.SUDO ? List.of("sudo", "-n") : List.of();
        // --reinstall: the files may be gone while dpkg still lists the package; on a fresh machine it just installs.
        List<String> install = new ArrayList<>(sudo);
        install.addAll(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q", "--reinstall", pkg));
        List<String> update = new ArrayList<>(sudo);
        update.addAll(List.of("apt-get", "update", "-q"));
        return List.of(install, update, install);
    }

    @Override
    public boolean install(String pkg, String why) {
        if (privilege == Privilege.NONE || !apt) {
            return false;
        }
        System.err.println("optlab: " + why + " is missing; installing Debian's package " + pkg + " (apt-get"
                + (privilege == Privilege.SUDO ? " through sudo" : "") + ") ...");
        Path log = null;
        try {
            log = Files.createTempFile("optlab-apt-", ".log");
            List<List<String>> plan = plan(pkg);
            if (exec(plan.get(0), log) || exec(plan.get(1), log) && exec(plan.get(2), log)) {
                Files.deleteIfExists(log);
                return true;
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            System.err.println("optlab: apt-get could not install " + pkg + " (log " + log + "): "
                    + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
        } catch (IOException e) {
            System.err.println("optlab: could not run apt-get to install " + pkg + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static boolean exec(List<String> command, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        return p.waitFor() == 0;
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String output(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
