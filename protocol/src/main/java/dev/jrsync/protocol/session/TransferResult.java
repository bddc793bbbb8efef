package dev.jrsync.protocol.session;

/**
 * What a finished transfer reports: rsync's exit code (0, or 23/24/25 for partial outcomes), the
 * statistics, and the bytes this side wrote and read as rsync's summary counts them. Immutable once
 * returned (the statistics are no longer updated).
 *
 * @param protocol the negotiated protocol version
 */
public record TransferResult(int exitCode, Stats stats, long bytesSent, long bytesReceived, int protocol) {
}
