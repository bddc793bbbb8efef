package dev.jrsync.interop;

import dev.jrsync.interop.support.ModuleSpec;
import dev.jrsync.interop.support.Peer;
import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.RsyncDaemon;
import dev.jrsync.interop.support.RsyncdConf;
import dev.jrsync.interop.support.TestTree;
import dev.jrsync.interop.support.TreeAssert;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Daemon access control across implementations: authentication (wrong password: exit 5 and
 * stock's message; right password from RSYNC_PASSWORD and from --password-file), read-only and
 * write-only modules, and the module listing, each compared with what stock-to-stock does.
 */
@Tag("legacy-peer")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DaemonAccessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    static Stream<Arguments> combos() {
        return Stream.of(
                Arguments.of(Peer.STOCK, Peer.STOCK),
                Arguments.of(Peer.STOCK, Peer.JRSYNC),
                Arguments.of(Peer.JRSYNC, Peer.STOCK),
                Arguments.of(Peer.JRSYNC, Peer.JRSYNC));
    }

    @ParameterizedTest(name = "{0} client -> {1} daemon")
    @MethodSource("combos")
    void authentication(Peer client, Peer daemonPeer) throws Exception {
        Path src = TestTree.standard(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        Path secrets = RsyncdConf.writeSecrets(tmp.resolve("rsyncd.secrets"), Map.of("alice", "right-pw"));
        try (RsyncDaemon d = daemonPeer.startDaemon(tmp.resolve("d"),
                List.of(ModuleSpec.of("secure", dst).writable().auth("alice", secrets)))) {
            for (int protocol : new int[] {27, 29, 30, 31, 32}) {
                Proc.Result wrong = client.client(List.of("-a", "--protocol=" + protocol, src + "/",
                        d.url("alice", "secure")), Map.of("RSYNC_PASSWORD", "wrong-pw"), TIMEOUT).expectExit(5);
                assertTrue(wrong.stderr().contains("@ERROR: auth failed on module secure"), wrong.describe());
            }
            try (var s = Files.list(dst)) {
                assertFalse(s.findAny().isPresent(), "nothing may be written after a failed login");
            }
            client.client(List.of("-a", src + "/", d.url("alice", "secure")),
                    Map.of("RSYNC_PASSWORD", "right-pw"), TIMEOUT).expectSuccess();
            Path pass = Files.writeString(tmp.resolve("pass"), "right-pw\n");
            Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
            Path pulled = tmp.resolve("pulled");
            client.client(List.of("-a", "--password-file=" + pass, d.url("alice", "secure"), pulled + "/"),
                    Map.of(), TIMEOUT).expectSuccess();
            TreeAssert.assertSameTree(dst, pulled);

            Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-r--r--"));
            Proc.Result loose = client.client(List.of("-a", "--password-file=" + pass, d.url("alice", "secure"),
                    tmp.resolve("never") + "/"), Map.of(), TIMEOUT).expectExit(1);
            assertTrue(loose.stderr().contains("ERROR: password file must not be other-accessible"), loose.describe());
        }
    }

    @ParameterizedTest(name = "{0} client -> {1} daemon")
    @MethodSource("combos")
    void readOnlyAndWriteOnlyModulesRefuseLikeStock(Peer client, Peer daemonPeer) throws Exception {
        Path src = TestTree.standard(tmp.resolve("src"));
        Path wo = Files.createDirectory(tmp.resolve("wo"));
        try (RsyncDaemon d = daemonPeer.startDaemon(tmp.resolve("d"), List.of(
                ModuleSpec.of("ro", src),
                ModuleSpec.of("wo", wo).writable().with("write only", "yes")))) {
            Proc.Result push = client.client(List.of("-a", tmp.resolve("src") + "/", d.url("ro")), Map.of(), TIMEOUT)
                    .expectExit(1);
            assertTrue(push.stderr().contains("ERROR: module is read only"), push.describe());
            Proc.Result pull = client.client(List.of("-a", d.url("wo"), tmp.resolve("out") + "/"), Map.of(), TIMEOUT)
                    .expectExit(1);
            assertTrue(pull.stderr().contains("ERROR: module is write only"), pull.describe());
        }
    }

    @ParameterizedTest(name = "{0} client -> {1} daemon")
    @MethodSource("combos")
    void moduleListingMatchesStock(Peer client, Peer daemonPeer) throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        List<ModuleSpec> modules = List.of(
                ModuleSpec.of("alpha", a).with("comment", "first module"),
                ModuleSpec.of("hidden", a).with("list", "no"),
                ModuleSpec.of("beta", a));
        String expected;
        try (RsyncDaemon ref = Peer.STOCK.startDaemon(tmp.resolve("ref"), modules)) {
            expected = Peer.STOCK.client(List.of("rsync://127.0.0.1:" + ref.port() + "/"), Map.of(), TIMEOUT)
                    .expectSuccess().stdout();
        }
        try (RsyncDaemon d = daemonPeer.startDaemon(tmp.resolve("d"), modules)) {
            String got = client.client(List.of("rsync://127.0.0.1:" + d.port() + "/"), Map.of(), TIMEOUT)
                    .expectSuccess().stdout();
            assertEquals(expected, got);
        }
    }
}
