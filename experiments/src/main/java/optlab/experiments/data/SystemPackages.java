package optlab.experiments.data;

import java.util.Objects;

/**
 * What happens when data (or a native library) a command needs comes from a Debian package that is not installed.
 * By default nothing is installed: the load fails with a message that names the one command to run. The {@code
 * optlab} launcher installs such packages itself where it can (root or password-less sudo, apt present), saying so
 * in one line (see {@code optlab.experiments.cli.Installer}); a program using optlab as a library keeps the default
 * unless it opts in with {@link #use}.
 */
public interface SystemPackages {
    /**
     * Tries to install {@code pkg}, which {@code why} needs (e.g. "Fashion-MNIST"); true when it is now installed.
     * Says in one line what it does; never throws.
     */
    boolean install(String pkg, String why);

    /** The one command a user runs to install {@code pkg} by hand. */
    String command(String pkg);

    /** Installs nothing; the command to run is apt-get's, with sudo unless this JVM runs as root. */
    SystemPackages NONE = new SystemPackages() {
        @Override
        public boolean install(String pkg, String why) {
            return false;
        }

        @Override
        public String command(String pkg) {
            return ("root".equals(System.getProperty("user.name")) ? "" : "sudo ") + "apt-get install " + pkg;
        }
    };

    /** The policy in force (initially {@link #NONE}). */
    static SystemPackages current() {
        return Holder.current;
    }

    /** Sets the policy for this JVM (the launcher's is set once, at start-up). */
    static void use(SystemPackages policy) {
        Holder.current = Objects.requireNonNull(policy, "SystemPackages.use");
    }

    /** The one mutable field an interface cannot hold itself. */
    final class Holder {
        private static volatile SystemPackages current = NONE;

        private Holder() {
        }
    }
}
