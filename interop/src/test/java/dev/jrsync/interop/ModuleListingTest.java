package dev.jrsync.interop;

import dev.jrsync.interop.support.ModuleSpec;
import dev.jrsync.interop.support.Peer;
import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.RsyncDaemon;
import dev.jrsync.interop.support.TreeAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Module file listing and -d: {@code rsync rsync://HOST/MODULE/[PATH]} (no destination: stock implies
 * --list-only and -d), --list-only with and without -r, -l (symlink arrows), --no-h, and -d copies
 * with and without --delete. Every case runs at protocols 32, 30, 29 and 27 with the stock client
 * against the stock daemon (the reference), the stock client against the jrsync daemon, the jrsync
 * client against both; stdout, stderr and the exit code must equal the reference byte for byte,
 * with nothing normalised (the listing clients run with TZ=Asia/Kolkata, a half-hour offset, so the
 * time column proves local-time conversion). Copies compare the destination trees. About 300
 * client runs: 1.5 to 5 minutes on two cores, depending on load.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ModuleListingTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final List<Integer> PROTOCOLS = List.of(32, 30, 29, 27);
    private static final Map<String, String> ENV = Map.of("TZ", "Asia/Kolkata");
    /** Over ten thousand million bytes: 14 characters once grouped, the full width of stock's column. */
    private static final long HUGE = 12_345_678_901L;

    @TempDir
    static Path tmp;
    private static Path tree;
    private static final Map<Peer, RsyncDaemon> DAEMONS = new EnumMap<>(Peer.class);

    @BeforeAll
    static void start() throws Exception {
        tree = buildTree(tmp.resolve("tree"));
        for (Peer p : Peer.values()) {
            Path up = Files.createDirectories(tmp.resolve("up-" + p));
            DAEMONS.put(p, p.startDaemon(tmp.resolve("d-" + p), List.of(ModuleSpec.of("mod", tree),
                    ModuleSpec.of("big", tmp.resolve("bigtree")), ModuleSpec.of("up", up).writable())));
        }
    }

    @AfterAll
    static void stop() {
        DAEMONS.values().forEach(RsyncDaemon::close);
    }

    /** Files of several sizes, modes and mtimes, subdirectories, symlinks, a dotfile, an empty dir. */
    private static Path buildTree(Path root) throws IOException {
        Files.createDirectories(root.resolve("sub/deep"));
        Files.createDirectories(root.resolve("empty"));
        write(root, ".dot", "hidden\n", "rw-------", 1_600_000_000L);
        write(root, "small.txt", "hello\n", "rwxr-xr-x", 1_577_934_245L);
        write(root, "zero", "", "rw-r--r--", 946_684_800L);
        write(root, "sub/a", "a".repeat(999), "rw-rw-r--", 1_700_000_001L);
        write(root, "sub/deep/b", "b".repeat(4321), "r--r--r--", 1_234_567_890L);
        byte[] big = new byte[1_234_567];
        Files.write(root.resolve("big.bin"), big);
        times(root.resolve("big.bin"), 1_262_304_000L);
        Files.createSymbolicLink(root.resolve("link"), Path.of("small.txt"));
        Files.createSymbolicLink(root.resolve("sub/abs"), Path.of("/nonexistent/target"));
        Files.setPosixFilePermissions(root.resolve("sub/deep"), PosixFilePermissions.fromString("rwx--x--x"));
        times(root.resolve("sub/deep"), 1_111_111_111L);
        times(root.resolve("sub"), 1_640_995_199L);
        times(root.resolve("empty"), 1_500_000_000L);
        times(root, 1_650_000_000L);
        // A sparse file too big to copy in a test, in a module only ever listed.
        Path bigTree = Files.createDirectories(root.getParent().resolve("bigtree"));
        try (RandomAccessFile f = new RandomAccessFile(bigTree.resolve("huge.sparse").toFile(), "rw")) {
            f.setLength(HUGE);
        }
        times(bigTree.resolve("huge.sparse"), 2_000_000_000L);
        times(bigTree, 1_650_000_000L);
        return root;
    }

    private static void write(Path root, String rel, String content, String perms, long mtime) throws IOException {
        Path p = root.resolve(rel);
        Files.writeString(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        times(p, mtime);
    }

    private static void times(Path p, long epoch) throws IOException {
        Files.setLastModifiedTime(p, FileTime.from(Instant.ofEpochSecond(epoch)));
    }

    private static final List<Peer[]> COMBOS = List.of(new Peer[] {Peer.STOCK, Peer.JRSYNC},
            new Peer[] {Peer.JRSYNC, Peer.STOCK}, new Peer[] {Peer.JRSYNC, Peer.JRSYNC});

    private static Proc.Result run(Peer client, Peer daemon, int protocol, List<String> options, String path,
                                   String... dest) throws Exception {
        List<String> args = new ArrayList<>();
        args.add("--protocol=" + protocol);
        args.addAll(options);
        args.add("rsync://127.0.0.1:" + DAEMONS.get(daemon).port() + "/" + path);
        args.addAll(List.of(dest));
        return client.client(args, ENV, TIMEOUT);
    }

    @Test
    void listingsPrintWhatStockPrints() throws Exception {
        List<Object[]> cases = List.of(
                new Object[] {List.of(), "mod/"},
                new Object[] {List.of(), "mod"},
                new Object[] {List.of(), "mod/sub/"},
                new Object[] {List.of(), "mod/sub"},
                new Object[] {List.of(), "mod/small.txt"},
                new Object[] {List.of(), "mod/sub/deep/b"},
                new Object[] {List.of(), "big/"},
                new Object[] {List.of("-l"), "mod/"},
                new Object[] {List.of("--list-only"), "mod/sub/"},
                new Object[] {List.of("-r"), "mod/"},
                new Object[] {List.of("-rl", "--list-only"), "mod/"},
                new Object[] {List.of("--no-h"), "big/"});
        List<String> failures = new ArrayList<>();
        for (int protocol : PROTOCOLS) {
            for (Object[] c : cases) {
                @SuppressWarnings("unchecked")
                List<String> opts = (List<String>) c[0];
                String path = (String) c[1];
                Proc.Result ref = run(Peer.STOCK, Peer.STOCK, protocol, opts, path).expectSuccess();
                assertTrue(ref.stdout().lines().count() >= 1, ref.describe());
                for (Peer[] combo : COMBOS) {
                    Proc.Result got = run(combo[0], combo[1], protocol, opts, path);
                    String label = combo[0] + " client -> " + combo[1] + " daemon, protocol " + protocol + ", "
                            + opts + " " + path;
                    if (got.exitCode() != ref.exitCode() || !got.stdout().equals(ref.stdout())
                            || !got.stderr().equals(ref.stderr())) {
                        failures.add(label + "\n--- stock/stock:\n" + ref.stdout() + ref.stderr() + "exit "
                                + ref.exitCode() + "\n--- got:\n" + got.stdout() + got.stderr() + "exit "
                                + got.exitCode());
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " listings differ:\n" + String.join("\n", failures));
    }

    /**
     * The listing of the module root, spelled out once: what stock prints, not only what it agrees
     * with. The cheap case that also runs against 3.2.7 (its listing is the same).
     */
    @Test
    @Tag("legacy-peer")
    void moduleRootListingIsTheDirectoryAndItsEntries() throws Exception {
        for (Peer[] combo : List.of(new Peer[] {Peer.STOCK, Peer.STOCK}, new Peer[] {Peer.STOCK, Peer.JRSYNC},
                new Peer[] {Peer.JRSYNC, Peer.JRSYNC})) {
            Proc.Result r = run(combo[0], combo[1], 32, List.of("-l"), "mod/").expectSuccess();
            List<String> names = r.stdout().lines().map(l -> l.substring(46)).toList();
            assertEquals(List.of(".", ".dot", "big.bin", "link -> small.txt", "small.txt", "zero", "empty", "sub"),
                    names, r.describe());
            assertTrue(r.stdout().contains("-rw-r--r--      1,234,567 2010/01/01 05:30:00 big.bin\n"), r.describe());
        }
        Proc.Result big = run(Peer.JRSYNC, Peer.JRSYNC, 32, List.of(), "big/").expectSuccess();
        assertTrue(big.stdout().contains("-rw-r--r-- 12,345,678,901 2033/05/18 09:03:20 huge.sparse\n"),
                big.describe());
    }

    @Test
    void dirsCopyLeavesWhatStockLeaves() throws Exception {
        List<List<String>> optionSets = List.of(List.of("-dt"), List.of("-dlpt"), List.of("-dlt", "--delete"));
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (int protocol : PROTOCOLS) {
            for (List<String> opts : optionSets) {
                n++;
                Path refDest = dest("ref-" + n);
                Proc.Result ref = run(Peer.STOCK, Peer.STOCK, protocol, opts, "mod/", refDest + "/").expectSuccess();
                SortedMap<String, TreeAssert.Entry> expected = TreeAssert.snapshot(refDest);
                assertTrue(expected.containsKey("sub") && !expected.containsKey("sub/a"), expected.toString());
                assertEquals(opts.contains("--delete"), !expected.containsKey("extra"), expected.toString());
                for (Peer[] combo : COMBOS) {
                    Path d = dest(combo[0] + "-" + combo[1] + "-" + n);
                    Proc.Result got = run(combo[0], combo[1], protocol, opts, "mod/", d + "/");
                    String label = combo[0] + " client -> " + combo[1] + " daemon, protocol " + protocol + ", " + opts;
                    List<String> diff = TreeAssert.differences(expected, TreeAssert.snapshot(d));
                    if (got.exitCode() != ref.exitCode() || !diff.isEmpty() || !got.stdout().equals(ref.stdout())) {
                        failures.add(label + ": exit " + got.exitCode() + " " + diff + "\n" + got.stdout()
                                + got.stderr() + "--- stock:\n" + ref.stdout());
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void dirsPushLeavesWhatStockLeaves() throws Exception {
        List<String> failures = new ArrayList<>();
        Map<Peer, Path> ups = Map.of(Peer.STOCK, tmp.resolve("up-STOCK"), Peer.JRSYNC, tmp.resolve("up-JRSYNC"));
        for (int protocol : PROTOCOLS) {
            String name = "p" + protocol;
            SortedMap<String, TreeAssert.Entry> expected = null;
            Proc.Result ref = null;
            for (Peer[] combo : List.of(new Peer[] {Peer.STOCK, Peer.STOCK}, COMBOS.get(0), COMBOS.get(1),
                    COMBOS.get(2))) {
                Path d = ups.get(combo[1]).resolve(name);
                deleteTree(d);
                seed(d);
                List<String> args = List.of("--protocol=" + protocol, "-dlt", "--delete", tree + "/",
                        "rsync://127.0.0.1:" + DAEMONS.get(combo[1]).port() + "/up/" + name + "/");
                Proc.Result r = combo[0].client(args, ENV, TIMEOUT);
                SortedMap<String, TreeAssert.Entry> snap = TreeAssert.snapshot(d);
                snap.remove(".");
                if (expected == null) {
                    ref = r.expectSuccess();
                    expected = snap;
                    assertTrue(snap.containsKey("sub/old") && !snap.containsKey("extra"), snap.toString());
                    continue;
                }
                List<String> diff = TreeAssert.differences(expected, snap);
                if (r.exitCode() != ref.exitCode() || !diff.isEmpty()) {
                    failures.add(combo[0] + " -> " + combo[1] + " protocol " + protocol + ": exit " + r.exitCode()
                            + " " + diff + "\n" + r.stdout() + r.stderr());
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** A destination holding an extra file and a subdirectory that -d must not recurse into. */
    private static Path dest(String name) throws IOException {
        return seed(tmp.resolve("dest").resolve(name));
    }

    private static Path seed(Path d) throws IOException {
        Files.createDirectories(d.resolve("sub"));
        Files.writeString(d.resolve("extra"), "extra\n");
        Files.writeString(d.resolve("sub/old"), "old\n");
        times(d.resolve("extra"), 1_000_000_000L);
        times(d.resolve("sub/old"), 1_000_000_000L);
        times(d.resolve("sub"), 1_000_000_000L);
        return d;
    }

    private static void deleteTree(Path d) throws IOException {
        if (!Files.exists(d)) {
            return;
        }
        try (var s = Files.walk(d)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
