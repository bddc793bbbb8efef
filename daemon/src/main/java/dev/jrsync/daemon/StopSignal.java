package dev.jrsync.daemon;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SIGTERM stops the daemon cleanly and the process exits 0, as stock rsync 3.5.0 does (and as a systemd unit
 * expects), instead of the JVM's default 143. Installed before the listener binds, so a SIGTERM that arrives
 * during start-up stops the daemon as soon as it exists. The handler closes the daemon (listener, pid file, log);
 * the main thread then returns from {@link RsyncDaemon#awaitClose()} and exits normally. Other ways out of the
 * JVM (SIGINT, SIGHUP) still close the daemon through a shutdown hook. Thread-safe.
 */
final class StopSignal {
    private final AtomicReference<RsyncDaemon> daemon = new AtomicReference<>();
    private final AtomicBoolean requested = new AtomicBoolean();

    private StopSignal() {
    }

    /** Installs the SIGTERM handler (left at the JVM's default when the JVM refuses, e.g. under -Xrs). */
    static StopSignal install() {
        StopSignal s = new StopSignal();
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> s.stop());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // The default stays: exit 143 after the shutdown hook.
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> closeQuietly(s.daemon.get())));
        return s;
    }

    /** The daemon to stop; closes it at once when a stop was already requested. */
    void serving(RsyncDaemon d) {
        daemon.set(d);
        if (requested.get()) {
            closeQuietly(d);
        }
    }

    private void stop() {
        requested.set(true);
        RsyncDaemon d = daemon.get();
        if (d != null) {
            Thread.ofPlatform().name("jrsync-sigterm").start(() -> closeQuietly(d));
        }
    }

    private static void closeQuietly(RsyncDaemon d) {
        if (d == null) {
            return;
        }
        try {
            d.close();
        } catch (IOException ignored) {
            // The process exits anyway.
        }
    }
}
