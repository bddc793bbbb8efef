package dev.jrsync.protocol.session;

import dev.jrsync.protocol.RsyncException;

import java.io.IOException;

/**
 * Two roles run together, one forked onto a virtual thread and one on the caller's thread, the
 * way main.c:do_recv() forks the generator and stays the receiver. The first failure of either
 * cancels the other: a failing forked role runs its {@code onFailure} action (for the generator,
 * closing the session, which ends the receiver's reads); a failing foreground role runs the
 * {@code cancelForked} action and interrupts the forked thread. Used by the thread that forked.
 */
final class RoleScope {

    /** A role's body. */
    @FunctionalInterface
    interface Role {
        void run() throws IOException;
    }

    private final Thread forked;
    /** Set by the forked thread before it ends; read after {@link Thread#join()}. */
    private volatile IOException forkedFailure;

    private RoleScope(String name, Role role, Runnable onFailure) {
        this.forked = Thread.ofVirtual().name(name).unstarted(() -> {
            try {
                role.run();
            } catch (IOException e) {
                forkedFailure = e;
                onFailure.run();
            } catch (RuntimeException e) {
                forkedFailure = new IOException(e);
                onFailure.run();
            }
        });
    }

    /** Starts {@code role} on a virtual thread named {@code name}. */
    static RoleScope fork(String name, Role role, Runnable onFailure) {
        RoleScope scope = new RoleScope(name, role, onFailure);
        scope.forked.start();
        return scope;
    }

    /**
     * Runs {@code foreground}, then waits for the forked role. Throws the first failure: the
     * forked role's, unless the foreground failed with an {@link RsyncException} of its own
     * (which carries the exit code the peer is told).
     */
    void runAndJoin(Role foreground, Runnable cancelForked) throws IOException {
        try {
            foreground.run();
        } catch (IOException | RuntimeException e) {
            cancelForked.run();
            forked.interrupt();
            joinQuietly();
            if (forkedFailure != null && !(e instanceof RsyncException)) {
                throw forkedFailure;
            }
            throw e;
        }
        joinQuietly();
        if (forkedFailure != null) {
            throw forkedFailure;
        }
    }

    private void joinQuietly() {
        try {
            forked.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
