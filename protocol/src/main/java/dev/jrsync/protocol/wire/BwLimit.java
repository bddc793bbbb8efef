package dev.jrsync.protocol.wire;

import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.handshake.SizeArg;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * rsync's {@code --bwlimit}: an unbuffered output stream that passes bytes through in pieces of at most
 * {@link #writeMax} bytes (options.c: bwlimit_writemax) and, after each, sleeps as io.c:sleep_for_bwlimit() does:
 * the bytes written since the last pause, less what the rate allowed for the time that passed, are slept off
 * once they amount to a tenth of a second or more; time overslept is credited back. The limit thus applies to
 * what this side writes, measured where it is written.
 *
 * <p>Not thread-safe: one writer at a time, as for any stream of a connection. Sleeping parks the calling
 * (virtual) thread.
 */
public final class BwLimit extends FilterOutputStream {
    private static final long ONE_SEC_NANOS = 1_000_000_000L;
    private static final long MIN_SLEEP_NANOS = ONE_SEC_NANOS / 10;
    /** options.c: the smallest bwlimit_writemax. */
    private static final int MIN_WRITE_MAX = 512;

    private final int rate;
    private final int writeMax;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private long owed;
    private long prior;
    private boolean started;

    /** How the limiter waits; a test substitutes a fake clock. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    BwLimit(OutputStream out, int kibPerSecond, LongSupplier clock, Sleeper sleeper) {
        super(Objects.requireNonNull(out, "out"));
        if (kibPerSecond <= 0) {
            throw new IllegalArgumentException("kibPerSecond: " + kibPerSecond + " (expected: > 0)");
        }
        this.rate = kibPerSecond;
        this.writeMax = writeMax(kibPerSecond);
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** {@code out} limited to {@code kibPerSecond} KiB/s, or {@code out} itself when the limit is 0 (none). */
    public static OutputStream wrap(OutputStream out, int kibPerSecond) {
        return kibPerSecond <= 0 ? out : new BwLimit(out, kibPerSecond, System::nanoTime,
                nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    /**
     * The KiB/s a {@code --bwlimit=ARG} asks for (options.c: a size with K as the default unit, at least 512
     * bytes or 0 for unlimited, rounded to the nearest KiB).
     *
     * @throws RsyncException exit 1 with rsync's "--bwlimit=ARG is invalid" or "too small" message
     */
    public static int parse(String arg) throws RsyncException {
        long bytes = SizeArg.parse(arg, 'K', "bwlimit", 512, true);
        long kib = (bytes + 512) / 1024;
        return (int) Math.min(Integer.MAX_VALUE, kib);
    }

    /** options.c: the largest single write under a limit of {@code kibPerSecond}. */
    static int writeMax(int kibPerSecond) {
        return (int) Math.max(MIN_WRITE_MAX, Math.min(1 << 30, (long) kibPerSecond * 128));
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        pace(1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            int n = Math.min(len, writeMax);
            out.write(b, off, n);
            off += n;
            len -= n;
            pace(n);
        }
    }

    /** io.c:sleep_for_bwlimit() for {@code written} more bytes. */
    private void pace(int written) throws IOException {
        owed += written;
        long start = clock.getAsLong();
        if (started) {
            owed -= allowance(start - prior);
            if (owed < 0) {
                owed = 0;
            }
        }
        long sleep = owed * (ONE_SEC_NANOS / 1024) / rate;
        if (sleep < MIN_SLEEP_NANOS) {
            prior = start;
            started = true;
            return;
        }
        try {
            sleeper.sleep(sleep);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while limiting the bandwidth");
        }
        prior = clock.getAsLong();
        started = true;
        // What the sleep overshot counts as bytes the rate still allows (negative owed credits the next write).
        owed = (sleep - (prior - start)) * rate / (ONE_SEC_NANOS / 1024);
    }

    /** The bytes the rate allows in {@code nanos}. */
    private long allowance(long nanos) {
        double bytes = (double) nanos * rate / (ONE_SEC_NANOS / 1024.0);
        return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bytes;
    }
}
