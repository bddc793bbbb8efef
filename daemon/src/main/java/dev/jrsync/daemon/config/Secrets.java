package dev.jrsync.daemon.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A daemon secrets file ({@code user:password} and {@code @group:password} lines), read and checked as stock
 * rsync 3.5.0 does in authenticate.c:check_secret(). Immutable and thread-safe; {@link #load} blocks on file I/O.
 */
public final class Secrets {
    /** fgets() buffer of check_secret(): longer lines are split, the rest read as a new line. */
    private static final int LINE_BUFFER = 1024;
    /** Our own bound on the file size. */
    private static final long MAX_FILE_BYTES = 16L << 20;

    /**
     * The file cannot be used; stock logs {@link #getMessage()} (when it is not just the reason) and then fails the
     * login with {@code auth failed on module M from H (A) for USER: }{@link #authFailureReason()}.
     */
    public static final class RejectedException extends IOException {
        private final String reason;

        RejectedException(String logLine, String reason) {
            super(logLine);
            this.reason = reason;
        }

        /** "ignoring secrets file" or "no secrets file", as in stock's auth-failed log line. */
        public String authFailureReason() {
            return reason;
        }
    }

    /**
     * The passwords to try for one login and the reason to log when none matches.
     *
     * @param passwords the first {@code user:} line's password and, when a group rule matched, the first
     *                  {@code @group:} line's password, in file order; raw bytes as in the file
     * @param reasonIfNoMatch "secret not found", "password mismatch" or "invalid username"
     */
    public record Lookup(List<byte[]> passwords, String reasonIfNoMatch) {
    }

    /** Lines as bytes, CR/LF removed; blank lines dropped. */
    private final List<byte[]> lines;

    private Secrets(List<byte[]> lines) {
        this.lines = lines;
    }

    /**
     * Opens and checks a secrets file. With strict modes the file must not be readable or writable by others, and
     * must be owned by root when we run as root.
     *
     * @throws RejectedException when the file is missing, unreadable or fails the strict-modes check (stock: fail
     *                           closed, no login possible)
     */
    public static Secrets load(Path file, boolean strictModes) throws IOException {
        PosixFileAttributes before;
        byte[] content;
        try {
            try {
                file = NoAttackerSymlinks.resolve(file, false);
            } catch (NoAttackerSymlinks.RefusedException e) {
                throw new RejectedException("secrets file path " + e.getReason() + " (neither root nor us)",
                        "no secrets file");
            }
            before = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!before.isRegularFile()) {
                throw new RejectedException("secrets file " + file + " is not a regular file", "no secrets file");
            }
            if (before.size() > MAX_FILE_BYTES) {
                throw new RejectedException("secrets file " + file + " is larger than " + MAX_FILE_BYTES + " bytes",
                        "ignoring secrets file");
            }
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                content = in.readNBytes((int) MAX_FILE_BYTES + 1);
            }
            PosixFileAttributes after = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            // Without fstat() we check that the file we read is the one we examined.
            if (!java.util.Objects.equals(before.fileKey(), after.fileKey())) {
                throw new RejectedException("secrets file " + file + " changed while being read", "no secrets file");
            }
        } catch (RejectedException e) {
            throw e;
        } catch (IOException e) {
            throw new RejectedException("unable to open secrets file " + file + ": " + e, "no secrets file");
        }
        if (strictModes) {
            if (before.permissions().contains(PosixFilePermission.OTHERS_READ)
                    || before.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new RejectedException("secrets file must not be other-accessible (see strict modes option)",
                        "ignoring secrets file");
            }
            if (effectiveUid() == 0 && uidOf(file) != 0) {
                throw new RejectedException("secrets file must be owned by root when running as root (see strict modes)",
                        "ignoring secrets file");
            }
        }
        return parse(content);
    }

    /** Parses file content without any permission check. */
    public static Secrets parse(byte[] content) {
        List<byte[]> lines = new ArrayList<>();
        int i = 0;
        while (i < content.length) {
            int limit = Math.min(content.length, i + LINE_BUFFER - 1);
            int j = i;
            while (j < limit && content[j] != '\n') {
                j++;
            }
            int next = j < limit ? j + 1 : j;
            // strtok(line, "\n\r"): skip leading CR/LF, stop at the next one.
            int s = i;
            while (s < j && content[s] == '\r') {
                s++;
            }
            int e = s;
            while (e < j && content[e] != '\r') {
                e++;
            }
            if (e > s) {
                lines.add(Arrays.copyOfRange(content, s, e));
            }
            i = next;
        }
        return new Secrets(List.copyOf(lines));
    }

    /**
     * Stock's lookup for one login: the first {@code user:} line, and when {@code group} is given (the group whose
     * {@code @group} auth rule matched) the first {@code @group:} line. A user name starting with '#' never matches.
     */
    public Lookup lookup(String user, String group) {
        if (user.startsWith("#")) {
            return new Lookup(List.of(), "invalid username");
        }
        byte[] u = user.getBytes(StandardCharsets.UTF_8);
        byte[] g = group == null ? null : group.getBytes(StandardCharsets.UTF_8);
        List<byte[]> out = new ArrayList<>(2);
        boolean userFound = false;
        boolean groupFound = g == null;
        for (byte[] line : lines) {
            if (userFound && groupFound) {
                break;
            }
            if (line[0] == '@') {
                if (!groupFound && prefixed(line, 1, g)) {
                    out.add(Arrays.copyOfRange(line, 1 + g.length + 1, line.length));
                    groupFound = true;
                }
            } else if (!userFound && prefixed(line, 0, u)) {
                out.add(Arrays.copyOfRange(line, u.length + 1, line.length));
                userFound = true;
            }
        }
        return new Lookup(List.copyOf(out), out.isEmpty() ? "secret not found" : "password mismatch");
    }

    private static boolean prefixed(byte[] line, int from, byte[] name) {
        if (line.length < from + name.length + 1 || line[from + name.length] != ':') {
            return false;
        }
        return Arrays.equals(line, from, from + name.length, name, 0, name.length);
    }

    /**
     * The password of the first line for {@code user} or for one of {@code groups} ({@code @group:} lines), in file
     * order. For stock's exact semantics (user line and matched-group line both tried) use {@link #lookup}.
     */
    public Optional<String> password(String user, Collection<String> groups) {
        if (user.startsWith("#")) {
            return Optional.empty();
        }
        for (byte[] line : lines) {
            String s = new String(line, StandardCharsets.UTF_8);
            int colon = s.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = s.substring(0, colon);
            boolean hit = name.startsWith("@") ? groups.contains(name.substring(1)) : name.equals(user);
            if (hit) {
                return Optional.of(s.substring(colon + 1));
            }
        }
        return Optional.empty();
    }

    private static long uidOf(Path file) throws IOException {
        return ((Number) Files.getAttribute(file, "unix:uid")).longValue();
    }

    /** The owner of /proc/self is the process's effective uid. */
    static long effectiveUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
