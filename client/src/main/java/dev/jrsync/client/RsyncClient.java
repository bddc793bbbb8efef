package dev.jrsync.client;

import dev.jrsync.protocol.session.TransferResult;

/**
 * The Java API's entry point: {@code RsyncClient.run(request)} does what {@code rsync ARGS} does for
 * the request, against a stock rsync daemon, a remote shell's rsync or jrsync, or locally. Use
 * {@link #prepare} to keep a handle for {@link RsyncTransfer#cancel()}. Each transfer is independent;
 * any number may run concurrently from different threads.
 */
public final class RsyncClient {
    private RsyncClient() {
    }

    /** A transfer ready to {@link RsyncTransfer#run() run} (once). */
    public static RsyncTransfer prepare(TransferRequest request) {
        return new RsyncTransfer(request);
    }

    /** Runs {@code request} on the calling thread; see {@link RsyncTransfer#run()}. */
    public static TransferResult run(TransferRequest request) throws RsyncFailure {
        return prepare(request).run();
    }
}
