package dev.jrsync.interop;

import dev.jrsync.interop.support.DirectionMatrix;
import dev.jrsync.interop.support.TestTree;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Compression in the full cross product: every algorithm (--compress-choice zstd, lz4, zlibx,
 * zlib) at every protocol 27-32 (stock supports each combination), plus -z as users type it
 * (negotiated at 30+, zlib below), --old-compress, --new-compress and explicit levels; each in the
 * four directions plus jrsync to jrsync, against stock to stock in the same run. A full transfer
 * (trees and -i output) and a delta run after a change (literal and matched data together: trees,
 * -i output, literal data within 10% of stock's).
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class CompressionMatrixTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String algorithm : List.of("zstd", "lz4", "zlibx", "zlib")) {
            for (int protocol = 27; protocol <= 32; protocol++) {
                cases.add(Arguments.of("--compress-choice=" + algorithm, protocol));
            }
        }
        for (int protocol : new int[] {29, 30, 32}) {
            cases.add(Arguments.of("-z", protocol)); // zlib by the z flag below 30, negotiated from 30
        }
        cases.add(Arguments.of("--old-compress", 31));
        cases.add(Arguments.of("--new-compress", 29));
        cases.add(Arguments.of("-z --compress-level=9", 32));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} protocol {1}")
    @MethodSource("cases")
    void compressedTransfersMatchStock(String compression, int protocol) throws Exception {
        Path src = TestTree.compact(tmp.resolve("src"));
        List<String> opts = new ArrayList<>(List.of(compression.split(" ")));
        opts.add("--protocol=" + protocol);
        try (DirectionMatrix m = DirectionMatrix.start(tmp, src, TIMEOUT)) {
            List<String> full = new ArrayList<>(opts);
            full.add("-i");
            DirectionMatrix.Round first = m.round(compression + " protocol " + protocol + " full", full);
            m.assertTreesMatch(first);
            m.assertItemizeMatches(first);

            TestTree.modifyForDelta(src);
            List<String> delta = new ArrayList<>(opts);
            delta.addAll(List.of("-i", "--delete", "--stats"));
            DirectionMatrix.Round second = m.round(compression + " protocol " + protocol + " delta", delta);
            m.assertTreesMatch(second);
            m.assertItemizeMatches(second);
            m.assertLiteralDataMatches(second, TestTree.COMPACT_BIG_SIZE / 20);
        }
    }
}
