package dev.jrsync.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.interop.support.DirectionMatrix;
import dev.jrsync.interop.support.Peer;
import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.TestTree;
import dev.jrsync.interop.support.TreeAssert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Local copies ({@code jrsync -a SRC DST}, no host): both roles in one JVM. Every case runs stock's local copy of
 * the same input in the same run and compares exit code, destination tree, and the itemized ({@code -i}) or listed
 * output.
 */
@Tag("legacy-peer")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LocalCopyTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    static Path tmp;
    private static Path src;
    private static Path changed;

    @BeforeAll
    static void trees() throws Exception {
        src = TestTree.compact(tmp.resolve("src"));
        changed = TestTree.compact(tmp.resolve("changed"));
        TestTree.modifyForDelta(changed);
    }

    private static Proc.Result run(Peer peer, List<String> args) throws Exception {
        return peer.client(args, Map.of(), TIMEOUT);
    }

    /** Runs the same arguments (with {@code DST} replaced per peer) through stock and jrsync; returns both. */
    private static Proc.Result[] both(String tag, List<String> argsWithDst, String dstName) throws Exception {
        Proc.Result[] r = new Proc.Result[2];
        for (Peer p : Peer.values()) {
            Path dst = tmp.resolve(tag + "-" + p.name().toLowerCase(java.util.Locale.ROOT)).resolve(dstName);
            List<String> args = new ArrayList<>();
            for (String a : argsWithDst) {
                args.add(a.replace("DST", dst.toString()));
            }
            r[p.ordinal()] = run(p, args);
        }
        return r;
    }

    private static Path dst(String tag, Peer p, String name) {
        return tmp.resolve(tag + "-" + p.name().toLowerCase(java.util.Locale.ROOT)).resolve(name);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-a", "-rlpt", "-a --whole-file", "-a --no-whole-file", "-a -c", "-a -z"})
    void fullThenDeltaMatchesStock(String opts) throws Exception {
        String tag = "delta" + opts.replaceAll("[^a-z]", "");
        for (Peer p : Peer.values()) {
            Files.createDirectories(dst(tag, p, "x").getParent());
        }
        List<String> base = new ArrayList<>(List.of(opts.split(" ")));
        base.add("-i");
        List<String> first = new ArrayList<>(base);
        first.addAll(List.of(src + "/", "DST"));
        Proc.Result[] full = both(tag, first, "d");
        for (Proc.Result r : full) {
            assertEquals(0, r.exitCode(), r.describe());
        }
        assertEquals(DirectionMatrix.itemized(full[0]), DirectionMatrix.itemized(full[1]), full[1].describe());
        assertEquals(TreeAssert.snapshot(dst(tag, Peer.STOCK, "d")), TreeAssert.snapshot(dst(tag, Peer.JRSYNC, "d")));

        List<String> second = new ArrayList<>(base);
        second.addAll(List.of("--delete", changed + "/", "DST"));
        Proc.Result[] delta = both(tag, second, "d");
        for (Proc.Result r : delta) {
            assertEquals(0, r.exitCode(), r.describe());
        }
        assertEquals(DirectionMatrix.itemized(delta[0]), DirectionMatrix.itemized(delta[1]), delta[1].describe());
        assertEquals(TreeAssert.snapshot(dst(tag, Peer.STOCK, "d")), TreeAssert.snapshot(dst(tag, Peer.JRSYNC, "d")));
        if (opts.startsWith("-a")) {
            TreeAssert.assertSameTree(changed, dst(tag, Peer.JRSYNC, "d"));
        }
    }

    @Test
    void destinationNamingMatchesStock() throws Exception {
        Path one = tmp.resolve("one.txt");
        Files.writeString(one, "one file\n");
        // A single file to a missing name, to a directory, to a name with a trailing slash; a tree to a missing dir.
        record Case(String tag, List<String> args, String dstName) { }
        List<Case> cases = List.of(
                new Case("solo", List.of("-av", one.toString(), "DST"), "renamed.txt"),
                new Case("intodir", List.of("-ai", one.toString(), "DST"), "."),
                new Case("slash", List.of("-ai", one.toString(), "DST/"), "newdir"),
                new Case("mkdir", List.of("-ai", src + "/", "DST"), "created"),
                new Case("nested", List.of("-a", src + "/", "DST"), "missing/deeper"),
                new Case("notdir", List.of("-a", src + "/", one.toString()), "unused"));
        for (Case c : cases) {
            for (Peer p : Peer.values()) {
                Files.createDirectories(dst(c.tag(), p, "x").getParent());
            }
            Proc.Result[] r = both(c.tag(), c.args(), c.dstName());
            assertEquals(r[0].exitCode(), r[1].exitCode(), c + "\n" + r[0].describe() + "\n" + r[1].describe());
            assertEquals(DirectionMatrix.itemized(r[0]), DirectionMatrix.itemized(r[1]), c + "\n" + r[1].describe());
            assertEquals(withoutTop(dst(c.tag(), Peer.STOCK, "x").getParent()),
                    withoutTop(dst(c.tag(), Peer.JRSYNC, "x").getParent()), c.toString());
            if (r[0].exitCode() != 0) {
                assertEquals(lastLine(r[0].stderr()).replaceAll("\\[\\w+=.*]", "").replaceAll(" at \\S+\\(\\d+\\)", ""),
                        lastLine(r[1].stderr()).replaceAll("\\[\\w+=.*]", ""), c + "\n" + r[1].describe());
            }
        }
        assertEquals("one file\n", Files.readString(dst("solo", Peer.JRSYNC, "renamed.txt")));
    }

    @Test
    void listingMatchesStock() throws Exception {
        for (List<String> args : List.of(List.of(src + "/"), List.of("-r", src + "/"), List.of("--list-only", "-a",
                src + "/", tmp.resolve("never").toString()))) {
            Proc.Result s = run(Peer.STOCK, args);
            Proc.Result j = run(Peer.JRSYNC, args);
            assertEquals(0, s.exitCode(), s.describe());
            assertEquals(0, j.exitCode(), j.describe());
            assertEquals(s.stdout(), j.stdout(), args.toString());
            assertTrue(j.stdout().lines().count() > 3, j.describe());
        }
        assertTrue(!Files.exists(tmp.resolve("never")));
    }

    /**
     * The tree below {@code dir}, without {@code dir} itself (the test made it), and without the times of
     * directories: those a destination rule creates get the time of their creation, on both sides.
     */
    private static java.util.SortedMap<String, TreeAssert.Entry> withoutTop(Path dir) throws Exception {
        java.util.SortedMap<String, TreeAssert.Entry> m = new java.util.TreeMap<>();
        TreeAssert.snapshot(dir).forEach((k, v) -> m.put(k, v.type() == TreeAssert.Type.DIRECTORY
                ? new TreeAssert.Entry(v.type(), v.mode(), 0, v.size(), v.content()) : v));
        m.remove(".");
        return m;
    }

    private static String lastLine(String s) {
        List<String> l = s.lines().toList();
        return l.isEmpty() ? "" : l.getLast();
    }
}
