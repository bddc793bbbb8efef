package dev.jrsync.protocol.wire;

import dev.jrsync.protocol.RsyncException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BwLimitTest {

    @Test
    void parsesRsyncSizesInKibPerSecond() throws RsyncException {
        assertEquals(100, BwLimit.parse("100"));
        assertEquals(100, BwLimit.parse("100K"));
        assertEquals(100, BwLimit.parse("100k"));
        assertEquals(1024, BwLimit.parse("1m"));
        assertEquals(1024, BwLimit.parse("1MiB"));
        assertEquals(977, BwLimit.parse("1MB"), "powers of 1000, rounded to the nearest KiB");
        assertEquals(1, BwLimit.parse("512b"), "512 bytes round up to 1 KiB");
        assertEquals(2048 * 1024, BwLimit.parse("2g"));
        assertEquals(2, BwLimit.parse("1.5"));
        assertEquals(0, BwLimit.parse("0"), "0 means unlimited");
    }

    @Test
    void refusesWhatRsyncRefuses() {
        assertEquals("--bwlimit=foo is invalid",
                assertThrows(RsyncException.class, () -> BwLimit.parse("foo")).getMessage());
        assertEquals("--bwlimit=0.1 is too small (min: 512 or 0 for unlimited)",
                assertThrows(RsyncException.class, () -> BwLimit.parse("0.1")).getMessage());
        assertEquals("--bwlimit=511b is too small (min: 512 or 0 for unlimited)",
                assertThrows(RsyncException.class, () -> BwLimit.parse("511b")).getMessage());
        assertEquals(1, assertThrows(RsyncException.class, () -> BwLimit.parse("10x")).exitCode());
    }

    @Test
    void writeMaxIsRateTimes128AtLeast512() {
        assertEquals(512, BwLimit.writeMax(1));
        assertEquals(512, BwLimit.writeMax(4));
        assertEquals(128_000, BwLimit.writeMax(1000));
    }

    @Test
    void noLimitIsTheStreamItself() {
        OutputStream out = new ByteArrayOutputStream();
        assertSame(out, BwLimit.wrap(out, 0));
    }

    /** A fake clock that only moves when the limiter sleeps (or the test says so). */
    private static final class FakeClock {
        long now = 1_000_000_000L;
        final List<Long> sleeps = new ArrayList<>();

        BwLimit limit(OutputStream out, int rate) {
            return new BwLimit(out, rate, () -> now, nanos -> {
                sleeps.add(nanos);
                now += nanos;
            });
        }
    }

    @Test
    void sleepsOffWhatExceedsTheRateOnceItIsATenthOfASecond() throws Exception {
        FakeClock clock = new FakeClock();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        BwLimit limited = clock.limit(sink, 1000); // 1000 KiB/s: pieces of 128,000 bytes
        byte[] data = new byte[1_024_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        long start = clock.now;
        limited.write(data, 0, data.length);
        assertArrayEquals(data, sink.toByteArray(), "bytes pass through unchanged");
        assertEquals(8, clock.sleeps.size(), "one pause per 128,000-byte piece (125 ms each)");
        assertEquals(1_000_000_000L, clock.now - start, 1_000_000L, "1000 KiB at 1000 KiB/s take a second");
    }

    @Test
    void smallWritesAccumulateUntilTheyAreWorthASleep() throws Exception {
        FakeClock clock = new FakeClock();
        BwLimit limited = clock.limit(OutputStream.nullOutputStream(), 10); // 10 KiB/s, pieces of 1280 bytes
        for (int i = 0; i < 1023; i++) {
            limited.write(i);
        }
        assertTrue(clock.sleeps.isEmpty(), "1023 bytes are worth less than 0.1 s at 10 KiB/s: " + clock.sleeps);
        limited.write(new byte[1024 * 9 + 1]);
        long slept = clock.sleeps.stream().mapToLong(Long::longValue).sum();
        // What is left owed after the last pause is under a tenth of a second and waits for the next write.
        assertTrue(slept > 900_000_000L && slept <= 1_000_000_000L, "10 KiB at 10 KiB/s: slept " + slept + " ns");
    }

    @Test
    void timeSpentElsewhereCountsTowardsTheRate() throws Exception {
        FakeClock clock = new FakeClock();
        BwLimit limited = clock.limit(OutputStream.nullOutputStream(), 100);
        limited.write(new byte[100]);
        clock.now += 2_000_000_000L; // idle for two seconds: far more than 100 bytes' worth
        limited.write(new byte[10_000]);
        assertTrue(clock.sleeps.isEmpty(), "10,000 bytes after an idle pause are within the rate: " + clock.sleeps);
    }

    @Test
    void realClockHoldsTheRate() throws Exception {
        OutputStream limited = BwLimit.wrap(OutputStream.nullOutputStream(), 2000);
        byte[] chunk = new byte[32 * 1024];
        long bytes = 2000L * 1024; // one second's worth
        long start = System.nanoTime();
        for (long sent = 0; sent < bytes; sent += chunk.length) {
            limited.write(chunk);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // The last pause may be left for the next write (under 0.1 s) and sleeps overshoot a little.
        assertTrue(seconds > 0.85 && seconds < 1.25, "2000 KiB at 2000 KiB/s took " + seconds + " s");
    }
}
