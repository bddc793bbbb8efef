package dev.jrsync.protocol.session;

/**
 * What reaches the generator from the receiving side, in order: rsync's receiver writes redo
 * indexes and phase ends down a pipe to the generator (main.c:do_recv(), receiver.c:recv_files()).
 * {@link Failed} comes from the coordinator when the receiver has failed. Values; thread-safe.
 */
sealed interface ReceiverEvent {

    /** A file failed its whole-file checksum in phase 0: generate it again in phase 1. */
    record Redo(int ndx) implements ReceiverEvent {
    }

    /** The receiver has seen the end of a phase. */
    record PhaseDone() implements ReceiverEvent {
    }

    /** The receiver has failed; the generator stops. */
    record Failed() implements ReceiverEvent {
    }
}
