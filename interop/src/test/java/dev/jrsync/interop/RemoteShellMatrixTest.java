package dev.jrsync.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.interop.support.DirectionMatrix;
import dev.jrsync.interop.support.Peer;
import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.RemoteShell;
import dev.jrsync.interop.support.Rsh;
import dev.jrsync.interop.support.RsyncPath;
import dev.jrsync.interop.support.Sshd;
import dev.jrsync.interop.support.TestTree;
import dev.jrsync.interop.support.TreeAssert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Transfers over a remote shell ({@code -e}) in every direction, against stock to stock over the stand-in in the same
 * run: stock client and stock far side (the baseline), stock client with jrsync as the far side
 * ({@code --rsync-path=<jrsync>}), jrsync client with the stock far side, jrsync on both ends; each as a push and as
 * a pull, over the {@link RemoteShell} stand-in and over a real {@link Sshd}. Every row copies the
 * {@link TestTree#compact} tree in full with {@code -i}, then the same after {@link TestTree#modifyForDelta} with
 * {@code -i --delete}, and compares the destination tree and the sorted itemized lines with the baseline's.
 *
 * <p>The source and destination directories live under {@link RemoteShell#AWKWARD_NAME} (spaces, a {@code $},
 * quotes), so every row also checks that the client quotes remote arguments for the far shell; the trees hold a file
 * of that name too. One sshd serves the class. Rows run independently: a failing row does not stop the others.
 */
@Tag("legacy-peer")
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class RemoteShellMatrixTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    enum Direction { PUSH, PULL }

    /** One client and far-side implementation, one direction, over one remote shell ("standin" or "ssh"). */
    record Row(String transport, Peer client, Peer far, Direction direction) {
        String tag() {
            return transport + "-" + client.name().charAt(0) + far.name().charAt(0) + "-"
                    + direction.name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public String toString() {
            return transport + ": " + client + " client, " + far + " far side, " + direction;
        }
    }

    /** What the baseline produced for one direction: itemized lines and tree after the full and the delta round. */
    private record Expected(List<String> fullItems, SortedMap<String, TreeAssert.Entry> fullTree,
                            List<String> deltaItems, SortedMap<String, TreeAssert.Entry> deltaTree) {
    }

    @TempDir
    static Path tmp;
    private static Path base;
    private static Path src;
    private static Path changed;
    private static RemoteShell standin;
    private static Sshd sshd;
    private static Map<Direction, Expected> expected;

    static Stream<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (String transport : List.of("standin", "ssh")) {
            for (DirectionMatrix.Combo c : DirectionMatrix.COMBOS) {
                for (Direction d : Direction.values()) {
                    rows.add(new Row(transport, c.client(), c.daemon(), d));
                }
            }
        }
        return rows.stream();
    }

    @BeforeAll
    static void setUp() throws Exception {
        base = Files.createDirectories(tmp.resolve(RemoteShell.AWKWARD_NAME));
        src = TestTree.compact(base.resolve("src"));
        changed = TestTree.compact(base.resolve("changed"));
        for (Path tree : List.of(src, changed)) {
            Files.writeString(tree.resolve(RemoteShell.AWKWARD_NAME + ".txt"), "awkward name\n");
        }
        TestTree.modifyForDelta(changed);
        standin = RemoteShell.install(tmp.resolve("rsh"));
        sshd = Sshd.start(tmp.resolve("sshd"));
        expected = new java.util.EnumMap<>(Direction.class);
        for (Direction d : Direction.values()) {
            Row baseline = new Row("standin", Peer.STOCK, Peer.STOCK, d);
            Path dst = base.resolve("baseline-" + d.name().toLowerCase(java.util.Locale.ROOT));
            List<String> full = DirectionMatrix.itemized(transfer(baseline, src, dst, List.of()));
            TreeAssert.assertSameTree(src, dst);
            SortedMap<String, TreeAssert.Entry> fullTree = TreeAssert.snapshot(dst);
            List<String> delta = DirectionMatrix.itemized(transfer(baseline, changed, dst, List.of("--delete")));
            TreeAssert.assertSameTree(changed, dst);
            assertTrue(delta.stream().anyMatch(l -> l.startsWith("*deleting ")), "baseline delta: " + delta);
            expected.put(d, new Expected(full, fullTree, delta, TreeAssert.snapshot(dst)));
        }
    }

    @AfterAll
    static void tearDown() {
        if (sshd != null) {
            sshd.close();
        }
    }

    private static Rsh rsh(Row row) {
        return row.transport().equals("ssh") ? sshd : standin;
    }

    /**
     * Runs {@code CLIENT -a -i -e RSH --rsync-path=FAR EXTRA from/ to/} for the row's direction (the far side holds
     * {@code dst} for a push, {@code from} for a pull); it must succeed and must have gone through the remote shell.
     */
    private static Proc.Result transfer(Row row, Path from, Path dst, List<String> extra) throws Exception {
        Rsh rsh = rsh(row);
        String farSide = RsyncPath.of(row.far());
        List<String> args = new ArrayList<>(List.of("-a", "-i", "-e", rsh.command(), "--rsync-path=" + farSide));
        args.addAll(extra);
        if (row.direction() == Direction.PUSH) {
            args.add(from + "/");
            args.add(rsh.remote(dst, true));
        } else {
            args.add(rsh.remote(from, true));
            args.add(dst + "/");
        }
        int before = uses(rsh);
        Proc.Result r = row.client().client(args, Map.of(), TIMEOUT);
        assertEquals(0, r.exitCode(), row + ": exit code\n" + r.describe());
        if (rsh == standin) {
            List<String> calls = standin.invocations();
            assertEquals(before + 1, calls.size(), row + ": stand-in invocations " + calls + "\n" + r.describe());
            assertTrue(calls.getLast().startsWith(RemoteShell.HOST + "\t" + farSide + " --server "),
                    row + ": stand-in was asked to run: " + calls.getLast() + "\n" + r.describe());
        } else {
            assertEquals(before + 1, uses(rsh), row + ": sshd logins\n" + sshd.log() + "\n" + r.describe());
        }
        return r;
    }

    private static int uses(Rsh rsh) throws Exception {
        return rsh == standin ? standin.invocations().size()
                : (int) sshd.log().lines().filter(l -> l.contains("Accepted publickey for ")).count();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void matchesStockToStock(Row row) throws Exception {
        Expected want = expected.get(row.direction());
        Path dst = base.resolve(row.tag());

        Proc.Result full = transfer(row, src, dst, List.of());
        List<String> d1 = TreeAssert.differences(want.fullTree(), TreeAssert.snapshot(dst));
        assertTrue(d1.isEmpty(), row + ", full: tree differs from stock to stock:\n" + String.join("\n", d1) + "\n"
                + full.describe());
        assertEquals(want.fullItems(), DirectionMatrix.itemized(full), row + ", full: -i output\n" + full.describe());

        Proc.Result delta = transfer(row, changed, dst, List.of("--delete"));
        List<String> d2 = TreeAssert.differences(want.deltaTree(), TreeAssert.snapshot(dst));
        assertTrue(d2.isEmpty(), row + ", delta: tree differs from stock to stock:\n" + String.join("\n", d2) + "\n"
                + delta.describe());
        assertEquals(want.deltaItems(), DirectionMatrix.itemized(delta),
                row + ", delta: -i output\n" + delta.describe());
    }
}
