package dev.jrsync.protocol.wire;

import java.io.IOException;

/**
 * Receives the non-data messages of a multiplexed input stream, on the thread that reads the stream.
 * Payload lengths are already validated against {@link MuxInputStream#MAX_MESSAGE}.
 */
@FunctionalInterface
public interface MessageHandler {
    void onMessage(int code, byte[] payload) throws IOException;
}
