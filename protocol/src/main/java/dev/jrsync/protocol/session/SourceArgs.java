package dev.jrsync.protocol.session;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.fs.ConfinedRoot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Turns sender arguments into confined roots plus names. Stateless. */
public final class SourceArgs {
    private SourceArgs() {
    }

    /** A source: its root, the directory inside the root to start from, and the name to send. */
    public record Arg(ConfinedRoot root, String dir, String name) {
    }

    /**
     * A client's local source path. The directory holding the named item is resolved once (the
     * user may name paths through symlinks) and becomes the confined root; opened roots are added
     * to {@code opened} for the caller to close.
     */
    public static Arg local(String pathArg, List<ConfinedRoot> opened) throws IOException {
        boolean contents = pathArg.endsWith("/") || pathArg.equals(".") || pathArg.endsWith("/.");
        Path p = Path.of(pathArg);
        Path dir;
        String rel;
        if (contents) {
            dir = p;
            rel = ".";
        } else {
            Path parent = p.toAbsolutePath().getParent();
            dir = parent == null ? Path.of("/") : parent;
            rel = p.getFileName().toString();
        }
        if (!Files.isDirectory(dir)) {
            throw new RsyncException(ExitCode.RERR_FILESELECT, "change_dir \"" + dir + "\" failed: No such file or directory (2)");
        }
        ConfinedRoot root = ConfinedRoot.open(dir.toRealPath());
        opened.add(root);
        SourceScanner.Arg a = SourceScanner.split(root, rel.equals(".") ? "./" : rel);
        return new Arg(a.root(), a.dir(), a.name());
    }

    /** A path inside a daemon module (the module name already stripped). */
    public static Arg inModule(ConfinedRoot moduleRoot, String rel) {
        SourceScanner.Arg a = SourceScanner.split(moduleRoot, rel);
        return new Arg(a.root(), a.dir(), a.name());
    }
}
