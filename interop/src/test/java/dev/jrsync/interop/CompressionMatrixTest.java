package dev.jrsync.interop;

import dev.jrsync.interop.support.ModuleSpec;
import dev.jrsync.interop.support.Peer;
import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.RsyncDaemon;
import dev.jrsync.interop.support.Stats;
import dev.jrsync.interop.support.TestTree;
import dev.jrsync.interop.support.TreeAssert;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compressed transfers (-z, negotiated or chosen) in the four directions plus jrsync to jrsync,
 * against stock to stock in the same run: full transfer trees, then a delta run (literal and
 * matched data together) whose trees and literal data must match stock's.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class CompressionMatrixTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final List<Peer[]> COMBOS = List.of(
            new Peer[] {Peer.STOCK, Peer.STOCK},
            new Peer[] {Peer.STOCK, Peer.JRSYNC},
            new Peer[] {Peer.JRSYNC, Peer.STOCK},
            new Peer[] {Peer.JRSYNC, Peer.JRSYNC});

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} protocol {1}")
    @CsvSource({
            "-z, 32", "-z, 31", "-z, 30", "-z, 29", "-z, 28", "-z, 27",
            "--compress-choice=zstd, 32", "--compress-choice=lz4, 31",
            "--compress-choice=zlibx, 32", "--compress-choice=zlib, 32", "--compress-choice=zlib, 30",
            "--old-compress, 31", "-z --compress-level=9, 32"})
    void compressedTransfersMatchStock(String compression, int protocol) throws Exception {
        Path src = TestTree.standard(tmp.resolve("src"));
        // Something compressible next to the random big file.
        Files.writeString(src.resolve("a/text.txt"), "line of compressible text\n".repeat(40_000));
        Map<Peer, List<ModuleSpec>> modules = new EnumMap<>(Peer.class);
        for (Peer p : Peer.values()) {
            modules.put(p, new ArrayList<>(List.of(ModuleSpec.of("src", src))));
        }
        for (Peer[] c : COMBOS) {
            modules.get(c[1]).add(ModuleSpec.of("push-" + tag(c), Files.createDirectory(tmp.resolve("push-" + tag(c))))
                    .writable());
        }
        List<String> opts = new ArrayList<>(List.of(compression.split(" ")));
        opts.add("--protocol=" + protocol);
        try (RsyncDaemon stock = Peer.STOCK.startDaemon(tmp.resolve("stockd"), modules.get(Peer.STOCK));
             RsyncDaemon ours = Peer.JRSYNC.startDaemon(tmp.resolve("jrsyncd"), modules.get(Peer.JRSYNC))) {
            Map<Peer, RsyncDaemon> daemons = Map.of(Peer.STOCK, stock, Peer.JRSYNC, ours);
            for (Peer[] c : COMBOS) {
                run(c[0], opts, src + "/", daemons.get(c[1]).url("push-" + tag(c)));
                run(c[0], opts, daemons.get(c[1]).url("src"), tmp.resolve("pull-" + tag(c)) + "/");
            }
            compareTrees(compression);
            TestTree.modifyForDelta(src);
            Map<String, Long> literal = new java.util.HashMap<>();
            for (Peer[] c : COMBOS) {
                List<String> delta = new ArrayList<>(opts);
                delta.addAll(List.of("--delete", "--stats"));
                literal.put("push-" + tag(c), Stats.parse(run(c[0], delta, src + "/",
                        daemons.get(c[1]).url("push-" + tag(c))).stdout()).literalData());
                literal.put("pull-" + tag(c), Stats.parse(run(c[0], delta, daemons.get(c[1]).url("src"),
                        tmp.resolve("pull-" + tag(c)) + "/").stdout()).literalData());
            }
            compareTrees(compression + " delta");
            for (Peer[] c : COMBOS) {
                for (String dir : new String[] {"push-", "pull-"}) {
                    long ref = literal.get(dir + "SS");
                    long got = literal.get(dir + tag(c));
                    assertTrue(ref < TestTree.BIG_SIZE / 50 && Math.abs(got - ref) <= ref / 10,
                            compression + " " + dir + tag(c) + ": literal data " + got + " (stock: " + ref + ")");
                }
            }
        }
    }

    private void compareTrees(String what) throws Exception {
        SortedMap<String, TreeAssert.Entry> pushRef = TreeAssert.snapshot(tmp.resolve("push-SS"));
        SortedMap<String, TreeAssert.Entry> pullRef = TreeAssert.snapshot(tmp.resolve("pull-SS"));
        for (Peer[] c : COMBOS) {
            List<String> d1 = TreeAssert.differences(pushRef, TreeAssert.snapshot(tmp.resolve("push-" + tag(c))));
            assertTrue(d1.isEmpty(), what + ": push " + c[0] + " -> " + c[1] + " differs from stock:\n" + d1);
            List<String> d2 = TreeAssert.differences(pullRef, TreeAssert.snapshot(tmp.resolve("pull-" + tag(c))));
            assertTrue(d2.isEmpty(), what + ": pull " + c[0] + " -> " + c[1] + " differs from stock:\n" + d2);
        }
    }

    private static String tag(Peer[] c) {
        return c[0].name().charAt(0) + "" + c[1].name().charAt(0);
    }

    private static Proc.Result run(Peer client, List<String> opts, String from, String to) throws Exception {
        List<String> a = new ArrayList<>(List.of("-a"));
        a.addAll(opts);
        a.add(from);
        a.add(to);
        return client.client(a, Map.of(), TIMEOUT).expectSuccess();
    }
}
