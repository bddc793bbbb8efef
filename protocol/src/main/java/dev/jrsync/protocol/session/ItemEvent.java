package dev.jrsync.protocol.session;

import dev.jrsync.protocol.flist.FileEntry;

/**
 * What happened to one item of a transfer, as the client side learns it: the entry, rsync's itemize
 * flags ({@link Item}), and the outcome. Delivered to a {@link TransferListener} whatever the
 * verbosity (which items a push learns about: see there); {@link #logged()} says whether rsync's own
 * output ({@code -v}, {@code -i}) reports it: the command line prints exactly those, formatted by
 * {@link Item#logLine}. Immutable.
 *
 * @param name the item's name relative to the transfer root (directories without a trailing slash)
 * @param entry the file-list entry; null for a deletion (the item is not in the list)
 * @param iflags the itemize flags; 0 for a deletion
 * @param outcome what happened
 * @param sending this side sent the data (rsync's "&lt;" rather than "&gt;" in itemized output)
 * @param reason why it failed ({@link Outcome#FAILED}); null otherwise
 * @param logged rsync's output at this session's verbosity shows the item
 */
public record ItemEvent(String name, FileEntry entry, int iflags, Outcome outcome, boolean sending, String reason,
                        boolean logged) {

    /** An item's fate. */
    public enum Outcome {
        /** File data was sent or received (a new or changed file). */
        TRANSFERRED,
        /** Nothing differed. */
        UP_TO_DATE,
        /** Created or updated without file data: a directory, symlink, device, or changed attributes. */
        ATTRIBUTES,
        /** Removed from the destination (--delete). */
        DELETED,
        /** Not transferred; {@link #reason()} says why (the session then ends with exit 23 or 24). */
        FAILED
    }

    /** The outcome for an item that carried no file data, from its itemize flags. */
    static Outcome withoutData(int iflags) {
        return (iflags & Item.SIGNIFICANT) != 0 ? Outcome.ATTRIBUTES : Outcome.UP_TO_DATE;
    }
}
