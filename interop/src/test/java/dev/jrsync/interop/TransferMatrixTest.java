package dev.jrsync.interop;

import dev.jrsync.interop.support.DirectionMatrix;
import dev.jrsync.interop.support.StockRsync;
import dev.jrsync.interop.support.TestTree;
import dev.jrsync.interop.support.TreeAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The four directions (stock client to jrsync daemon, push and pull; jrsync client to stock
 * daemon, push and pull) plus jrsync to jrsync, against the stock-to-stock result of the same
 * command in the same run: destination trees, itemized output (-i), and for a delta run the
 * literal data reported by --stats.
 *
 * <p>One stock and one jrsync daemon serve the whole class; the two trees are built once (module {@code src}: the
 * {@link TestTree#standard} tree; {@code changed}: the same after {@link TestTree#modifyForDelta}). Each case
 * empties the destinations, copies {@code src} in full, then {@code changed} as the delta.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class TransferMatrixTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    @TempDir
    static Path tmp;
    private static Path changed;
    private static DirectionMatrix matrix;

    @BeforeAll
    static void startDaemons() throws Exception {
        Path src = TestTree.standard(tmp.resolve("src"));
        changed = TestTree.standard(tmp.resolve("changed"));
        TestTree.modifyForDelta(changed);
        matrix = DirectionMatrix.start(tmp, Map.of("src", src, "changed", changed), TIMEOUT);
    }

    @AfterAll
    static void stopDaemons() {
        if (matrix != null) {
            matrix.close();
        }
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {27, 28, 29, 30, 31, 32})
    void allDirectionsMatchStockToStock(int protocol) throws Exception {
        check(protocol);
    }

    /** The slice that also runs against the older stock peer (the full range runs against the reference). */
    @Tag("legacy-peer")
    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {27, 30, 32})
    void allDirectionsMatchOlderStock(int protocol) throws Exception {
        Assumptions.assumeFalse(StockRsync.isReferenceVersion(), "allDirectionsMatchStockToStock covers it");
        check(protocol);
    }

    private static void check(int protocol) throws Exception {
        matrix.clearDestinations();
        String p = "--protocol=" + protocol;
        // Full transfer, itemized.
        DirectionMatrix.Round full = matrix.round("protocol " + protocol + " full", "src", List.of(p, "-i"));
        matrix.assertTreesMatch(full);
        matrix.assertItemizeMatches(full);

        // Delta transfer after a change in the middle of the big file (and one added, one removed file).
        DirectionMatrix.Round delta = matrix.round("protocol " + protocol + " delta", "changed",
                List.of(p, "--delete", "--stats"));
        matrix.assertTreesMatch(delta);
        matrix.assertLiteralDataMatches(delta, TestTree.BIG_SIZE / 50);
        TreeAssert.assertSameTree(changed, tmp.resolve("pull-SS"));
    }
}
