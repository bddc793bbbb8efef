package dev.jrsync.daemon.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The global context of an rsyncd.conf: global-only parameters plus module parameters set outside any module
 * (stock reads e.g. "log file" from here for the listener). Values are as written, %VAR% not expanded.
 * Immutable, thread-safe.
 */
public final class GlobalConfig {
    /** The port used when neither --port nor "port" is given. */
    public static final int DEFAULT_PORT = 873;

    private final Values values;

    GlobalConfig(Values values) {
        this.values = values;
    }

    /** "port"; 0 (the default) means 873. */
    public int port() {
        int p = values.integer(Param.PORT);
        return p == 0 ? DEFAULT_PORT : p;
    }

    public Optional<String> address() {
        return values.nonEmpty(Param.ADDRESS);
    }

    public Optional<Path> pidFile() {
        return values.nonEmpty(Param.PID_FILE).map(Path::of);
    }

    public Optional<Path> motdFile() {
        return values.nonEmpty(Param.MOTD_FILE).map(Path::of);
    }

    public Optional<Path> logFile() {
        return values.nonEmpty(Param.LOG_FILE).map(Path::of);
    }

    /** "socket options", raw (e.g. {@code SO_KEEPALIVE,TCP_NODELAY}). */
    public Optional<String> socketOptions() {
        return values.nonEmpty(Param.SOCKET_OPTIONS);
    }

    /** "listen backlog" (default 5). */
    public int listenBacklog() {
        return values.integer(Param.LISTEN_BACKLOG);
    }

    /** The value of any parameter in the global context (set, else stock's default); the name is looked up as stock does. */
    public Optional<String> raw(String param) {
        return values.raw(param);
    }

    public Optional<String> raw(Param param) {
        return values.raw(param);
    }

    /** Parameters explicitly set in the global context (including --dparam). */
    public Set<Param> explicitlySet() {
        return values.explicitlySet();
    }
}
