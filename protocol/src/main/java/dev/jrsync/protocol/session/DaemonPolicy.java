package dev.jrsync.protocol.session;

/**
 * What a daemon imposes on a session beyond the client's options: the module (for messages such as
 * {@code link_stat "x" (in MODULE)}), how symlinks are stored (munged with "/rsyncd-munged/", or
 * confined like sanitize_path()), the module's "dont compress", and caps on the work an untrusted
 * client may ask for (zstd threads and level). A session without one is not a daemon's. Immutable.
 */
public record DaemonPolicy(String moduleName, boolean mungeSymlinks, boolean sanitizeSymlinks, String dontCompress) {

    /** Whether "dont compress" holds "*", which token.c:init_set_compression() honours. */
    public boolean dontCompressAll() {
        if (dontCompress == null) {
            return false;
        }
        for (String p : dontCompress.trim().split("\\s+")) {
            if (p.equals("*")) {
                return true;
            }
        }
        return false;
    }
}
