package dev.jrsync.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * clientserver.c:create_pid_file(), written before the listener binds as stock does, with stock's messages. The
 * leaf is never followed when it is a symlink (a non-regular leaf is unlinked first, as stock does). Stateless.
 */
final class PidFile {
    private PidFile() {
    }

    /** Writes this process's pid to {@code file}; returns stock's failure message, or null on success. */
    static String create(Path file) {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent() == null ? Path.of("/") : abs.getParent();
        String dirName = file.getParent() == null ? "." : file.getParent().toString();
        if (!Files.exists(dir)) {
            return dirFailure(dirName, "No such file or directory (2)");
        }
        if (!Files.isDirectory(dir)) {
            return dirFailure(dirName, "Not a directory (20)");
        }
        if (!Files.isReadable(dir)) {
            return dirFailure(dirName, "Permission denied (13)");
        }
        boolean regular = Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            return "failed to unlink pid file " + file + ": Is a directory";
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !regular) {
            try {
                Files.delete(file);
            } catch (IOException e) {
                return failure("unlink", file, e);
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            return null;
        } catch (IOException e) {
            return failure(regular ? "open" : "create", file, e);
        }
    }

    private static String dirFailure(String dir, String error) {
        return "rsync: [Receiver] failed to open pid-file directory \"" + dir + "\": " + error;
    }

    private static String failure(String what, Path file, IOException e) {
        return "failed to " + what + " pid file " + file + ": " + strerror(e);
    }

    /** The strerror() text for the usual file errors. */
    static String strerror(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage();
    }
}
