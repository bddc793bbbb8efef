package dev.jrsync.interop.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A private OpenSSH server for the remote-shell tests: Debian's {@value #SSHD} (package openssh-server, installed by
 * .ci/run) run as {@code sshd -D -e -f CONFIG} on 127.0.0.1 and an ephemeral port, with its own configuration, a
 * host key and a client key generated into its state directory, and the client key as the only authorized key for
 * the current user. {@link #command()} is the matching {@code ssh} command line for {@code -e}.
 *
 * <p>It works as root (privilege separation needs /run/sshd, created here if missing) and as an ordinary user (then
 * sshd can only log that user in, which is all the tests need). A missing binary fails the test with the install
 * command; it never skips.
 *
 * <p>Immutable once started and thread-safe; {@link #start} blocks until a real {@code ssh ... true} has logged in
 * (bounded), {@link #close} stops the server and its per-connection children by PID.
 */
public final class Sshd implements Rsh, AutoCloseable {

    /** The server binary. */
    public static final String SSHD = "/usr/sbin/sshd";
    /** The client binary. */
    public static final String SSH = "/usr/bin/ssh";
    /** The key generator. */
    public static final String SSH_KEYGEN = "/usr/bin/ssh-keygen";

    /** The address the server listens on and the host name clients use. */
    public static final String HOST = "127.0.0.1";

    private static final String INSTALL_HINT = " (the remote-shell tests need OpenSSH; as root: apt-get install"
            + " openssh-server openssh-client, which .ci/run does)";
    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Path PRIVSEP_DIR = Path.of("/run/sshd");

    private final Path dir;
    private final int port;
    private final Path clientKey;
    private final Proc.Running process;

    private Sshd(Path dir, int port, Path clientKey, Proc.Running process) {
        this.dir = dir;
        this.port = port;
        this.clientKey = clientKey;
        this.process = process;
    }

    /** Starts a server with its keys, configuration, pid file and log in {@code dir} (created if missing). */
    public static Sshd start(Path dir) throws IOException, InterruptedException {
        for (String binary : List.of(SSHD, SSH, SSH_KEYGEN)) {
            if (!Files.isExecutable(Path.of(binary))) {
                throw new AssertionError(binary + " is missing or not executable" + INSTALL_HINT);
            }
        }
        Path abs = Files.createDirectories(dir).toAbsolutePath();
        if (abs.toString().chars().anyMatch(c -> Character.isWhitespace(c) || "'\"\\#".indexOf(c) >= 0)) {
            // The paths go unquoted into sshd_config and into the -e string, which rsync splits at whitespace.
            throw new IllegalArgumentException("sshd directory: " + abs + " (expected: no whitespace or quotes)");
        }
        Path hostKey = keygen(abs.resolve("host_ed25519"), "jrsync-interop-host");
        Path clientKey = keygen(abs.resolve("id_ed25519"), "jrsync-interop-client");
        Path authorized = abs.resolve("authorized_keys");
        Files.copy(Path.of(clientKey + ".pub"), authorized);
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-------"));
        String user = currentUser();
        if ("root".equals(user) && !Files.isDirectory(PRIVSEP_DIR)) {
            // Debian's init script or systemd unit creates it; the package's postinst does not when it cannot start.
            Files.createDirectories(PRIVSEP_DIR);
            Files.setPosixFilePermissions(PRIVSEP_DIR, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return Ports.withRetry(5, port -> {
            Path config = abs.resolve("sshd_config");
            Files.writeString(config, config(abs, port, hostKey, authorized, user));
            Path out = abs.resolve("sshd.out");
            Path err = abs.resolve("sshd.err");
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            Proc.Running running = Proc.start(List.of(SSHD, "-D", "-e", "-f", config.toString()), Map.of(), abs,
                    out, err);
            Sshd sshd = new Sshd(abs, port, clientKey, running);
            try {
                Ports.awaitListening(running.handle(), port, LISTEN_TIMEOUT, running::stderr);
                sshd.awaitLogin();
                return sshd;
            } catch (RuntimeException | Error | IOException | InterruptedException e) {
                running.stop(STOP_GRACE);
                throw e;
            }
        });
    }

    private static String config(Path dir, int port, Path hostKey, Path authorized, String user) {
        return String.join("\n",
                "# Written by dev.jrsync.interop.support.Sshd for one test class; started with sshd -D -e -f.",
                "ListenAddress " + HOST,
                "Port " + port,
                "HostKey " + hostKey,
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorized,
                "AllowUsers " + user,
                "AuthenticationMethods publickey",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                // The keys live in a test's temporary directory, whose owner and modes sshd would otherwise check.
                "StrictModes no",
                // PAM needs root; without it sshd logs in only the user it runs as, which suffices.
                "UsePAM no",
                "UseDNS no",
                "PrintMotd no",
                "PrintLastLog no",
                "PermitUserEnvironment no",
                "X11Forwarding no",
                "AllowTcpForwarding no",
                "AllowAgentForwarding no",
                "PermitTunnel no",
                "LogLevel INFO",
                "");
    }

    private static Path keygen(Path key, String comment) throws IOException, InterruptedException {
        Proc.run(List.of(SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", key.toString()),
                Map.of(), null, LOGIN_TIMEOUT).expectSuccess();
        return key;
    }

    private static String currentUser() throws IOException, InterruptedException {
        return Proc.run(List.of("id", "-un"), Map.of(), null, LOGIN_TIMEOUT).expectSuccess().stdout().strip();
    }

    /** A real login running {@code true}: proves keys, configuration and the user's shell before any test uses it. */
    private void awaitLogin() throws IOException, InterruptedException {
        Proc.Result r = ssh(List.of("true"), LOGIN_TIMEOUT);
        if (r.exitCode() != 0) {
            throw new AssertionError("ssh login to the test sshd on " + HOST + ":" + port + " failed\n"
                    + r.describe() + "\n--- sshd log ---\n" + process.stderr());
        }
    }

    /** The ssh client options, without the program. */
    private List<String> options() {
        return List.of("-F", "none", "-i", clientKey.toString(), "-p", Integer.toString(port),
                "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "BatchMode=yes", "-o", "LogLevel=ERROR");
    }

    /** Runs {@code ssh ... 127.0.0.1 WORDS...} (ssh joins the words with spaces, the login shell splits them). */
    public Proc.Result ssh(List<String> words, Duration timeout) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(SSH);
        command.addAll(options());
        command.add(HOST);
        command.addAll(words);
        return Proc.run(command, Map.of(), null, timeout);
    }

    @Override
    public String command() {
        return SSH + " " + String.join(" ", options());
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public String name() {
        return "ssh";
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Everything sshd logged so far (-e: its log goes to stderr): one "Accepted publickey" line per login. */
    public String log() {
        return process.stderr();
    }

    /** Stops sshd and its per-connection children by PID. Idempotent. */
    @Override
    public void close() {
        process.stop(STOP_GRACE);
    }

    @Override
    public String toString() {
        return "sshd pid " + process.pid() + " on " + HOST + ":" + port + " (state in " + dir + ")";
    }
}
