package dev.jrsync.protocol.session;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What an unchrooted daemon does to symlink targets it receives when it does not munge them
 * (util1.c:sanitize_path() with the link's directory depth): the target can no longer name a
 * path above the module. Stateless.
 */
public final class SymlinkTargets {
    /** Daemon "munge symlinks": the prefix stored before every received target, removed when sent. */
    static final String MUNGE_PREFIX = "/rsyncd-munged/";

    private SymlinkTargets() {
    }

    /**
     * Drops a leading "/", empty and "." components, and every ".." that would climb above the
     * module; {@code depth} leading ".." are kept (the link's own directory depth).
     */
    public static String sanitize(String target, int depth) {
        boolean trailingSlash = target.endsWith("/") && target.length() > 1;
        Deque<String> parts = new ArrayDeque<>();
        int ups = 0;
        for (String c : target.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.removeLast();
                } else if (ups < depth) {
                    ups++;
                }
                continue;
            }
            parts.addLast(c);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ups; i++) {
            sb.append(sb.isEmpty() ? "" : "/").append("..");
        }
        for (String p : parts) {
            sb.append(sb.isEmpty() ? "" : "/").append(p);
        }
        if (sb.isEmpty()) {
            return ".";
        }
        return trailingSlash ? sb + "/" : sb.toString();
    }

    /** The number of directory components above an entry ("a/b/link" is 2). */
    public static int depthOf(String name) {
        int d = 0;
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) == '/') {
                d++;
            }
        }
        return d;
    }
}
