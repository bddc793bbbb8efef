package dev.jrsync.interop;

import dev.jrsync.interop.support.DirectionMatrix;
import dev.jrsync.interop.support.StockRsync;
import dev.jrsync.interop.support.TestTree;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Compression in the full cross product: every algorithm (--compress-choice zstd, lz4, zlibx,
 * zlib) at every protocol 27-32 (stock supports each combination), plus -z as users type it
 * (negotiated at 30+, zlib below), --old-compress, --new-compress and explicit levels; each in the
 * four directions plus jrsync to jrsync, against stock to stock in the same run. A full transfer
 * (trees and -i output) and a delta run after a change (literal and matched data together: trees,
 * -i output, literal data within 10% of stock's).
 *
 * <p>To keep the cross product cheap, the class starts one stock and one jrsync daemon and builds the two source
 * trees once (module {@code src}: the compact tree; {@code changed}: the same tree after
 * {@link TestTree#modifyForDelta}); each case empties the destinations, copies {@code src} in full and then
 * {@code changed} as the delta. Neither daemon keeps state between connections, so a case sees what fresh
 * daemons would show. The cases tagged {@code legacy-peer} (one per algorithm, at protocols 32 and 30 or 27) also
 * run against the older stock peer.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class CompressionMatrixTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    static Path tmp;
    private static DirectionMatrix matrix;

    @BeforeAll
    static void startDaemons() throws Exception {
        Path src = TestTree.compact(tmp.resolve("src"));
        Path changed = TestTree.compact(tmp.resolve("changed"));
        TestTree.modifyForDelta(changed);
        matrix = DirectionMatrix.start(tmp, Map.of("src", src, "changed", changed), TIMEOUT);
    }

    @AfterAll
    static void stopDaemons() {
        if (matrix != null) {
            matrix.close();
        }
    }

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

    /** The slice that also runs against the older stock peer: each algorithm and -z, old and new protocols. */
    static Stream<Arguments> legacyCases() {
        return Stream.of(
                Arguments.of("--compress-choice=zstd", 32),
                Arguments.of("--compress-choice=lz4", 30),
                Arguments.of("--compress-choice=zlibx", 32),
                Arguments.of("--compress-choice=zlib", 27),
                Arguments.of("-z", 29),
                Arguments.of("-z", 32));
    }

    @ParameterizedTest(name = "{0} protocol {1}")
    @MethodSource("cases")
    void compressedTransfersMatchStock(String compression, int protocol) throws Exception {
        check(compression, protocol);
    }

    @Tag("legacy-peer")
    @ParameterizedTest(name = "{0} protocol {1}")
    @MethodSource("legacyCases")
    void compressedTransfersMatchOlderStock(String compression, int protocol) throws Exception {
        Assumptions.assumeFalse(StockRsync.isReferenceVersion(), "compressedTransfersMatchStock covers it");
        check(compression, protocol);
    }

    private static void check(String compression, int protocol) throws Exception {
        matrix.clearDestinations();
        List<String> opts = new ArrayList<>(List.of(compression.split(" ")));
        opts.add("--protocol=" + protocol);
        List<String> full = new ArrayList<>(opts);
        full.add("-i");
        DirectionMatrix.Round first = matrix.round(compression + " protocol " + protocol + " full", "src", full);
        matrix.assertTreesMatch(first);
        matrix.assertItemizeMatches(first);

        List<String> delta = new ArrayList<>(opts);
        delta.addAll(List.of("-i", "--delete", "--stats"));
        DirectionMatrix.Round second = matrix.round(compression + " protocol " + protocol + " delta", "changed",
                delta);
        matrix.assertTreesMatch(second);
        matrix.assertItemizeMatches(second);
        matrix.assertLiteralDataMatches(second, TestTree.COMPACT_BIG_SIZE / 20);
    }
}
