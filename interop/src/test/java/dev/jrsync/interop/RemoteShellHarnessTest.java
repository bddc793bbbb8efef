package dev.jrsync.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.RemoteShell;
import dev.jrsync.interop.support.Rsh;
import dev.jrsync.interop.support.RsyncPath;
import dev.jrsync.interop.support.Sshd;
import dev.jrsync.interop.support.StockRsync;
import dev.jrsync.interop.support.TestTree;
import dev.jrsync.interop.support.TreeAssert;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proves the remote-shell harness with stock rsync on both ends: the stand-in ({@link RemoteShell}) re-splits the
 * remote command the way ssh and the remote shell do, and stock rsync pushes and pulls through it and through a real
 * sshd ({@link Sshd}) with a source and destination whose names hold spaces, a {@code $}, quotes, so the client's
 * quoting of remote arguments is exercised. One sshd serves the class.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RemoteShellHarnessTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;
    private static Path base;
    private static Path src;
    private static RemoteShell standin;
    private static Sshd sshd;

    @BeforeAll
    static void setUp() throws Exception {
        base = Files.createDirectories(tmp.resolve(RemoteShell.AWKWARD_NAME));
        src = TestTree.compact(base.resolve("src"));
        Files.writeString(src.resolve(RemoteShell.AWKWARD_NAME + ".txt"), "awkward name\n", StandardCharsets.UTF_8);
        standin = RemoteShell.install(tmp.resolve("rsh"));
        sshd = Sshd.start(tmp.resolve("sshd"));
    }

    @AfterAll
    static void tearDown() {
        if (sshd != null) {
            sshd.close();
        }
    }

    private static Rsh rsh(String name) {
        return switch (name) {
            case "standin" -> standin;
            case "ssh" -> sshd;
            default -> throw new IllegalArgumentException("remote shell: " + name + " (expected: standin or ssh)");
        };
    }

    private static Proc.Result rsync(Rsh rsh, String from, String to) throws Exception {
        return StockRsync.client(List.of("-a", "-e", rsh.command(), "--rsync-path=" + RsyncPath.stock(), from, to),
                Map.of(), TIMEOUT).expectSuccess();
    }

    /** What proves the transfer went through {@code rsh}: its log gained a far-side rsync run. */
    private static void assertUsed(Rsh rsh, int before) throws Exception {
        if (rsh == standin) {
            List<String> calls = standin.invocations();
            assertEquals(before + 1, calls.size(), "stand-in invocations: " + calls);
            String call = calls.getLast();
            assertTrue(call.startsWith(RemoteShell.HOST + "\t" + RsyncPath.stock() + " --server"),
                    "stand-in was asked to run: " + call);
        } else {
            assertEquals(before + 1, logins(), "sshd logins after the transfer\n" + sshd.log());
        }
    }

    private static int used(Rsh rsh) throws Exception {
        return rsh == standin ? standin.invocations().size() : logins();
    }

    private static int logins() {
        return (int) sshd.log().lines().filter(l -> l.contains("Accepted publickey for ")).count();
    }

    @Test
    void standInSplitsTheCommandLikeSsh() throws Exception {
        List<String> words = List.of("printf", "'%s|'", "a  b", "$HOME", "\"x y\"", "it\\'s");
        List<String> direct = new java.util.ArrayList<>(List.of(standin.command(), "-l",
                System.getProperty("user.name"), "-p", "22", "-o", "BatchMode=yes", "-x", "some.host"));
        direct.addAll(words);
        Proc.Result viaStandin = Proc.run(direct, Map.of(), null, TIMEOUT).expectSuccess();
        Proc.Result viaSsh = sshd.ssh(words, TIMEOUT).expectSuccess();
        assertEquals(viaSsh.stdout(), viaStandin.stdout(), "stand-in vs ssh, same words\n" + viaStandin.describe()
                + "\n" + viaSsh.describe());
        assertTrue(viaStandin.stdout().startsWith("a|b|/") && viaStandin.stdout().endsWith("|x y|it's|"),
                "joined with spaces and split again, $HOME expanded\n" + viaStandin.describe());
        assertEquals("some.host\t" + String.join(" ", words), standin.invocations().getLast());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"standin", "ssh"})
    void stockPush(String name) throws Exception {
        Rsh rsh = rsh(name);
        Path dst = base.resolve("push-" + name);
        int before = used(rsh);
        rsync(rsh, src + "/", rsh.remote(dst, true));
        assertUsed(rsh, before);
        TreeAssert.assertSameTree(src, dst);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"standin", "ssh"})
    void stockPull(String name) throws Exception {
        Rsh rsh = rsh(name);
        Path dst = base.resolve("pull-" + name);
        int before = used(rsh);
        rsync(rsh, rsh.remote(src, true), dst + "/");
        assertUsed(rsh, before);
        TreeAssert.assertSameTree(src, dst);
    }
}
