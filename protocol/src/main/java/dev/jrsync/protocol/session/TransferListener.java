package dev.jrsync.protocol.session;

/**
 * Receives a transfer's per-item events on the client side. When this side receives (a pull), every
 * item of the file list gets one; when it sends (a push), the far side's generator reports only the
 * items it found worth reporting (new or changed ones, as rsync's -i shows them), so up-to-date items
 * produce none. Called from the session's role threads
 * (the sender's, or the generator's and receiver's, concurrently): implementations must be
 * thread-safe and quick; an exception thrown here fails the transfer.
 */
@FunctionalInterface
public interface TransferListener {
    TransferListener NONE = e -> { };

    void onItem(ItemEvent event);
}
