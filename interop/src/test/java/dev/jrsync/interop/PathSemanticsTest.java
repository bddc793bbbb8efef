package dev.jrsync.interop;

import dev.jrsync.interop.support.ModuleSpec;
import dev.jrsync.interop.support.Peer;
import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.RsyncDaemon;
import dev.jrsync.interop.support.TestTree;
import dev.jrsync.interop.support.TreeAssert;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
 * How source and destination paths are interpreted (single files, renames, new directories,
 * module roots without a slash, missing sources): each client against each daemon must leave the
 * same trees, exit codes and messages as stock against stock.
 */
@Tag("legacy-peer")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PathSemanticsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    /** The source tree and stock-to-stock's outcome, made once for both cases. */
    @TempDir
    static Path shared;
    private static Path src;
    private static Outcome reference;

    private record Outcome(List<Integer> exits, Path pulled, Path pushed, String stderr) {
    }

    @ParameterizedTest(name = "{0} client")
    @EnumSource(Peer.class)
    void pathsMeanWhatStockSaysTheyMean(Peer client) throws Exception {
        if (reference == null) {
            src = TestTree.standard(shared.resolve("src"));
            reference = scenario(Peer.STOCK, Peer.STOCK, src, shared, "ref");
        }
        for (Peer daemon : Peer.values()) {
            Outcome got = scenario(client, daemon, src, tmp, client + "-" + daemon);
            String label = client + " client -> " + daemon + " daemon";
            assertEquals(reference.exits(), got.exits(), label + " exit codes\n" + got.stderr());
            List<String> pull = TreeAssert.differences(contents(reference.pulled()), contents(got.pulled()));
            assertTrue(pull.isEmpty(), label + " pulled trees differ: " + pull);
            List<String> push = TreeAssert.differences(contents(reference.pushed()), contents(got.pushed()));
            assertTrue(push.isEmpty(), label + " pushed trees differ: " + push);
            assertTrue(got.stderr().contains("link_stat \"/a/no-such-file\" (in src) failed: No such file or directory (2)"),
                    label + "\n" + got.stderr());
            assertTrue(got.stderr().contains("some files/attrs were not transferred (see previous errors) (code 23)"),
                    label + "\n" + got.stderr());
        }
    }

    /** The tree below a directory the test made itself (its own mtime is not the transfer's doing). */
    private static java.util.SortedMap<String, TreeAssert.Entry> contents(Path dir) throws java.io.IOException {
        java.util.SortedMap<String, TreeAssert.Entry> m = TreeAssert.snapshot(dir);
        m.remove(".");
        return m;
    }

    private static Outcome scenario(Peer client, Peer daemonPeer, Path src, Path tmp, String tag) throws Exception {
        Path pushed = Files.createDirectory(tmp.resolve("push-" + tag));
        Path pulled = Files.createDirectory(tmp.resolve("pull-" + tag));
        try (RsyncDaemon d = daemonPeer.startDaemon(tmp.resolve("d-" + tag), List.of(
                ModuleSpec.of("src", src), ModuleSpec.of("mod", pushed).writable()))) {
            String base = "rsync://127.0.0.1:" + d.port() + "/";
            List<Integer> exits = new ArrayList<>();
            StringBuilder err = new StringBuilder();
            List<List<String>> commands = List.of(
                    List.of(base + "src/a/top.txt", pulled + "/"),
                    List.of(base + "src/a/top.txt", pulled + "/renamed.txt"),
                    List.of(base + "src/a/b", pulled + "/"),
                    List.of(base + "src", pulled + "/whole/"),
                    List.of(base + "src/a/no-such-file", pulled + "/missing/"),
                    List.of(src + "/run.sh", base + "mod/"),
                    List.of(src + "/run.sh", base + "mod/renamed.sh"),
                    List.of(src + "/a/", base + "mod/new-dir/"),
                    List.of(src + "/dir with space", base + "mod/"));
            for (List<String> c : commands) {
                List<String> args = new ArrayList<>(List.of("-a"));
                args.addAll(c);
                Proc.Result r = client.client(args, Map.of(), TIMEOUT);
                exits.add(r.exitCode());
                err.append(r.stderr());
            }
            return new Outcome(exits, pulled, pushed, err.toString());
        }
    }
}
