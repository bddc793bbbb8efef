package dev.jrsync.protocol.session;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.fs.ConfinedRoot;
import dev.jrsync.protocol.fs.FileStat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * A destination on the local file system, as a client or a remote-shell server names it: symlinks
 * on the way are the user's own and are followed (rsync chdirs into it); beneath it, the receiving
 * root is strict (a peer's names never pass a symlink). Confined to one session.
 */
public final class PathDestination implements LocalName.Destination {
    private final String path;
    private final List<ConfinedRoot> opened = new ArrayList<>();

    public PathDestination(String path) {
        this.path = path.isEmpty() ? "." : path;
    }

    @Override
    public String path() {
        return path;
    }

    private Path dir() {
        return Path.of(path);
    }

    @Override
    public FileStat stat() throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(dir(), BasicFileAttributes.class);
            int type = a.isDirectory() ? 0040000 : a.isRegularFile() ? 0100000 : 0140000;
            return new FileStat(type, a.size(), 0, 0, 0, 0, 0, 0, 0, 1);
        } catch (NoSuchFileException e) {
            return null;
        } catch (java.nio.file.FileSystemException e) {
            if ("Not a directory".equals(e.getReason())) {
                return null; // ENOTDIR in a parent: stat(2) says ENOENT's sibling; mkdir reports it
            }
            throw e;
        }
    }

    @Override
    public void mkdir() throws IOException {
        Files.createDirectory(dir());
    }

    @Override
    public LocalName.Target directory(boolean missing) throws IOException {
        if (missing) {
            Path parent = dir().toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new RsyncException(ExitCode.RERR_UNSUPPORTED,
                        "--dry-run into a missing destination whose parent is missing is not supported by jrsync yet");
            }
            return new LocalName.Target(open(parent), dir().getFileName().toString(), null, false);
        }
        checkSymlinkOwners(dir());
        return new LocalName.Target(open(dir()), "", null, false);
    }

    /**
     * 3.5.0's rule for a destination directory: a symlink on its path is followed only when root or
     * this process's user owns it (another user could have raced it into place).
     */
    private static void checkSymlinkOwners(Path p) throws IOException {
        Path abs = p.toAbsolutePath();
        Path prefix = abs.getRoot();
        int euid = dev.jrsync.protocol.fs.ProcessIds.geteuid();
        for (Path part : abs) {
            prefix = prefix.resolve(part);
            if (Files.isSymbolicLink(prefix)) {
                int owner = (Integer) Files.getAttribute(prefix, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
                if (owner != 0 && owner != euid) {
                    throw new LocalName.UntrustedSymlinkException(prefix.toString());
                }
            }
        }
    }

    @Override
    public String fullName(String shown) {
        return shown.startsWith("/") ? shown : Path.of("").toAbsolutePath() + "/" + shown;
    }

    @Override
    public LocalName.Target singleItem() throws IOException {
        Path abs = dir().toAbsolutePath();
        Path parent = abs.getParent();
        return new LocalName.Target(open(parent == null ? Path.of("/") : parent), "",
                abs.getFileName().toString(), false);
    }

    private ConfinedRoot open(Path p) throws IOException {
        ConfinedRoot r = ConfinedRoot.openStrict(p);
        opened.add(r);
        return r;
    }

    @Override
    public void close() throws IOException {
        for (ConfinedRoot r : opened) {
            r.close();
        }
        opened.clear();
    }
}
