package dev.jrsync.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.interop.support.DirectionMatrix;
import dev.jrsync.interop.support.Peer;
import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.RemoteShell;
import dev.jrsync.interop.support.RsyncPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * File names are bytes: a tree with names that are not valid UTF-8 (and one with a control character) among normal
 * files arrives byte for byte in every direction (daemon push and pull, both implementations on each end; local copy;
 * remote shell), and the itemized lines print those bytes as stock does ({@code \#377}).
 */
@Tag("legacy-peer")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NonUtf8NamesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Shell printf escapes of the odd names (created through sh, as Java cannot name such files). */
    private static final List<String> ODD = List.of("bad\\377\\376.txt", "dir\\351/inner.txt", "ctl\\001x");

    @TempDir
    Path tmp;

    private static void sh(String script, Path dir) throws Exception {
        Proc.run(List.of("sh", "-c", script, "sh", dir.toString()), Map.of(), null, TIMEOUT).expectSuccess();
    }

    private Path tree() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        for (int i = 0; i < 20; i++) {
            Files.writeString(src.resolve("file" + i + ".txt"), "content " + i + "\n");
        }
        sh("cd \"$1\" && mkdir \"$(printf 'dir\\351')\" && for n in 'bad\\377\\376.txt' 'dir\\351/inner.txt' 'ctl\\001x';"
                + " do printf 'odd %s\\n' \"$n\" > \"$(printf \"$n\")\"; done", src);
        return src;
    }

    /** Every odd name exists under {@code dst} with exactly its bytes and content. */
    private static void assertOddNames(Path dst) throws Exception {
        for (String n : ODD) {
            Proc.Result r = Proc.run(List.of("sh", "-c", "cat \"$1/$(printf \"$2\")\"", "sh", dst.toString(), n),
                    Map.of(), null, TIMEOUT);
            assertEquals(0, r.exitCode(), dst + ": " + n + "\n" + r.describe());
            assertEquals("odd " + n + "\n", r.stdout(), n);
        }
    }

    @Test
    void daemonPushAndPullInEveryDirection() throws Exception {
        Path src = tree();
        try (DirectionMatrix m = DirectionMatrix.start(tmp.resolve("work"), src, TIMEOUT)) {
            DirectionMatrix.Round r = m.round("odd names", List.of("-i"));
            m.assertTreesMatch(r);
            m.assertItemizeMatches(r);
            for (DirectionMatrix.Combo c : DirectionMatrix.COMBOS) {
                assertTrue(r.push().get(c).stdout().contains("bad\\#377\\#376.txt"), c + "\n" + r.push().get(c).describe());
                assertTrue(r.pull().get(c).stdout().contains("ctl\\#001x"), c + "\n" + r.pull().get(c).describe());
                assertOddNames(tmp.resolve("work/push-" + c.tag()));
                assertOddNames(tmp.resolve("work/pull-" + c.tag()));
            }
        }
    }

    @Test
    void localCopyAndRemoteShell() throws Exception {
        Path src = tree();
        RemoteShell standin = RemoteShell.install(tmp.resolve("rsh"));
        Proc.Result stock = Peer.STOCK.client(List.of("-ai", src + "/", tmp.resolve("stock-local") + "/"), Map.of(),
                TIMEOUT).expectSuccess();
        List<Proc.Result> ours = new ArrayList<>();
        ours.add(Peer.JRSYNC.client(List.of("-ai", src + "/", tmp.resolve("local") + "/"), Map.of(), TIMEOUT));
        ours.add(Peer.JRSYNC.client(List.of("-ai", "-e", standin.command(), "--rsync-path=" + RsyncPath.jrsync(),
                src + "/", "localhost:" + tmp.resolve("rsh-jj") + "/"), Map.of(), TIMEOUT));
        ours.add(Peer.STOCK.client(List.of("-ai", "-e", standin.command(), "--rsync-path=" + RsyncPath.jrsync(),
                "localhost:" + src + "/", tmp.resolve("rsh-sj") + "/"), Map.of(), TIMEOUT));
        for (Proc.Result r : ours) {
            assertEquals(0, r.exitCode(), r.describe());
            // A push itemizes sent files as "<f", a local copy and a pull as ">f".
            assertEquals(DirectionMatrix.itemized(stock).stream().filter(l -> !l.startsWith("cd")).toList(),
                    DirectionMatrix.itemized(r).stream().filter(l -> !l.startsWith("cd"))
                            .map(l -> l.replaceFirst("^<", ">")).toList(), r.describe());
        }
        for (String d : List.of("local", "rsh-jj", "rsh-sj")) {
            assertOddNames(tmp.resolve(d));
        }
    }
}
