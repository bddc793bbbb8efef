package dev.jrsync.protocol.handshake;

/**
 * This process's RSYNC_COMPRESS_LIST and RSYNC_CHECKSUM_LIST (with their "client&amp;server" parts), which
 * reorder or narrow what it offers in the negotiation (compat.c). Passed in by the front end: the
 * engine never reads the environment. Null means the canonical list. Immutable.
 */
public record NegotiationLists(String compress, String checksum) {
    /** The canonical lists. */
    public static final NegotiationLists NONE = new NegotiationLists(null, null);

    /** The lists {@code env} names (RSYNC_COMPRESS_LIST, RSYNC_CHECKSUM_LIST). */
    public static NegotiationLists from(java.util.Map<String, String> env) {
        return new NegotiationLists(env.get("RSYNC_COMPRESS_LIST"), env.get("RSYNC_CHECKSUM_LIST"));
    }
}
