package dev.jrsync.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.interop.support.ModuleSpec;
import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.RsyncdConf;
import dev.jrsync.interop.support.Stats;
import dev.jrsync.interop.support.StockDaemon;
import dev.jrsync.interop.support.StockRsync;
import dev.jrsync.interop.support.TestTree;
import dev.jrsync.interop.support.TreeAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proves the interop harness with stock rsync on both ends: stock client against a stock daemon on 127.0.0.1, push
 * and pull, for the protocol versions jrsync claims. When jrsync exists, the same scenarios run with it in either role.
 */
@Tag("legacy-peer")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StockHarnessTest {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    private Proc.Result rsync(List<String> args, Map<String, String> env) throws IOException, InterruptedException {
        return StockRsync.client(args, env, CLIENT_TIMEOUT);
    }

    /**
     * What a push to a daemon module with {@code use chroot = no} must produce: the source, except that the daemon
     * strips the leading slash of absolute symlink targets it receives (rsyncd.conf(5), "use chroot"; observed with
     * stock rsync 3.2.7 on both ends). The pull direction keeps them.
     */
    private static SortedMap<String, TreeAssert.Entry> pushedToUnchrootedDaemon(Path src) throws IOException {
        SortedMap<String, TreeAssert.Entry> expected = TreeAssert.snapshot(src);
        expected.put(TestTree.ABSOLUTE_LINK, TreeAssert.Entry.symlink(TestTree.ABSOLUTE_TARGET.substring(1)));
        return expected;
    }

    private static List<String> args(int protocol, String... rest) {
        List<String> a = new ArrayList<>(List.of("-a", "--protocol=" + protocol));
        a.addAll(List.of(rest));
        return a;
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {30, 31, 32})
    void pushAndPullStandardTree(int protocol) throws Exception {
        Path src = TestTree.standard(tmp.resolve("src"));
        Path pushed = Files.createDirectory(tmp.resolve("pushed"));
        Path pulled = tmp.resolve("pulled");
        try (StockDaemon daemon = StockDaemon.start(tmp.resolve("daemon"), List.of(
                ModuleSpec.of("push", pushed).writable(),
                ModuleSpec.of("pull", src)))) {
            rsync(args(protocol, src + "/", daemon.url("push")), Map.of()).expectSuccess();
            TreeAssert.assertSameTree(pushedToUnchrootedDaemon(src), pushed);

            rsync(args(protocol, daemon.url("pull"), pulled + "/"), Map.of()).expectSuccess();
            TreeAssert.assertSameTree(src, pulled);
        }
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {30, 31, 32})
    void deltaPushSendsLittleLiteralData(int protocol) throws Exception {
        Path src = TestTree.standard(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        try (StockDaemon daemon = StockDaemon.start(tmp.resolve("daemon"),
                List.of(ModuleSpec.of("mod", dst).writable()))) {
            Stats first = Stats.parse(rsync(args(protocol, "--stats", src + "/", daemon.url("mod")), Map.of())
                    .expectSuccess().stdout());
            assertTrue(first.literalData() >= TestTree.BIG_SIZE, "first run must send the big file literally: " + first);

            TestTree.modifyForDelta(src);
            Proc.Result second = rsync(args(protocol, "--stats", "--delete", src + "/", daemon.url("mod")), Map.of())
                    .expectSuccess();
            Stats stats = Stats.parse(second.stdout());
            TreeAssert.assertSameTree(pushedToUnchrootedDaemon(src), dst);
            assertTrue(stats.literalData() < TestTree.BIG_SIZE / 50,
                    "literal data " + stats.literalData() + " (expected: far below " + TestTree.BIG_SIZE + ")\n"
                            + second.describe());
            assertTrue(stats.matchedData() > TestTree.BIG_SIZE - 64 * 1024, "matched data: " + stats);
            assertEquals(2, stats.regularFilesTransferred(), "big file and added file: " + stats);
        }
    }

    @Test
    void wrongPasswordIsRefusedWithExit5() throws Exception {
        Path src = TestTree.standard(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        Path secrets = RsyncdConf.writeSecrets(tmp.resolve("rsyncd.secrets"), Map.of("alice", "right-pw"));
        try (StockDaemon daemon = StockDaemon.start(tmp.resolve("daemon"),
                List.of(ModuleSpec.of("secure", dst).writable().auth("alice", secrets)))) {
            Proc.Result wrong = rsync(args(32, src + "/", daemon.url("alice", "secure")),
                    Map.of("RSYNC_PASSWORD", "wrong-pw")).expectExit(5);
            assertTrue(wrong.stderr().contains("@ERROR: auth failed on module secure"), wrong.describe());
            try (var s = Files.list(dst)) {
                assertFalse(s.findAny().isPresent(), "nothing may be written after a failed auth");
            }

            // Control: the same command with the right password works, so exit 5 above was the password's doing.
            rsync(args(32, src + "/", daemon.url("alice", "secure")), Map.of("RSYNC_PASSWORD", "right-pw"))
                    .expectSuccess();
            TreeAssert.assertSameTree(pushedToUnchrootedDaemon(src), dst);
        }
    }

    @Test
    void deleteRemovesExtraneousFile() throws Exception {
        Path src = TestTree.standard(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        try (StockDaemon daemon = StockDaemon.start(tmp.resolve("daemon"),
                List.of(ModuleSpec.of("mod", dst).writable()))) {
            rsync(args(32, src + "/", daemon.url("mod")), Map.of()).expectSuccess();
            Path extra = Files.writeString(dst.resolve("a/b/extraneous.txt"), "not in the source\n");

            rsync(args(32, src + "/", daemon.url("mod")), Map.of()).expectSuccess();
            assertTrue(Files.exists(extra), "without --delete the extraneous file stays");

            Proc.Result r = rsync(args(32, "--delete", "-i", src + "/", daemon.url("mod")), Map.of()).expectSuccess();
            assertFalse(Files.exists(extra), r.describe());
            assertTrue(r.stdout().contains("*deleting   a/b/extraneous.txt"), r.describe());
            TreeAssert.assertSameTree(pushedToUnchrootedDaemon(src), dst);
        }
    }
}
