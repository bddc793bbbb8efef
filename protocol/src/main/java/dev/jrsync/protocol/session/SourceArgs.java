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

    /**
     * A source under -R (--relative): the name sent is the whole path below {@code root}, so
     * "a/b/c" arrives as "a/b/c" with "a" and "a/b" sent as implied directories. A "/./" in the
     * path marks where the sent name starts (the part before it is left out). Trailing slashes and
     * "./" prefixes are dropped; a name with ".." is refused.
     */
    public static Arg relative(ConfinedRoot root, String rel) throws RsyncException {
        String dir = "";
        String r = rel;
        int mark = r.indexOf("/./");
        if (mark >= 0) {
            dir = trimSlashes(r.substring(0, mark));
            r = r.substring(mark + 3);
        }
        r = trimSlashes(r);
        while (r.startsWith("./")) {
            r = trimSlashes(r.substring(2));
        }
        for (String part : (dir + "/" + r).split("/")) {
            if (part.equals("..")) {
                throw new RsyncException(ExitCode.RERR_SYNTAX, "a --relative path may not contain \"..\": " + rel);
            }
        }
        return new Arg(root, dir, r.isEmpty() || r.equals(".") ? "." : r);
    }

    /**
     * A client's local source under -R: relative names are below the working directory, absolute ones
     * below /; with "/./" the part before it is the directory the names are below.
     */
    public static Arg localRelative(String pathArg, List<ConfinedRoot> opened) throws IOException {
        int mark = pathArg.indexOf("/./");
        Path base;
        String rest;
        if (mark >= 0) {
            base = mark == 0 ? Path.of("/") : Path.of(pathArg.substring(0, mark));
            rest = pathArg.substring(mark + 3);
        } else if (pathArg.startsWith("/")) {
            base = Path.of("/");
            rest = pathArg.replaceFirst("^/+", "");
        } else {
            base = Path.of("").toAbsolutePath();
            rest = pathArg;
        }
        if (!Files.isDirectory(base)) {
            throw new RsyncException(ExitCode.RERR_FILESELECT, "change_dir \"" + base
                    + "\" failed: No such file or directory (2)");
        }
        ConfinedRoot root = ConfinedRoot.open(base.toRealPath());
        opened.add(root);
        return relative(root, rest);
    }

    private static String trimSlashes(String s) {
        String r = s;
        while (r.endsWith("/") && r.length() > 1) {
            r = r.substring(0, r.length() - 1);
        }
        while (r.startsWith("/")) {
            r = r.substring(1);
        }
        return r;
    }
}
