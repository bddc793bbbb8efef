package dev.jrsync.protocol.session;

/**
 * What a finished transfer reports: rsync's exit code (0, or 23/24/25 for partial outcomes), a
 * snapshot of the statistics taken at the end ({@link Stats#snapshot()}: nothing updates it), and the
 * bytes this side wrote and read as rsync's summary counts them. Immutable.
 *
 * @param protocol the negotiated protocol version
 */
public record TransferResult(int exitCode, Stats stats, long bytesSent, long bytesReceived, int protocol) {
}
