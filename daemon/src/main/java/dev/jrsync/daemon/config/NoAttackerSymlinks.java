package dev.jrsync.daemon.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How rsync 3.5.0 opens the files an rsyncd.conf names (motd, secrets, log and config files, &include and
 * &merge): syscall.c:open_no_attacker_symlinks(). The path is walked one component at a time without
 * following links; a symlink is followed only when it is owned by root or by our effective uid (its
 * target spliced into the rest of the walk, at most 40 times), any other symlink fails the open with
 * ELOOP, and the leaf is opened O_NOFOLLOW. So a link an unprivileged user planted in a shared directory
 * (/tmp) never redirects a read or a write. The pid file has its own rule (clientserver.c:create_pid_file()):
 * see dev.jrsync.daemon.PidFile. Path-based between the walk and the open (Java has no openat()), so a parent
 * swapped in that window is not caught; the leaf is. Stateless.
 */
public final class NoAttackerSymlinks {
    /** strerror(ELOOP) and its number as rsyserr() prints them. */
    public static final String ELOOP = "Too many levels of symbolic links (40)";
    private static final int MAX_LINKS = 40;

    private NoAttackerSymlinks() {
    }

    /** The refusal: rsync reports it as errno ELOOP. */
    public static final class RefusedException extends FileSystemException {
        RefusedException(Path path, String detail) {
            super(path.toString(), null, detail);
        }

        @Override
        public String getMessage() {
            return getFile() + ": " + ELOOP;
        }
    }

    /** Reads a whole file, at most {@code max} bytes (a longer file is cut there). */
    public static byte[] read(Path path, int max) throws IOException {
        try (InputStream in = Files.newInputStream(resolve(path, false), LinkOption.NOFOLLOW_LINKS)) {
            return in.readNBytes(max);
        }
    }

    /** Opens for appending, creating the file (mode 0644 under the umask) when it does not exist. */
    public static OutputStream append(Path path) throws IOException {
        return Files.newOutputStream(resolve(path, true), StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The path with every symlink on it followed under the ownership rule: a path of directories and a
     * last component that is not a symlink (or, with {@code mayCreate}, does not exist yet).
     *
     * @throws RefusedException for a symlink owned by someone else, or more than 40 of them
     */
    public static Path resolve(Path path, boolean mayCreate) throws IOException {
        long me = Secrets.effectiveUid();
        Deque<String> remaining = new ArrayDeque<>();
        push(remaining, path);
        Path at = path.isAbsolute() ? path.getRoot() : Path.of("").toAbsolutePath();
        int links = MAX_LINKS;
        while (!remaining.isEmpty()) {
            String comp = remaining.pop();
            if (comp.equals(".")) {
                if (remaining.isEmpty()) {
                    return at;
                }
                continue;
            }
            Path next = comp.equals("..") ? (at.getParent() == null ? at : at.getParent()) : at.resolve(comp);
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(next, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                if (remaining.isEmpty() && mayCreate) {
                    return next;
                }
                throw e;
            }
            if (a.isSymbolicLink()) {
                long owner = ((Number) Files.getAttribute(next, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
                if (owner != 0 && owner != me) {
                    throw new RefusedException(path, next + " is a symlink owned by uid " + owner);
                }
                if (--links < 0) {
                    throw new RefusedException(path, "more than " + MAX_LINKS + " symlinks");
                }
                Path target = Files.readSymbolicLink(next);
                push(remaining, target);
                if (target.isAbsolute()) {
                    at = target.getRoot();
                }
                continue;
            }
            if (remaining.isEmpty()) {
                return next;
            }
            if (!a.isDirectory()) {
                throw new FileSystemException(path.toString(), null, "Not a directory");
            }
            at = next;
        }
        return at;
    }

    /**
     * connection.c:claim_connection()'s open of the lock file (O_RDWR|O_CREAT, 0600) through the same walk.
     * jrsync counts connections in memory, so the file is only created and closed, as a check.
     */
    public static void openLockFile(Path lockFile) throws IOException {
        Path p = resolve(lockFile, true);
        java.util.Set<java.nio.file.OpenOption> options = java.util.Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        try (var ch = Files.newByteChannel(p, options, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")))) {
            // Opened: that is all stock needs before it locks a slot.
        }
    }

    /** An I/O failure as rsyserr() words it: strerror(errno) and the number. */
    public static String strerror(IOException e) {
        if (e instanceof RefusedException) {
            return ELOOP;
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory (2)";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied (13)";
        }
        if (e instanceof java.nio.file.FileSystemException f && "Not a directory".equals(f.getReason())) {
            return "Not a directory (20)";
        }
        return e.getMessage();
    }

    /** Puts the components of {@code p} in front of what remains of the walk. */
    private static void push(Deque<String> remaining, Path p) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (Path part : p) {
            parts.add(part.toString());
        }
        for (int i = parts.size() - 1; i >= 0; i--) {
            remaining.push(parts.get(i));
        }
    }
}
