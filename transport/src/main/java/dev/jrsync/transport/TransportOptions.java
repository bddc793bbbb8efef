package dev.jrsync.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Buffer bounds of one connection. Immutable.
 *
 * @param inboundHighMark    most bytes buffered from the peer and not yet read; reading from the socket stops
 *                           before this would be exceeded
 * @param inboundLowMark     reading from the socket resumes once the buffer drains to this
 * @param readChunk          most bytes taken from the socket per read (one Netty read yields one buffer)
 * @param outboundBufferSize the output stream's buffer; a full buffer is written to the channel
 * @param writeLowWaterMark  Netty's write-buffer low water mark: a parked writer resumes below it
 * @param writeHighWaterMark Netty's write-buffer high water mark: writers park above it
 * @param socketBufferSize   SO_RCVBUF and SO_SNDBUF, 0 for the operating system's default
 * @param closeLinger        how long {@link Connection#close()} lets already-flushed bytes drain before it
 *                           closes the socket regardless
 */
public record TransportOptions(int inboundHighMark, int inboundLowMark, int readChunk, int outboundBufferSize,
                               int writeLowWaterMark, int writeHighWaterMark, int socketBufferSize,
                               Duration closeLinger) {

    public static final TransportOptions DEFAULTS = new TransportOptions(
            1024 * 1024, 512 * 1024, 64 * 1024, 64 * 1024, 256 * 1024, 512 * 1024, 0, Duration.ofSeconds(10));

    /** Netty's read buffers are sized from a table that starts at 16 bytes. */
    private static final int MIN_READ_CHUNK = 64;

    public TransportOptions {
        Objects.requireNonNull(closeLinger, "closeLinger");
        if (readChunk < MIN_READ_CHUNK) {
            throw new IllegalArgumentException("readChunk: " + readChunk + " (expected: >= " + MIN_READ_CHUNK + ")");
        }
        if (inboundLowMark < 0 || (long) inboundLowMark + readChunk > inboundHighMark) {
            throw new IllegalArgumentException("inboundLowMark: " + inboundLowMark + ", readChunk: " + readChunk
                    + ", inboundHighMark: " + inboundHighMark + " (expected: 0 <= low, low + chunk <= high)");
        }
        if (outboundBufferSize <= 0) {
            throw new IllegalArgumentException("outboundBufferSize: " + outboundBufferSize + " (expected: > 0)");
        }
        if (writeLowWaterMark <= 0 || writeLowWaterMark > writeHighWaterMark) {
            throw new IllegalArgumentException("writeLowWaterMark: " + writeLowWaterMark + ", writeHighWaterMark: "
                    + writeHighWaterMark + " (expected: 0 < low <= high)");
        }
        if (socketBufferSize < 0) {
            throw new IllegalArgumentException("socketBufferSize: " + socketBufferSize + " (expected: >= 0)");
        }
        if (closeLinger.isNegative()) {
            throw new IllegalArgumentException("closeLinger: " + closeLinger + " (expected: >= 0)");
        }
    }
}
