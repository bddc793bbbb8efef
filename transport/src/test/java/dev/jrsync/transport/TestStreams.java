package dev.jrsync.transport;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;

/** Deterministic payloads, checksums and background tasks shared by the transport tests. */
final class TestStreams {
    private static final ExecutorService VIRTUAL = Executors.newVirtualThreadPerTaskExecutor();

    private TestStreams() {
    }

    static <T> Future<T> async(Callable<T> task) {
        return VIRTUAL.submit(task);
    }

    static byte[] payload(long seed, int size) {
        byte[] data = new byte[size];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }

    /** Writes {@code size} pseudo-random bytes in uneven pieces and flushes; returns their CRC32C. */
    static long writePattern(OutputStream out, long seed, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        CRC32C crc = new CRC32C();
        byte[] block = new byte[70_001];
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(left, 1 + random.nextInt(block.length));
            random.nextBytes(block);
            out.write(block, 0, n);
            crc.update(block, 0, n);
            left -= n;
        }
        out.flush();
        return crc.getValue();
    }

    /** Reads exactly {@code size} bytes and returns their CRC32C. */
    static long readExactly(InputStream in, long size) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[33_333];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException("EOF with " + left + " of " + size + " bytes unread");
            }
            crc.update(buf, 0, n);
            left -= n;
        }
        return crc.getValue();
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Echoes until EOF, flushing after every read so the peer sees bytes as they come. */
    static void echo(Connection connection) throws IOException {
        InputStream in = connection.input();
        OutputStream out = connection.output();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
            out.flush();
        }
    }
}
