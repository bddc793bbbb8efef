package dev.jrsync.interop;

import dev.jrsync.interop.support.ModuleSpec;
import dev.jrsync.interop.support.Peer;
import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.RsyncDaemon;
import dev.jrsync.interop.support.TestTree;
import dev.jrsync.interop.support.TreeAssert;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client options beyond plain -a, each run in the four directions plus jrsync to jrsync and
 * compared with stock to stock in the same run: the destination after a second, changed run must
 * be what stock-to-stock produced. The tree also holds a FIFO (-D specials) and a changed file
 * whose size and mtime stay the same (only -c notices it).
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class OptionsMatrixTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final List<Peer[]> COMBOS = List.of(
            new Peer[] {Peer.STOCK, Peer.STOCK},
            new Peer[] {Peer.STOCK, Peer.JRSYNC},
            new Peer[] {Peer.JRSYNC, Peer.STOCK},
            new Peer[] {Peer.JRSYNC, Peer.JRSYNC});

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "--numeric-ids",
            "-c",
            "-W",
            "--no-whole-file --checksum-choice=md5",
            "--checksum-choice=xxh64",
            "--checksum-choice=sha1 --protocol=30",
            "--delete --protocol=31",
            "-n",
            "-rlt",
            "-B 2048 --stats"})
    void optionBehavesLikeStock(String options) throws Exception {
        Path src = TestTree.standard(tmp.resolve("src"));
        Path fifo = src.resolve("a/fifo");
        // touch sets the time without opening the FIFO (the JDK's setLastModifiedTime would block in open()).
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertEquals(0, new ProcessBuilder("touch", "-d", "@1600000000", fifo.toString()).start().waitFor());
        Map<Peer, List<ModuleSpec>> modules = new EnumMap<>(Peer.class);
        for (Peer p : Peer.values()) {
            modules.put(p, new ArrayList<>(List.of(ModuleSpec.of("src", src))));
        }
        for (Peer[] c : COMBOS) {
            modules.get(c[1]).add(ModuleSpec.of("push-" + tag(c), Files.createDirectory(tmp.resolve("push-" + tag(c))))
                    .writable());
        }
        List<String> opts = List.of(options.split(" "));
        try (RsyncDaemon stock = Peer.STOCK.startDaemon(tmp.resolve("stockd"), modules.get(Peer.STOCK));
             RsyncDaemon ours = Peer.JRSYNC.startDaemon(tmp.resolve("jrsyncd"), modules.get(Peer.JRSYNC))) {
            Map<Peer, RsyncDaemon> daemons = Map.of(Peer.STOCK, stock, Peer.JRSYNC, ours);
            for (Peer[] c : COMBOS) {
                run(c[0], List.of(), src + "/", daemons.get(c[1]).url("push-" + tag(c)));
                run(c[0], List.of(), daemons.get(c[1]).url("src"), tmp.resolve("pull-" + tag(c)) + "/");
            }
            change(src);
            for (Peer[] c : COMBOS) {
                int a = run(c[0], opts, src + "/", daemons.get(c[1]).url("push-" + tag(c))).exitCode();
                int b = run(c[0], opts, daemons.get(c[1]).url("src"), tmp.resolve("pull-" + tag(c)) + "/").exitCode();
                assertEquals(0, a + b);
            }
            SortedMap<String, TreeAssert.Entry> pushRef = TreeAssert.snapshot(tmp.resolve("push-SS"));
            SortedMap<String, TreeAssert.Entry> pullRef = TreeAssert.snapshot(tmp.resolve("pull-SS"));
            for (Peer[] c : COMBOS) {
                List<String> d1 = TreeAssert.differences(pushRef, TreeAssert.snapshot(tmp.resolve("push-" + tag(c))));
                assertTrue(d1.isEmpty(), options + ": push " + c[0] + " -> " + c[1] + " differs from stock:\n" + d1);
                List<String> d2 = TreeAssert.differences(pullRef, TreeAssert.snapshot(tmp.resolve("pull-" + tag(c))));
                assertTrue(d2.isEmpty(), options + ": pull " + c[0] + " -> " + c[1] + " differs from stock:\n" + d2);
            }
        }
    }

    /** A same-size, same-mtime content change, a new file, a removed file, a mode change. */
    private static void change(Path src) throws Exception {
        Path mid = src.resolve("a/b/c/mid.txt");
        FileTime t = Files.getLastModifiedTime(mid);
        byte[] b = Files.readAllBytes(mid);
        b[0] = (byte) (b[0] ^ 0x20);
        Files.write(mid, b);
        Files.setLastModifiedTime(mid, t);
        TestTree.modifyForDelta(src);
        Path run = src.resolve("run.sh");
        Files.setPosixFilePermissions(run, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
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
