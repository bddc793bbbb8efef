package dev.jrsync.interop;

import dev.jrsync.interop.support.ConnectProxy;
import dev.jrsync.interop.support.ModuleSpec;
import dev.jrsync.interop.support.Peer;
import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.RsyncDaemon;
import dev.jrsync.interop.support.TestTree;
import dev.jrsync.interop.support.TreeAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's network options against stock rsync 3.5.0: --bwlimit (the sustained rate of a transfer limited by
 * the jrsync client, by the jrsync daemon from the client's server arguments, and by stock for reference),
 * --address, -4/-6, --sockopts and RSYNC_PROXY through an in-test HTTP CONNECT proxy, each failure compared with
 * what the stock client prints and exits with.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NetworkOptionsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** KiB/s; with {@link #BIG} a transfer of about four seconds. */
    private static final int LIMIT = 2000;
    private static final long BIG = 8L * 1024 * 1024;

    @TempDir
    Path tmp;

    static Stream<Arguments> bwlimitCases() {
        return Stream.of(
                Arguments.of(Peer.STOCK, Peer.STOCK, true),
                Arguments.of(Peer.STOCK, Peer.STOCK, false),
                Arguments.of(Peer.JRSYNC, Peer.STOCK, true),
                Arguments.of(Peer.JRSYNC, Peer.STOCK, false),
                Arguments.of(Peer.STOCK, Peer.JRSYNC, true),
                Arguments.of(Peer.STOCK, Peer.JRSYNC, false));
    }

    /**
     * The receiving side's file grows at the limit: the rate between a quarter and three quarters of the file
     * (start-up and the final flush left out) is within 5% of --bwlimit. In a push the client's writes are
     * limited, in a pull the daemon's, which learns the limit from the client's --bwlimit server argument.
     */
    @ParameterizedTest(name = "{0} client, {1} daemon, push={2}")
    @MethodSource("bwlimitCases")
    void bwlimitHoldsTheSustainedRate(Peer client, Peer daemonPeer, boolean push) throws Exception {
        Path src = Files.createDirectory(tmp.resolve("src"));
        TestTree.bigFile(src.resolve("big.bin"), BIG, 42);
        Path module = Files.createDirectory(tmp.resolve("module"));
        Path local = Files.createDirectory(tmp.resolve("local"));
        if (!push) {
            TestTree.bigFile(module.resolve("big.bin"), BIG, 42);
        }
        try (RsyncDaemon d = daemonPeer.startDaemon(tmp.resolve("d"), List.of(ModuleSpec.of("m", module).writable()))) {
            List<String> args = push ? List.of("-t", "--bwlimit=" + LIMIT, src.resolve("big.bin").toString(), d.url("m") + "/")
                    : List.of("-t", "--bwlimit=" + LIMIT, d.url("m") + "/big.bin", local + "/");
            Path receiving = push ? module : local;
            List<long[]> samples = new ArrayList<>();
            Thread sampler = Thread.ofVirtual().start(() -> sample(receiving, samples));
            Proc.Result r;
            try {
                r = client.client(args, Map.of(), TIMEOUT).expectSuccess();
            } finally {
                sampler.interrupt();
                sampler.join(5_000);
            }
            assertEquals(-1, Files.mismatch(src.resolve("big.bin"), receiving.resolve("big.bin")), r.describe());
            double rate = sustainedRate(samples) / 1024;
            String what = client + " client, " + daemonPeer + " daemon, " + (push ? "push" : "pull") + ": "
                    + String.format("%.0f", rate) + " KiB/s at --bwlimit=" + LIMIT + " (" + r.elapsed().toMillis() + " ms)";
            System.out.println(what);
            assertTrue(Math.abs(rate / LIMIT - 1) <= 0.05, what);
        }
    }

    /** Records (nanoTime, largest file size) in {@code dir} every 20 ms until interrupted. */
    private static void sample(Path dir, List<long[]> samples) {
        while (!Thread.currentThread().isInterrupted()) {
            long largest = 0;
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    try {
                        largest = Math.max(largest, Files.size(p));
                    } catch (NoSuchFileException e) {
                        // renamed into place meanwhile
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            synchronized (samples) {
                samples.add(new long[] {System.nanoTime(), largest});
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Bytes per second between the first samples at 25% and at 75% of {@link #BIG}. */
    private static double sustainedRate(List<long[]> samples) {
        long[] quarter = null;
        long[] threeQuarters = null;
        synchronized (samples) {
            for (long[] s : samples) {
                if (quarter == null && s[1] >= BIG / 4) {
                    quarter = s;
                }
                if (threeQuarters == null && s[1] >= BIG * 3 / 4) {
                    threeQuarters = s;
                }
            }
        }
        if (quarter == null || threeQuarters == null || threeQuarters[0] == quarter[0]) {
            throw new AssertionError("the transfer was not sampled mid-way (" + samples.size() + " samples)");
        }
        return (threeQuarters[1] - quarter[1]) / ((threeQuarters[0] - quarter[0]) / 1e9);
    }

    /** The lines a client printed, without each implementation's own "at FILE(LINE) [ROLE=VERSION]" and "[ROLE] ". */
    static String normalize(String stderr) {
        return stderr.lines()
                .map(l -> l.replaceAll("( at \\S+\\([^)]*\\))? \\[\\w+=[^\\]]*\\]$", "")
                        .replaceFirst("^rsync: \\[\\w+\\] ", "rsync: "))
                .reduce("", (a, b) -> a + b + "\n");
    }

    private record Outcome(int exitCode, String stderr) {
        static Outcome of(Proc.Result r) {
            return new Outcome(r.exitCode(), normalize(r.stderr()));
        }
    }

    /** Pushes one small file with {@code options} from each client to a stock daemon; returns both outcomes. */
    private List<Outcome> pushFromBoth(List<String> options, Map<String, String> env, String name) throws Exception {
        Path src = Files.createDirectories(tmp.resolve(name).resolve("src"));
        Files.writeString(src.resolve("f.txt"), "network options\n");
        List<Outcome> outcomes = new ArrayList<>();
        Path stock = Files.createDirectories(tmp.resolve(name).resolve("module-STOCK"));
        Path ours = Files.createDirectories(tmp.resolve(name).resolve("module-JRSYNC"));
        // One daemon for both, so that the messages name the same port.
        try (RsyncDaemon d = Peer.STOCK.startDaemon(tmp.resolve(name).resolve("d"),
                List.of(ModuleSpec.of("STOCK", stock).writable(), ModuleSpec.of("JRSYNC", ours).writable()))) {
            for (Peer client : List.of(Peer.STOCK, Peer.JRSYNC)) {
                List<String> args = new ArrayList<>(options);
                args.addAll(List.of("-rt", src + "/", d.url(client.name()) + "/"));
                Proc.Result r = client.client(args, env, TIMEOUT);
                if (r.exitCode() == 0) {
                    TreeAssert.assertSameTree(src, client == Peer.STOCK ? stock : ours);
                }
                outcomes.add(Outcome.of(r));
            }
        }
        return outcomes;
    }

    private void sameAsStock(List<String> options, Map<String, String> env, int expectedExit) throws Exception {
        List<Outcome> o = pushFromBoth(options, env, "case" + Math.abs((options + "" + env).hashCode()));
        assertEquals(expectedExit, o.get(0).exitCode(), "stock: " + o.get(0));
        assertEquals(o.get(0), o.get(1), "jrsync vs stock for " + options + " " + env);
    }

    @Test
    void bindAddress() throws Exception {
        sameAsStock(List.of("--address=127.0.0.1"), Map.of(), 0);
        // Not an address of this host: stock skips the address without a word and fails with code 10.
        sameAsStock(List.of("--address=192.0.2.1"), Map.of(), 10);
        sameAsStock(List.of("--address=no-such-host.invalid"), Map.of(), 10);
    }

    @Test
    void addressFamily() throws Exception {
        sameAsStock(List.of("-4"), Map.of(), 0);
        sameAsStock(List.of("--ipv4"), Map.of(), 0);
        // The daemon's URL names 127.0.0.1: no IPv6 address to try.
        sameAsStock(List.of("-6"), Map.of(), 10);
        sameAsStock(List.of("-6", "-4"), Map.of(), 0);
    }

    @Test
    void socketOptions() throws Exception {
        sameAsStock(List.of("--sockopts=SO_SNDBUF=65536,SO_RCVBUF=65536,SO_KEEPALIVE,TCP_NODELAY"), Map.of(), 0);
        sameAsStock(List.of("--sockopts=BOGUS,IPTOS_THROUGHPUT=1"), Map.of(), 0);
    }

    @Test
    void bwlimitArguments() throws Exception {
        sameAsStock(List.of("--bwlimit=1m"), Map.of(), 0);
        sameAsStock(List.of("--bwlimit=0.1"), Map.of(), 1);
        sameAsStock(List.of("--bwlimit=fast"), Map.of(), 1);
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void pushThroughAnHttpConnectProxy(Peer client) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src").resolve("sub"));
        Files.writeString(src.resolve("a.txt"), "through the proxy\n");
        TestTree.bigFile(src.resolve("b.bin"), 300_000, 7);
        src = src.getParent();
        Path module = Files.createDirectory(tmp.resolve("module"));
        try (RsyncDaemon d = Peer.STOCK.startDaemon(tmp.resolve("d"), List.of(ModuleSpec.of("m", module).writable()));
             ConnectProxy proxy = ConnectProxy.granting()) {
            client.client(List.of("-rt", src + "/", d.url("m") + "/"), Map.of("RSYNC_PROXY", proxy.spec("bob:pw")),
                    TIMEOUT).expectSuccess();
            TreeAssert.assertSameTree(src, module);
            assertEquals(List.of(List.of("CONNECT 127.0.0.1:" + d.port() + " HTTP/1.0",
                    "Proxy-Authorization: Basic Ym9iOnB3")), proxy.requests());
        }
    }

    @Test
    void proxyFailuresReadAsStock() throws Exception {
        try (ConnectProxy refusing = ConnectProxy.answering("HTTP/1.1 407 Proxy Authentication Required")) {
            sameAsStock(List.of(), Map.of("RSYNC_PROXY", refusing.spec(null)), 10);
        }
        sameAsStock(List.of(), Map.of("RSYNC_PROXY", "127.0.0.1"), 10);
        sameAsStock(List.of(), Map.of("RSYNC_PROXY", "bob@127.0.0.1:1"), 10);
    }
}
