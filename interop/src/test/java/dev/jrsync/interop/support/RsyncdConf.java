package dev.jrsync.interop.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes rsyncd.conf files and secrets files for test daemons. Stateless and thread-safe; blocks on file I/O.
 *
 * <p>Every module gets {@code use chroot = no} (tests do not run in a chroot-able setup), {@code munge symlinks = no}
 * (otherwise symlinks arrive as {@code /rsyncd-munged/...}) and {@code uid}/{@code gid} of the running user (a root
 * daemon defaults to {@code nobody}, which cannot write the module), see peers.md §4.5 item 3. A module's own
 * parameters override these.
 */
public final class RsyncdConf {

    private RsyncdConf() {}

    /**
     * Writes {@code file} with the given global parameters ({@code pid file}, {@code log file}, ...) followed by one
     * section per module.
     */
    public static void write(Path file, Map<String, String> global, List<ModuleSpec> modules) throws IOException {
        if (modules.isEmpty()) {
            throw new IllegalArgumentException("modules: empty (expected: at least one)");
        }
        int[] ids = currentUidGid(file.getParent());
        StringBuilder sb = new StringBuilder("# written by dev.jrsync.interop.support.RsyncdConf\n");
        global.forEach((k, v) -> line(sb, k, v));
        for (ModuleSpec m : modules) {
            Map<String, Param> params = new LinkedHashMap<>();
            put(params, "path", m.path().toAbsolutePath().toString());
            put(params, "use chroot", "no");
            put(params, "munge symlinks", "no");
            put(params, "uid", Integer.toString(ids[0]));
            put(params, "gid", Integer.toString(ids[1]));
            m.params().forEach((k, v) -> put(params, k, v));
            sb.append('\n').append('[').append(m.name()).append("]\n");
            params.values().forEach(p -> line(sb, p.key(), p.value()));
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    /**
     * Writes a secrets file ({@code user:password} per line) with mode 0600, which rsync's default
     * {@code strict modes = yes} requires.
     */
    public static Path writeSecrets(Path file, Map<String, String> userPasswords) throws IOException {
        StringBuilder sb = new StringBuilder();
        userPasswords.forEach((u, p) -> {
            checkValue("user", u);
            checkValue("password", p);
            if (u.indexOf(':') >= 0) {
                throw new IllegalArgumentException("user: \"" + u + "\" (expected: no ':')");
            }
            sb.append(u).append(':').append(p).append('\n');
        });
        Files.writeString(file, sb, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private record Param(String key, String value) {}

    /**
     * rsyncd.conf keys ignore case and spaces ("read only" is "readonly"), so merging by that canonical form makes a
     * module's own value replace a default instead of appearing twice.
     */
    private static void put(Map<String, Param> params, String key, String value) {
        params.put(key.toLowerCase(Locale.ROOT).replace(" ", "").replace("_", ""), new Param(key, value));
    }

    private static void line(StringBuilder sb, String key, String value) {
        checkValue("parameter name", key);
        checkValue("value of " + key, value);
        sb.append(key).append(" = ").append(value).append('\n');
    }

    private static void checkValue(String what, String s) {
        if (s.isEmpty() && !what.startsWith("value") || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0
                || !s.equals(s.strip())) {
            throw new IllegalArgumentException(what + ": \"" + s + "\" (expected: one line, no surrounding blanks)");
        }
    }

    /** The effective uid and gid of this JVM, read as the owner of a file it just created. */
    private static int[] currentUidGid(Path dir) throws IOException {
        Path probe = Files.createTempFile(dir, "uid-probe", "");
        try {
            return new int[] {(Integer) Files.getAttribute(probe, "unix:uid"), (Integer) Files.getAttribute(probe, "unix:gid")};
        } finally {
            Files.delete(probe);
        }
    }
}
