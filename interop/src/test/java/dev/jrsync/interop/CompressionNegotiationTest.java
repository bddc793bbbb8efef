package dev.jrsync.interop;

import dev.jrsync.interop.support.DirectionMatrix;
import dev.jrsync.interop.support.ModuleSpec;
import dev.jrsync.interop.support.Peer;
import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.RsyncDaemon;
import dev.jrsync.interop.support.Stats;
import dev.jrsync.interop.support.StockRsync;
import dev.jrsync.interop.support.TreeAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
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
 *
 * <p>Stock differs by version when only one side reorders its list so that the two lists disagree on the first
 * choice (cases [3] and [5]). Up to 3.4 the server takes the first name of the client's list it also has, which
 * is what the client picks itself, so both agree. From 3.5.0 (compat.c, parse_negotiate_str) each side takes its
 * own most preferred name the peer also has, so a 3.5.0 server and its client compress with different
 * algorithms and the receiver fails: "inflate returned -3" (client zlib, server zstd) or "ZSTD decomp returned
 * -10" (client zstd, server zlib), exit 12, also against a 3.5.0 server from a 3.2.7 client. The test asserts what
 * the stock under test does: against 3.2.7 every pairing succeeds with stock-to-stock's choice; against 3.5.0
 * stock-to-stock and the jrsync client against the stock daemon fail like that (the jrsync client picks as every
 * stock client does; the stock daemon desyncs), and a jrsync daemon serves both clients with the client's choice
 * (it keeps the pre-3.5.0 server rule, which agrees with every client's own pick: better than stock, never a
 * silent wrong answer, as the receiver checks every file's checksum).
 */
@Tag("legacy-peer")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CompressionNegotiationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    /** The source tree and a stock/jrsync daemon pair per daemon-side RSYNC_COMPRESS_LIST, shared by all cases. */
    @TempDir
    static Path shared;
    private static Path src;
    private static final Map<String, RsyncDaemon[]> DAEMONS = new HashMap<>();

    @BeforeAll
    static void buildTree() throws IOException {
        src = tree(shared.resolve("src"));
    }

    @AfterAll
    static void stopDaemons() {
        for (RsyncDaemon[] pair : DAEMONS.values()) {
            for (RsyncDaemon d : pair) {
                d.close();
            }
        }
    }

    /** Key of the daemon pair {@link #dontCompressStarMakesZlibStoreOnly} shares. */
    private static final String DONT_COMPRESS = "dont compress";

    /** The stock (index 0) and jrsync (index 1) daemon serving module {@code src} with daemon env {@code list}. */
    private static RsyncDaemon[] daemons(String list) throws IOException, InterruptedException {
        return daemons(list == null ? "" : list, List.of(ModuleSpec.of("src", src)));
    }

    /** The daemon pair for {@code key}, started on first use: the key is the daemon's RSYNC_COMPRESS_LIST. */
    private static RsyncDaemon[] daemons(String key, List<ModuleSpec> modules) throws IOException, InterruptedException {
        RsyncDaemon[] pair = DAEMONS.get(key);
        if (pair == null) {
            Map<String, String> env = key.isEmpty() || key.equals(DONT_COMPRESS) ? Map.of()
                    : Map.of("RSYNC_COMPRESS_LIST", key);
            Path state = shared.resolve("daemons-" + DAEMONS.size());
            pair = new RsyncDaemon[2];
            pair[0] = Peer.STOCK.startDaemon(state.resolve("stockd"), modules, env);
            try {
                pair[1] = Peer.JRSYNC.startDaemon(state.resolve("jrsyncd"), modules, env);
            } catch (IOException | InterruptedException | RuntimeException e) {
                pair[0].close();
                throw e;
            }
            DAEMONS.put(key, pair);
        }
        return pair;
    }

    /** Some compressible text and some random bytes. */
    private static Path tree(Path dir) throws IOException {
        Path src = Files.createDirectories(dir);
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

    /**
     * The last column is what a 3.5.0 receiver reports when stock 3.5.0 talks to itself with these lists (null:
     * it works); see the class comment.
     */
    @ParameterizedTest(name = "[{0}] client env [{1}], daemon env [{2}]")
    @CsvSource(nullValues = "null", value = {
            "-z, null, null, null",
            "-z, 'lz4 zlib', null, null",
            "-z, 'zlib zstd', null, inflate returned -3",
            "-z, null, 'zlibx zlib', null",
            "-z, null, 'zlib zstd', ZSTD decomp returned -10",
            "-z, 'zlibx&zstd', null, null",
            "-z --protocol=30, null, null, null",
            "-z --protocol=29, null, null, null",
            "-z --protocol=27, null, 'zlib', null",
            "--zc=lz4, null, null, null",
            "--zc=zstd --zl=-3, null, null, null",
            "--zc=zlibx --zl=12, null, null, null",
            "--new-compress, null, 'zlibx zlib', null",
            "--zl=1, null, null, null"})
    void bothSidesChooseWhatStockChooses(String options, String clientEnv, String daemonEnv, String desync350)
            throws Exception {
        Map<String, String> clientVars = clientEnv == null ? Map.of() : Map.of("RSYNC_COMPRESS_LIST", clientEnv);
        RsyncDaemon[] pair = daemons(daemonEnv);
        boolean stockDesyncs = desync350 != null && StockRsync.versionAtLeast(3, 5, 0);
        List<String> reference = null;
        for (DirectionMatrix.Combo c : DirectionMatrix.COMBOS) {
            RsyncDaemon d = c.daemon() == Peer.STOCK ? pair[0] : pair[1];
            Path dest = tmp.resolve("pull-" + c.client() + "-" + c.daemon());
            List<String> args = new ArrayList<>(List.of("-a", "--debug=nstr"));
            args.addAll(List.of(options.split(" ")));
            args.addAll(List.of(d.url("src"), dest + "/"));
            Proc.Result r = c.client().client(args, clientVars, TIMEOUT);
            List<String> lines = nstrLines(r);
            assertEquals(2, lines.size(), r.describe());
            if (reference == null) {
                reference = lines;
            } else {
                assertEquals(reference, lines, c + "\n" + r.describe());
            }
            if (stockDesyncs && c.daemon() == Peer.STOCK) {
                // The stock 3.5.0 daemon compresses with its own pick, not the client's: the receiver fails.
                r.expectExit(12);
                assertTrue(r.stderr().contains("error in rsync protocol data stream (code 12)"), c + "\n" + r.describe());
                if (c.client() == Peer.STOCK) {
                    assertTrue(r.stderr().contains(desync350), c + "\n" + r.describe());
                }
                assertFalse(Files.exists(dest.resolve("log.txt")) && Files.mismatch(src.resolve("log.txt"),
                        dest.resolve("log.txt")) != -1, c + ": a wrong file was left\n" + r.describe());
            } else {
                r.expectSuccess();
                TreeAssert.assertSameTree(src, dest);
            }
        }
    }

    @Test
    void noCommonAlgorithmFailsLikeStock() throws Exception {
        RsyncDaemon[] pair = daemons("zlib");
        for (DirectionMatrix.Combo c : DirectionMatrix.COMBOS) {
            RsyncDaemon d = c.daemon() == Peer.STOCK ? pair[0] : pair[1];
            Path dest = tmp.resolve("pull-" + c.client() + "-" + c.daemon());
            Proc.Result r = c.client().client(List.of("-a", "-z", d.url("src"), dest + "/"),
                    Map.of("RSYNC_COMPRESS_LIST", "zstd lz4"), TIMEOUT).expectExit(4);
            assertTrue(r.stderr().contains("Failed to negotiate a compress choice."), r.describe());
            assertFalse(Files.exists(dest.resolve("log.txt")), r.describe());
        }
    }

    @ParameterizedTest(name = "--zc={0}")
    @CsvSource({"zlib", "zlibx", "zstd", "lz4"})
    void dontCompressStarMakesZlibStoreOnly(String algorithm) throws Exception {
        long raw = Files.size(src.resolve("log.txt")) + Files.size(src.resolve("noise.bin"));
        Map<String, Long> received = new HashMap<>();
        RsyncDaemon[] pair = daemons(DONT_COMPRESS, List.of(ModuleSpec.of("plain", src), ModuleSpec.of("stored", src)
                .with("dont compress", "*.gz *")));
        RsyncDaemon stock = pair[0];
        RsyncDaemon ours = pair[1];
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
