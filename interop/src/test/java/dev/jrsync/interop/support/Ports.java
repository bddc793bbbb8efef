package dev.jrsync.interop.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Ephemeral loopback ports for daemons under test, and the retry that covers the race between picking a port and
 * the daemon binding it. Stateless and thread-safe; {@link #awaitListening} blocks for at most its timeout.
 */
public final class Ports {

    /** Text a daemon prints (stock rsync: "bind() failed: Address already in use") when the port is taken. */
    private static final String IN_USE = "Address already in use";
    private static final int TCP_LISTEN = 0x0A;

    private Ports() {}

    /** The loopback address all interop daemons bind to. */
    public static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }

    /**
     * A port that was free on 127.0.0.1 a moment ago (bind port 0, read it, close). Another process may take it
     * before the daemon binds it: start daemons through {@link #withRetry}.
     */
    public static int free() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(loopback(), 0));
            return s.getLocalPort();
        }
    }

    /** Thrown by a daemon starter when the daemon lost the race for its port; {@link #withRetry} tries another. */
    public static final class PortTakenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public PortTakenException(int port, String detail) {
            super("port " + port + " taken by another process: " + detail);
        }
    }

    /** Starts something on a given port. */
    @FunctionalInterface
    public interface Starter<T> {
        T start(int port) throws IOException, InterruptedException;
    }

    /**
     * Calls {@code starter} with a fresh {@link #free()} port, again with another port each time it throws
     * {@link PortTakenException}, at most {@code attempts} times in all.
     */
    public static <T> T withRetry(int attempts, Starter<T> starter) throws IOException, InterruptedException {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts: " + attempts + " (expected: >= 1)");
        }
        PortTakenException last = null;
        for (int i = 0; i < attempts; i++) {
            try {
                return starter.start(free());
            } catch (PortTakenException e) {
                if (last != null) {
                    e.addSuppressed(last);
                }
                last = e;
            }
        }
        throw new AssertionError("no daemon could bind a port in " + attempts + " attempts", last);
    }

    /**
     * Waits until {@code process} (or one of its descendants) listens on loopback {@code port}.
     *
     * <p>On Linux, ownership is checked through /proc: a daemon that lost the port to another process must not be
     * mistaken for ready just because <em>something</em> accepts connections there (stock rsync logs its
     * "listening on port" line before it binds, so its log cannot tell either). Elsewhere a successful connect is
     * taken as ready.
     *
     * @param diagnostics the daemon's output so far, for failure messages and to recognise "Address already in use"
     * @throws PortTakenException if the daemon exited saying the address is in use, or another process holds the port
     * @throws AssertionError if the daemon exited otherwise or did not listen within {@code timeout}
     */
    public static void awaitListening(ProcessHandle process, int port, Duration timeout, Supplier<String> diagnostics)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                String text = diagnostics.get();
                if (text.contains(IN_USE)) {
                    throw new PortTakenException(port, "daemon exited: " + IN_USE);
                }
                throw new AssertionError("daemon (pid " + process.pid() + ") exited before listening on port "
                        + port + "\n" + text);
            }
            Optional<Set<Long>> inodes = listeningInodes(port);
            if (inodes.isPresent()) {
                if (!inodes.get().isEmpty()) {
                    if (ownsAnySocket(process, inodes.get())) {
                        return;
                    }
                    // A socket reaches LISTEN only after its fd exists, so an unowned listener is someone else's.
                    if (process.isAlive()) {
                        throw new PortTakenException(port, "a process outside pid " + process.pid() + "'s tree listens");
                    }
                }
            } else if (accepts(port)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("daemon (pid " + process.pid() + ") not listening on 127.0.0.1:" + port
                        + " after " + timeout.toMillis() + " ms\n" + diagnostics.get());
            }
            Thread.sleep(20);
        }
    }

    /** True if a TCP connect to 127.0.0.1:{@code port} succeeds within one second. */
    public static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(loopback(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Socket inodes listening on {@code port} per /proc/net/tcp{,6}; empty Optional if /proc is unavailable. */
    private static Optional<Set<Long>> listeningInodes(int port) {
        Set<Long> found = new HashSet<>();
        boolean readable = false;
        String portHex = String.format(Locale.ROOT, "%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue;
            }
            readable = true;
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10) {
                    continue;
                }
                int colon = f[1].lastIndexOf(':');
                if (colon < 0 || !f[1].substring(colon + 1).equalsIgnoreCase(portHex)) {
                    continue;
                }
                if (Integer.parseInt(f[3], 16) == TCP_LISTEN) {
                    found.add(Long.parseLong(f[9]));
                }
            }
        }
        return readable ? Optional.of(found) : Optional.empty();
    }

    private static boolean ownsAnySocket(ProcessHandle root, Set<Long> inodes) {
        if (inodes.isEmpty()) {
            return false;
        }
        Set<String> targets = new HashSet<>();
        inodes.forEach(i -> targets.add("socket:[" + i + "]"));
        return Stream.concat(Stream.of(root), root.descendants()).anyMatch(h -> holdsAny(h.pid(), targets));
    }

    private static boolean holdsAny(long pid, Set<String> targets) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    if (targets.contains(Files.readSymbolicLink(fd).toString())) {
                        return true;
                    }
                } catch (IOException e) {
                    // The fd was closed while we listed the directory.
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
