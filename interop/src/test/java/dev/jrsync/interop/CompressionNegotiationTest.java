package dev.jrsync.interop;

import dev.jrsync.interop.support.DirectionMatrix;
import dev.jrsync.interop.support.ModuleSpec;
import dev.jrsync.interop.support.Peer;
import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.RsyncDaemon;
import dev.jrsync.interop.support.Stats;
import dev.jrsync.interop.support.TreeAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which compression the two sides settle on, seen from the client's --debug=NSTR lines: for each
 * client/daemon pairing the lines (and so the algorithm and level) must be what stock-to-stock
 * prints, with RSYNC_COMPRESS_LIST reordering either side's list. Also the daemon's
 * "dont compress = *", which makes zlib send stored blocks and leaves the other algorithms alone.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CompressionNegotiationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    /** Some compressible text and some random bytes. */
    private Path tree() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        StringBuilder text = new StringBuilder();
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            text.append("line ").append(i).append(' ').append(r.nextInt(1000)).append(" of some log text\n");
        }
        Files.writeString(src.resolve("log.txt"), text);
        byte[] noise = new byte[50_000];
        r.nextBytes(noise);
        Files.write(src.resolve("noise.bin"), noise);
        return src;
    }

    private static List<String> nstrLines(Proc.Result r) {
        return r.stdout().lines().filter(l -> l.startsWith("Client ") && (l.contains(" compress: ")
                || l.contains(" checksum: "))).toList();
    }

    @ParameterizedTest(name = "[{0}] client env [{1}], daemon env [{2}]")
    @CsvSource(nullValues = "null", value = {
            "-z, null, null",
            "-z, 'lz4 zlib', null",
            "-z, 'zlib zstd', null",
            "-z, null, 'zlibx zlib'",
            "-z, null, 'zlib zstd'",
            "-z, 'zlibx&zstd', null",
            "-z --protocol=30, null, null",
            "-z --protocol=29, null, null",
            "-z --protocol=27, null, 'zlib'",
            "--zc=lz4, null, null",
            "--zc=zstd --zl=-3, null, null",
            "--zc=zlibx --zl=12, null, null",
            "--new-compress, null, 'zlibx zlib'",
            "--zl=1, null, null"})
    void bothSidesChooseWhatStockChooses(String options, String clientEnv, String daemonEnv) throws Exception {
        Path src = tree();
        Map<String, String> daemonVars = daemonEnv == null ? Map.of() : Map.of("RSYNC_COMPRESS_LIST", daemonEnv);
        Map<String, String> clientVars = clientEnv == null ? Map.of() : Map.of("RSYNC_COMPRESS_LIST", clientEnv);
        try (RsyncDaemon stock = Peer.STOCK.startDaemon(tmp.resolve("stockd"), List.of(ModuleSpec.of("src", src)),
                daemonVars);
             RsyncDaemon ours = Peer.JRSYNC.startDaemon(tmp.resolve("jrsyncd"), List.of(ModuleSpec.of("src", src)),
                     daemonVars)) {
            List<String> reference = null;
            for (DirectionMatrix.Combo c : DirectionMatrix.COMBOS) {
                RsyncDaemon d = c.daemon() == Peer.STOCK ? stock : ours;
                Path dest = tmp.resolve("pull-" + c.client() + "-" + c.daemon());
                List<String> args = new ArrayList<>(List.of("-a", "--debug=nstr"));
                args.addAll(List.of(options.split(" ")));
                args.addAll(List.of(d.url("src"), dest + "/"));
                Proc.Result r = c.client().client(args, clientVars, TIMEOUT).expectSuccess();
                List<String> lines = nstrLines(r);
                assertEquals(2, lines.size(), r.describe());
                if (reference == null) {
                    reference = lines;
                } else {
                    assertEquals(reference, lines, c.client() + " client -> " + c.daemon() + " daemon\n" + r.describe());
                }
                TreeAssert.assertSameTree(src, dest);
            }
        }
    }

    @Test
    void noCommonAlgorithmFailsLikeStock() throws Exception {
        Path src = tree();
        try (RsyncDaemon stock = Peer.STOCK.startDaemon(tmp.resolve("stockd"), List.of(ModuleSpec.of("src", src)),
                Map.of("RSYNC_COMPRESS_LIST", "zlib"));
             RsyncDaemon ours = Peer.JRSYNC.startDaemon(tmp.resolve("jrsyncd"), List.of(ModuleSpec.of("src", src)),
                     Map.of("RSYNC_COMPRESS_LIST", "zlib"))) {
            for (DirectionMatrix.Combo c : DirectionMatrix.COMBOS) {
                RsyncDaemon d = c.daemon() == Peer.STOCK ? stock : ours;
                Path dest = tmp.resolve("pull-" + c.client() + "-" + c.daemon());
                Proc.Result r = c.client().client(List.of("-a", "-z", d.url("src"), dest + "/"),
                        Map.of("RSYNC_COMPRESS_LIST", "zstd lz4"), TIMEOUT).expectExit(4);
                assertTrue(r.stderr().contains("Failed to negotiate a compress choice."), r.describe());
                assertFalse(Files.exists(dest.resolve("log.txt")), r.describe());
            }
        }
    }

    @ParameterizedTest(name = "--zc={0}")
    @CsvSource({"zlib", "zlibx", "zstd", "lz4"})
    void dontCompressStarMakesZlibStoreOnly(String algorithm) throws Exception {
        Path src = tree();
        long raw = Files.size(src.resolve("log.txt")) + Files.size(src.resolve("noise.bin"));
        List<ModuleSpec> modules = List.of(ModuleSpec.of("plain", src), ModuleSpec.of("stored", src)
                .with("dont compress", "*.gz *"));
        Map<String, Long> received = new HashMap<>();
        try (RsyncDaemon stock = Peer.STOCK.startDaemon(tmp.resolve("stockd"), modules);
             RsyncDaemon ours = Peer.JRSYNC.startDaemon(tmp.resolve("jrsyncd"), modules)) {
            for (DirectionMatrix.Combo c : DirectionMatrix.COMBOS) {
                RsyncDaemon d = c.daemon() == Peer.STOCK ? stock : ours;
                for (String module : List.of("plain", "stored")) {
                    Path dest = tmp.resolve(module + "-" + c.client() + "-" + c.daemon());
                    Proc.Result r = c.client().client(List.of("-a", "--stats", "--zc=" + algorithm, d.url(module),
                            dest + "/"), Map.of(), TIMEOUT).expectSuccess();
                    TreeAssert.assertSameTree(src, dest);
                    received.put(module + c.client() + c.daemon(), Stats.parse(r.stdout()).totalBytesReceived());
                }
            }
        }
        boolean zlib = algorithm.startsWith("zlib");
        for (DirectionMatrix.Combo c : DirectionMatrix.COMBOS) {
            long plain = received.get("plain" + c.client() + c.daemon());
            long stored = received.get("stored" + c.client() + c.daemon());
            String what = c.client() + " client <- " + c.daemon() + " daemon: plain " + plain + ", stored " + stored + ", raw " + raw;
            assertTrue(plain < raw * 0.6, what);
            if (zlib) {
                // The daemon is the sender, so its "dont compress" decides: stored deflate blocks.
                assertTrue(stored >= raw && stored < raw * 1.05, what);
            } else {
                assertTrue(Math.abs(stored - plain) <= plain / 20, what);
            }
            long ref = received.get("stored" + Peer.STOCK + c.daemon());
            assertTrue(Math.abs(stored - ref) <= ref / 10, what + " (stock client: " + ref + ")");
        }
    }
}
