package dev.jrsync.interop;

import dev.jrsync.interop.support.ModuleSpec;
import dev.jrsync.interop.support.Peer;
import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.RsyncDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Refusals reach the client as a stock daemon's do: a refused option (and jrsync's own "does not
 * support X yet") at every protocol 27-32, pushed and pulled, with no compression, -z, --zc=zstd and
 * --zc=lz4, gives the stock client (and the jrsync client) the same lines and exit code from the
 * jrsync daemon as from a stock daemon with the same rsyncd.conf; and a module whose path is gone at
 * connect time gives "@ERROR: chdir failed" (exit 5) with stock's log line. Lines are compared after
 * dropping the "at file(line) [Role=version]" tail, which names each implementation's own source.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class DaemonRefusalTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;
    static Path src;
    static Path gone;
    static RsyncDaemon stock;
    static RsyncDaemon ours;

    @BeforeAll
    static void startDaemons() throws Exception {
        src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("file.txt"), "data\n");
        Files.createDirectories(src.resolve("sub"));
        Files.writeString(src.resolve("sub/inner.txt"), "inner\n");
        gone = Files.createDirectories(tmp.resolve("gone"));
        stock = Peer.STOCK.startDaemon(tmp.resolve("stockd"), modules("stock"));
        ours = Peer.JRSYNC.startDaemon(tmp.resolve("jrsyncd"), modules("jrsync"));
        // Present at start (a daemon may check module paths when it starts), gone by the first connection.
        Files.delete(gone);
    }

    private static List<ModuleSpec> modules(String who) throws IOException {
        Path dst = Files.createDirectories(tmp.resolve(who + "-dst"));
        Files.writeString(dst.resolve("keep.txt"), "stays\n");
        return List.of(
                ModuleSpec.of("t", dst).writable().with("refuse options", "times"),
                ModuleSpec.of("d", dst).writable().with("refuse options", "delete"),
                ModuleSpec.of("c", dst).writable().with("refuse options", "compress"),
                ModuleSpec.of("up", dst).writable().with("refuse options", "update"),
                ModuleSpec.of("open", dst).writable(),
                ModuleSpec.of("nx", gone).writable());
    }

    @AfterAll
    static void stopDaemons() {
        if (ours != null) {
            ours.close();
        }
        if (stock != null) {
            stock.close();
        }
    }

    /** One client run against both daemons; returns a description of any difference, or null. */
    private interface Case {
        String check() throws Exception;
    }

    /**
     * Runs the cases four at a time (each spends most of its time in the daemons' 400 ms pause before the
     * reset) and fails with every difference found.
     */
    private static void runAll(List<Case> cases) throws Exception {
        runAll(cases, 4);
    }

    private static void runAll(List<Case> cases, int threads) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<String>> results = new ArrayList<>();
            for (Case c : cases) {
                results.add(pool.submit(c::check));
            }
            List<String> failures = new ArrayList<>();
            for (java.util.concurrent.Future<String> f : results) {
                String failure = f.get(5, TimeUnit.MINUTES);
                if (failure != null) {
                    failures.add(failure);
                }
            }
            assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " cases differ:\n"
                    + String.join("\n----\n", failures));
        } finally {
            pool.shutdownNow();
        }
    }

    private static final List<String> COMPRESSIONS = List.of("", "-z", "--zc=zstd", "--zc=lz4");

    @Test
    void refusedOptionReachesTheStockClientAsFromStock() throws Exception {
        List<Case> cases = new ArrayList<>();
        for (int protocol = 27; protocol <= 32; protocol++) {
            for (String z : COMPRESSIONS) {
                for (boolean push : List.of(true, false)) {
                    List<String> opts = options("-rt", z, protocol);
                    String name = "stock client, protocol " + protocol + " " + z + (push ? " push" : " pull");
                    cases.add(() -> same(name, run(Peer.STOCK, stock, "t", opts, push),
                            run(Peer.STOCK, ours, "t", opts, push), "The server is configured to refuse --times (-t)"));
                }
            }
        }
        runAll(cases);
    }

    @Test
    void refusedOptionReachesTheJrsyncClientAsFromStock() throws Exception {
        List<Case> cases = new ArrayList<>();
        for (int protocol : List.of(27, 30, 32)) {
            for (String z : List.of("", "-z", "--zc=zstd")) {
                for (boolean push : List.of(true, false)) {
                    if (!z.equals("-z") && protocol != 32) {
                        continue;
                    }
                    List<String> opts = options("-rt", z, protocol);
                    String name = "jrsync client, protocol " + protocol + " " + z + (push ? " push" : " pull");
                    cases.add(() -> same(name, run(Peer.JRSYNC, stock, "t", opts, push),
                            run(Peer.JRSYNC, ours, "t", opts, push), "The server is configured to refuse --times (-t)"));
                }
            }
        }
        runAll(cases, 2);
    }

    @Test
    void unsupportedOptionReachesTheClientLikeAStockRefusal() throws Exception {
        // Stock implements -u; its refusal of -u in the same place is the shape jrsync must give its own.
        List<Case> cases = new ArrayList<>();
        for (int protocol = 27; protocol <= 32; protocol++) {
            for (String z : COMPRESSIONS) {
                for (boolean push : List.of(true, false)) {
                    List<String> opts = options("-ru", z, protocol);
                    int expected = protocol >= 31 && push ? 4 : 10;
                    String name = "protocol " + protocol + " " + z + (push ? " push" : " pull");
                    cases.add(() -> {
                        Proc.Result fromStock = run(Peer.STOCK, stock, "up", opts, push);
                        Proc.Result fromOurs = run(Peer.STOCK, ours, "open", opts, push);
                        String want = normalize(fromStock.stderr()).replace(
                                "The server is configured to refuse --update (-u)", "jrsync does not support -u yet");
                        if (fromStock.exitCode() != fromOurs.exitCode() || fromOurs.exitCode() != expected
                                || !want.equals(normalize(fromOurs.stderr()))) {
                            return name + "\n" + both(fromStock, fromOurs);
                        }
                        return null;
                    });
                }
            }
        }
        runAll(cases);
    }

    @Test
    void refusedDeleteAndCompressAsFromStock() throws Exception {
        List<Case> cases = new ArrayList<>();
        for (int protocol : List.of(27, 29, 30, 31, 32)) {
            for (Peer client : protocol == 32 ? List.of(Peer.values()) : List.of(Peer.STOCK)) {
                for (String z : List.of("", "-z", "--zc=zstd")) {
                    List<String> del = options("-r --delete", z, protocol);
                    String name = client + " client, protocol " + protocol + " --delete " + z;
                    cases.add(() -> same(name, run(client, stock, "d", del, true), run(client, ours, "d", del, true),
                            "The server is configured to refuse --delete"));
                }
                for (String z : List.of("-z", "--zc=zstd", "--zc=lz4")) {
                    List<String> opts = options("-r", z, protocol);
                    for (boolean push : List.of(true, false)) {
                        String name = client + " client, protocol " + protocol + " refused compress " + z
                                + (push ? " push" : " pull");
                        cases.add(() -> same(name, run(client, stock, "c", opts, push),
                                run(client, ours, "c", opts, push), "The server is configured to refuse --compress (-z)"));
                    }
                }
            }
        }
        runAll(cases);
        assertTrue(Files.exists(tmp.resolve("jrsync-dst/keep.txt")));
        assertTrue(Files.notExists(tmp.resolve("jrsync-dst/file.txt")));
    }

    /**
     * Same exit code and lines, and the reason among them. A JVM client may be slow enough that its first
     * bytes reach the daemon only after the daemon has gone, so whether it then sees a reset (exit 10) or
     * end-of-file (exit 12) depends on its own timing against stock as against jrsync: for the jrsync client
     * only the daemon's lines must be equal, and the exit code one of those two or equal.
     */
    private static String same(String name, Proc.Result fromStock, Proc.Result fromOurs, String reason) {
        boolean jvmClient = fromOurs.commandLine().contains("jrsync.jar");
        boolean sameExit = fromStock.exitCode() == fromOurs.exitCode() || jvmClient
                && List.of(10, 12).contains(fromStock.exitCode()) && List.of(10, 12).contains(fromOurs.exitCode());
        boolean sameLines = jvmClient ? daemonLines(fromStock).equals(daemonLines(fromOurs))
                : normalize(fromStock.stderr()).equals(normalize(fromOurs.stderr()));
        if (!sameExit || !sameLines || !fromOurs.stderr().contains(reason)) {
            return name + "\n" + both(fromStock, fromOurs);
        }
        return null;
    }

    @Test
    void refusalIsLoggedWithModuleUserAndHost() throws Exception {
        run(Peer.STOCK, ours, "t", options("-rt", "-z", 32), true);
        String log = Files.readString(ours.logFile());
        assertTrue(log.contains("rsync: The server is configured to refuse --times (-t) [module t from 127.0.0.1 (127.0.0.1)]"),
                log);
        assertTrue(log.contains("rsync to t/ from 127.0.0.1 (127.0.0.1)"), log);
        run(Peer.STOCK, stock, "t", options("-rt", "-z", 32), true);
        assertTrue(Files.readString(stock.logFile()).contains("rsync: The server is configured to refuse --times (-t)"));
    }

    @Test
    void missingModulePathAtConnectIsChdirFailedAsFromStock() throws Exception {
        for (Peer client : Peer.values()) {
            List<List<String>> requests = new ArrayList<>(List.of(
                    List.of("-r", src + "/", "URL"),
                    List.of("-r", "URL", tmp.resolve(client + "-pulled").toString() + "/")));
            if (client == Peer.STOCK) {
                requests.add(List.of("URL")); // the jrsync client does not list modules yet
            }
            for (List<String> req : requests) {
                Proc.Result fromStock = client.client(url(req, stock), Map.of(), TIMEOUT);
                Proc.Result fromOurs = client.client(url(req, ours), Map.of(), TIMEOUT);
                assertSame(fromStock, fromOurs, client);
                assertEquals(5, fromOurs.exitCode(), fromOurs.describe());
                assertTrue(fromOurs.stderr().contains("@ERROR: chdir failed"), fromOurs.describe());
            }
        }
        String line = "rsync: [Receiver] chdir " + gone + " failed: No such file or directory (2)";
        assertTrue(Files.readString(stock.logFile()).contains(line), "stock's own log line changed");
        assertTrue(Files.readString(ours.logFile()).contains(line), Files.readString(ours.logFile()));
        assertTrue(Files.notExists(gone));
    }

    private static List<String> url(List<String> req, RsyncDaemon d) {
        return req.stream().map(a -> a.equals("URL") ? d.url("nx") : a).toList();
    }

    private static List<String> options(String base, String z, int protocol) {
        List<String> o = new ArrayList<>(List.of(base.split(" ")));
        if (!z.isEmpty()) {
            o.add(z);
        }
        o.add("--protocol=" + protocol);
        return o;
    }

    private static Proc.Result run(Peer client, RsyncDaemon d, String module, List<String> opts, boolean push)
            throws Exception {
        List<String> args = new ArrayList<>(opts);
        if (push) {
            args.add(src + "/");
            args.add(d.url(module));
        } else {
            args.add(d.url(module));
            args.add(Files.createDirectories(tmp.resolve("pulled-" + client + "-" + Thread.currentThread().threadId()))
                    + "/");
        }
        return client.client(args, Map.of(), TIMEOUT);
    }

    private static void assertSame(Proc.Result fromStock, Proc.Result fromOurs, Peer client) {
        String what = client + " client\n" + both(fromStock, fromOurs);
        assertEquals(fromStock.exitCode(), fromOurs.exitCode(), what);
        assertEquals(normalize(fromStock.stderr()), normalize(fromOurs.stderr()), what);
    }

    private static String both(Proc.Result fromStock, Proc.Result fromOurs) {
        return "against stock daemon:\n" + fromStock.describe() + "\nagainst jrsync daemon:\n" + fromOurs.describe();
    }

    /** The lines the daemon sent (the client's own end-of-connection lines dropped). */
    private static String daemonLines(Proc.Result r) {
        return normalize(r.stderr()).lines().filter(l -> !l.endsWith("[client]") && !l.startsWith("rsync: connection "))
                .reduce("", (a, b) -> a + b + "\n");
    }

    /** Drops "at clientserver.c(1267) [Receiver=3.5.0]" down to "[Receiver]": each side names its own source. */
    static String normalize(String stderr) {
        return stderr.lines().map(l -> l.replaceAll("( at \\S+\\([^)]*\\))? \\[(\\w+)=[^\\]]*\\]$", " [$2]"))
                .reduce("", (a, b) -> a + b + "\n");
    }
}
