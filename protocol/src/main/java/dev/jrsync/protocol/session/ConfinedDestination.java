package dev.jrsync.protocol.session;

import dev.jrsync.protocol.fs.ConfinedRoot;
import dev.jrsync.protocol.fs.FileStat;

import java.io.IOException;

/**
 * A destination beneath a confined root, as a daemon module receives it: the name is resolved
 * inside the root with no symlink followed, so a client cannot aim a push outside the module.
 * Owns the root. Confined to one session.
 */
public final class ConfinedDestination implements LocalName.Destination {
    private final ConfinedRoot root;
    private final String path;
    /** The destination relative to the root without trailing slashes; "" for the root itself. */
    private final String rel;

    private final String module;

    /** {@code path} is relative to {@code root} (a daemon strips the module name first); {@code module} names it. */
    public ConfinedDestination(ConfinedRoot root, String path, String module) {
        this.root = root;
        this.module = module;
        this.path = path.isEmpty() ? "." : path;
        String p = path;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        this.rel = p.equals(".") ? "" : p;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String fullName(String shown) {
        return shown + "\" (in " + module + ")";
    }

    @Override
    public FileStat stat() throws IOException {
        return root.lstat(rel);
    }

    @Override
    public void mkdir() throws IOException {
        root.mkdir(rel, 0777);
    }

    @Override
    public LocalName.Target directory(boolean missing) {
        return new LocalName.Target(root, rel, null, false);
    }

    @Override
    public LocalName.Target singleItem() {
        return new LocalName.Target(root, "", rel, false);
    }

    @Override
    public void close() throws IOException {
        root.close();
    }
}
