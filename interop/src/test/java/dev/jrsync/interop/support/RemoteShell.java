package dev.jrsync.interop.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The remote-shell stand-in {@value #RESOURCE} (a test resource next to this class): invoked like ssh, as
 * {@code CMD [-l USER] [ssh options] HOST COMMAND...}, it ignores the host and runs the words after it joined with
 * spaces through {@code sh -c} in {@code $HOME}, as sshd would, so quoting mistakes in the remote command show up as
 * they would over ssh. It appends every invocation to {@link #invocations()}.
 *
 * <p>Immutable and thread-safe; {@link #install} blocks on file I/O.
 */
public final class RemoteShell implements Rsh {

    /** The script, a class-path resource beside this class (resources lose the executable bit when copied). */
    public static final String RESOURCE = "rsh-standin.sh";

    /** The log the script appends "HOST&lt;TAB&gt;COMMAND" lines to, in the script's directory. */
    public static final String LOG = "invocations.log";

    /**
     * A directory name for remote-shell tests to put sources and destinations under: spaces, a {@code $} and both
     * quotes break any remote argument that reaches the far shell unquoted (split, $HOME expanded, quotes eaten).
     */
    public static final String AWKWARD_NAME = "sp ace $HOME it's \"q\"";

    /** The host the tests name; the stand-in accepts any. */
    public static final String HOST = "localhost";

    private final Path script;

    private RemoteShell(Path script) {
        this.script = script;
    }

    /** Writes the stand-in into {@code dir} (created if missing, one stand-in per directory), mode 0755. */
    public static RemoteShell install(Path dir) throws IOException {
        Path abs = Files.createDirectories(dir).toAbsolutePath();
        if (abs.toString().chars().anyMatch(c -> Character.isWhitespace(c) || "'\"\\".indexOf(c) >= 0)) {
            // rsync splits -e at whitespace and interprets quotes: keep the program path free of both.
            throw new IllegalArgumentException("stand-in directory: " + abs + " (expected: no whitespace or quotes)");
        }
        Path script = abs.resolve(RESOURCE);
        try (InputStream in = RemoteShell.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("class-path resource " + RESOURCE + " beside " + RemoteShell.class.getName()
                        + " is missing (expected under interop/src/test/resources)");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new RemoteShell(script);
    }

    /** The installed script. */
    public Path script() {
        return script;
    }

    @Override
    public String command() {
        return script.toString();
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public String name() {
        return "standin";
    }

    /** Every invocation so far, oldest first, as "HOST&lt;TAB&gt;COMMAND". */
    public List<String> invocations() throws IOException {
        Path log = script.resolveSibling(LOG);
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Override
    public String toString() {
        return "remote-shell stand-in " + script;
    }
}
