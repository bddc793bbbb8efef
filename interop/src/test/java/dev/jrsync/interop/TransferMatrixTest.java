package dev.jrsync.interop;

import dev.jrsync.interop.support.Itemize;
import dev.jrsync.interop.support.ModuleSpec;
import dev.jrsync.interop.support.Peer;
import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.RsyncDaemon;
import dev.jrsync.interop.support.Stats;
import dev.jrsync.interop.support.StockRsync;
import dev.jrsync.interop.support.TestTree;
import dev.jrsync.interop.support.TreeAssert;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The four directions (stock client to jrsync daemon, push and pull; jrsync client to stock
 * daemon, push and pull) plus jrsync to jrsync, against the stock-to-stock result of the same
 * command in the same run: destination trees, itemized output (-i), and for a delta run the
 * literal data reported by --stats.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class TransferMatrixTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    /** Client peer, daemon peer. STOCK/STOCK is the reference. */
    private record Combo(Peer client, Peer daemon) {
        String tag() {
            return client.name().charAt(0) + "" + daemon.name().charAt(0);
        }

        boolean reference() {
            return client == Peer.STOCK && daemon == Peer.STOCK;
        }
    }

    private static final List<Combo> COMBOS = List.of(
            new Combo(Peer.STOCK, Peer.STOCK),
            new Combo(Peer.STOCK, Peer.JRSYNC),
            new Combo(Peer.JRSYNC, Peer.STOCK),
            new Combo(Peer.JRSYNC, Peer.JRSYNC));

    @TempDir
    Path tmp;

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

    private void check(int protocol) throws Exception {
        Path src = TestTree.standard(tmp.resolve("src"));
        Map<Peer, List<ModuleSpec>> modules = new EnumMap<>(Peer.class);
        for (Peer p : Peer.values()) {
            modules.put(p, new ArrayList<>(List.of(ModuleSpec.of("src", src))));
        }
        for (Combo c : COMBOS) {
            modules.get(c.daemon()).add(ModuleSpec.of("push-" + c.tag(),
                    Files.createDirectory(tmp.resolve("push-" + c.tag()))).writable());
        }
        try (RsyncDaemon stock = Peer.STOCK.startDaemon(tmp.resolve("stockd"), modules.get(Peer.STOCK));
             RsyncDaemon ours = Peer.JRSYNC.startDaemon(tmp.resolve("jrsyncd"), modules.get(Peer.JRSYNC))) {
            Map<Peer, RsyncDaemon> daemons = Map.of(Peer.STOCK, stock, Peer.JRSYNC, ours);

            // Full transfer, itemized.
            Map<Combo, Proc.Result> push = new LinkedHashMap<>();
            Map<Combo, Proc.Result> pull = new LinkedHashMap<>();
            for (Combo c : COMBOS) {
                RsyncDaemon d = daemons.get(c.daemon());
                push.put(c, run(c, protocol, "-i", src + "/", d.url("push-" + c.tag())));
                pull.put(c, run(c, protocol, "-i", d.url("src"), tmp.resolve("pull-" + c.tag()) + "/"));
            }
            compare(protocol, "full", push, pull, false);

            // Delta transfer after a change in the middle of the big file (and one added, one removed file).
            TestTree.modifyForDelta(src);
            push.clear();
            pull.clear();
            for (Combo c : COMBOS) {
                RsyncDaemon d = daemons.get(c.daemon());
                push.put(c, run(c, protocol, "--delete", "--stats", src + "/", d.url("push-" + c.tag())));
                pull.put(c, run(c, protocol, "--delete", "--stats", d.url("src"), tmp.resolve("pull-" + c.tag()) + "/"));
            }
            compare(protocol, "delta", push, pull, true);
            TreeAssert.assertSameTree(src, tmp.resolve("pull-SS"));
        }
    }

    private void compare(int protocol, String what, Map<Combo, Proc.Result> push, Map<Combo, Proc.Result> pull,
                         boolean delta) throws Exception {
        SortedMap<String, TreeAssert.Entry> pushRef = TreeAssert.snapshot(tmp.resolve("push-SS"));
        SortedMap<String, TreeAssert.Entry> pullRef = TreeAssert.snapshot(tmp.resolve("pull-SS"));
        Combo ref = COMBOS.get(0);
        for (Combo c : COMBOS) {
            String label = "protocol " + protocol + " " + what + " " + c.client() + " client -> " + c.daemon() + " daemon";
            List<String> pushDiff = TreeAssert.differences(pushRef, TreeAssert.snapshot(tmp.resolve("push-" + c.tag())));
            assertTrue(pushDiff.isEmpty(), label + " push tree differs from stock-to-stock:\n"
                    + String.join("\n", pushDiff) + "\n" + push.get(c).describe());
            List<String> pullDiff = TreeAssert.differences(pullRef, TreeAssert.snapshot(tmp.resolve("pull-" + c.tag())));
            assertTrue(pullDiff.isEmpty(), label + " pull tree differs from stock-to-stock:\n"
                    + String.join("\n", pullDiff) + "\n" + pull.get(c).describe());
            if (!delta) {
                assertEquals(itemized(push.get(ref)), itemized(push.get(c)), label + " push -i output\n" + push.get(c).describe());
                assertEquals(itemized(pull.get(ref)), itemized(pull.get(c)), label + " pull -i output\n" + pull.get(c).describe());
            } else {
                assertLiteralClose(label + " push", push.get(ref), push.get(c));
                assertLiteralClose(label + " pull", pull.get(ref), pull.get(c));
            }
        }
    }

    /** Literal data (from --stats) within 10% of what stock-to-stock sent for the same change. */
    private static void assertLiteralClose(String label, Proc.Result reference, Proc.Result actual) {
        long ref = Stats.parse(reference.stdout()).literalData();
        long got = Stats.parse(actual.stdout()).literalData();
        assertTrue(ref < TestTree.BIG_SIZE / 50, "reference run was not a delta: " + ref);
        assertTrue(Math.abs(got - ref) <= ref / 10,
                label + ": literal data " + got + " bytes (expected: within 10% of stock's " + ref + ")\n"
                        + actual.describe());
    }

    /** -i lines in a stable order (incremental recursion changes stock's order of directories). */
    private static List<String> itemized(Proc.Result r) {
        List<String> lines = new ArrayList<>(Itemize.normalise(r.stdout()));
        lines.sort(null);
        return lines;
    }

    private static Proc.Result run(Combo c, int protocol, String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("-a", "--protocol=" + protocol));
        a.addAll(List.of(args));
        return c.client().client(a, Map.of(), TIMEOUT).expectSuccess();
    }
}
