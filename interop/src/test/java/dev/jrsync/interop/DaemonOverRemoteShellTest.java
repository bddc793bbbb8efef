package dev.jrsync.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.interop.support.DirectionMatrix;
import dev.jrsync.interop.support.Peer;
import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.RemoteShell;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon over a remote shell ({@code rsync -e CMD HOST::MODULE}): the client starts
 * {@code <far side> --config=F --server --daemon .} through the shell and runs the daemon's text phase over the
 * pipes. Every client/far-side pairing pushes and pulls, compared with stock to stock (tree and itemized lines);
 * one pairing also goes through a real sshd.
 */
@Tag("legacy-peer")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DaemonOverRemoteShellTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;
    private static Path src;
    private static Path conf;
    private static RemoteShell standin;
    private static Sshd sshd;

    @BeforeAll
    static void setUp() throws Exception {
        src = TestTree.compact(tmp.resolve("src"));
        Files.createDirectories(tmp.resolve("mod"));
        boolean root = "root".equals(System.getProperty("user.name"));
        conf = tmp.resolve("rsyncd.conf");
        // Stock drops to "nobody" when it runs as root unless told otherwise; jrsync runs as the caller.
        Files.writeString(conf, "use chroot = no\n" + (root ? "uid = root\ngid = root\n" : "")
                + "[mod]\npath = " + tmp.resolve("mod") + "\nread only = no\n"
                + "[src]\npath = " + src + "\n");
        standin = RemoteShell.install(tmp.resolve("rsh"));
        sshd = Sshd.start(tmp.resolve("sshd"));
    }

    @AfterAll
    static void tearDown() {
        if (sshd != null) {
            sshd.close();
        }
    }

    private static Proc.Result run(Peer client, Peer far, String rsh, List<String> locations) throws Exception {
        List<String> args = new ArrayList<>(List.of("-a", "-i", "-e", rsh,
                "--rsync-path=" + RsyncPath.of(far) + " --config=" + conf));
        args.addAll(locations);
        return client.client(args, Map.of(), TIMEOUT);
    }

    @Test
    void everyPairingPushesAndPullsAsStockDoes() throws Exception {
        List<String> wantPush = null;
        List<String> wantPull = null;
        for (DirectionMatrix.Combo c : DirectionMatrix.COMBOS) {
            String tag = c.tag();
            Proc.Result push = run(c.client(), c.daemon(), standin.command(),
                    List.of(src + "/", "localhost::mod/push-" + tag + "/")).expectSuccess();
            // An unchrooted daemon munges received symlinks: compare with what stock's daemon stored.
            List<String> diff = TreeAssert.differences(TreeAssert.snapshot(tmp.resolve("mod/push-SS")),
                    TreeAssert.snapshot(tmp.resolve("mod/push-" + tag)));
            assertTrue(diff.isEmpty(), c + ": " + diff);
            Proc.Result pull = run(c.client(), c.daemon(), standin.command(),
                    List.of("localhost::src/", tmp.resolve("pull-" + tag) + "/")).expectSuccess();
            TreeAssert.assertSameTree(src, tmp.resolve("pull-" + tag));
            if (wantPush == null) {
                wantPush = DirectionMatrix.itemized(push);
                wantPull = DirectionMatrix.itemized(pull);
                assertTrue(wantPush.size() > 5, push.describe());
            } else {
                assertEquals(wantPush, DirectionMatrix.itemized(push), c + " push\n" + push.describe());
                assertEquals(wantPull, DirectionMatrix.itemized(pull), c + " pull\n" + pull.describe());
            }
            String last = standin.invocations().getLast();
            assertTrue(last.contains("--server --daemon ."), last);
        }
    }

    @Test
    void throughRealSshBothWays() throws Exception {
        run(Peer.STOCK, Peer.STOCK, standin.command(), List.of(src + "/", "localhost::mod/ssh-base/")).expectSuccess();
        Proc.Result push = run(Peer.JRSYNC, Peer.JRSYNC, sshd.command(),
                List.of(src + "/", sshd.host() + "::mod/ssh-push/")).expectSuccess();
        assertEquals(List.of(), TreeAssert.differences(TreeAssert.snapshot(tmp.resolve("mod/ssh-base")),
                TreeAssert.snapshot(tmp.resolve("mod/ssh-push"))));
        Proc.Result pull = run(Peer.STOCK, Peer.JRSYNC, sshd.command(),
                List.of(sshd.host() + "::src/", tmp.resolve("ssh-pull") + "/")).expectSuccess();
        TreeAssert.assertSameTree(src, tmp.resolve("ssh-pull"));
        assertTrue(push.stderr().isEmpty(), push.describe());
        assertTrue(pull.stderr().isEmpty(), pull.describe());
    }
}
