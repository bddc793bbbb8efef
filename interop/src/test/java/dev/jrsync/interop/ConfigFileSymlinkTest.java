package dev.jrsync.interop;

import dev.jrsync.interop.support.JrsyncDaemon;
import dev.jrsync.interop.support.ModuleSpec;
import dev.jrsync.interop.support.Peer;
import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.RsyncDaemon;
import dev.jrsync.interop.support.RsyncdConf;
import dev.jrsync.interop.support.StockDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Files named by rsyncd.conf and a symlink planted at their path (upstream's daemon-config-symlink and
 * daemon-secrets-file-symlink tests): a link owned by another user is never followed, one owned by root
 * (or the daemon's user) is, as rsync 3.5.0's open_no_attacker_symlinks() decides. Each case runs a stock
 * 3.5.0 daemon and a jrsync daemon on the same plants and compares what the client sees: the motd (module
 * listing output), the secrets file (auth fails), the lock file ("@ERROR: failed to open lock file" for a
 * module with "max connections"), and for the log, pid and lock files that nothing is written through the
 * link while the daemon keeps serving; and a module path through a planted link. Needs root, to give the plant another owner.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ConfigFileSymlinkTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String MARKER = "MOTD_LEAK_MARKER_DO_NOT_DISCLOSE";
    private static final int NOBODY = 65534;

    @TempDir
    Path tmp;

    /** A symlink at {@code link} to {@code target}, owned by {@code uid}. */
    private static Path plant(Path link, Path target, int uid) throws Exception {
        Files.createSymbolicLink(link, target);
        Files.setAttribute(link, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(link, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
        return link;
    }

    private static void assumeRoot() throws Exception {
        assumeTrue(((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0,
                "planting a symlink owned by another user needs root");
    }

    private RsyncDaemon start(boolean stock, String name, Map<String, String> global, List<ModuleSpec> modules)
            throws Exception {
        Path state = Files.createDirectories(tmp.resolve(name + (stock ? "-stockd" : "-jrsyncd")));
        return stock ? StockDaemon.start(state, global, modules) : JrsyncDaemon.start(state, global, modules);
    }

    @Test
    void motdThroughAnUntrustedSymlinkIsNotSentButATrustedOneIs() throws Exception {
        assumeRoot();
        Path plants = Files.createDirectories(tmp.resolve("plants"));
        Path victim = Files.writeString(plants.resolve("motd_victim"), MARKER + "\n");
        Path welcome = Files.writeString(plants.resolve("welcome"), "Welcome to the test daemon\n");
        Path planted = plant(plants.resolve("motd_plant"), victim, NOBODY);
        Path trusted = plant(plants.resolve("motd_trusted"), welcome, 0);
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        for (Path motd : List.of(planted, trusted)) {
            Map<String, String> global = Map.of("motd file", motd.toString());
            String[] out = new String[2];
            for (boolean stock : new boolean[] {true, false}) {
                try (RsyncDaemon d = start(stock, motd.getFileName().toString(), global,
                        List.of(ModuleSpec.of("mod", mod).with("comment", "test module")))) {
                    Proc.Result r = Peer.STOCK.client(List.of("rsync://127.0.0.1:" + d.port() + "/"), Map.of(),
                            TIMEOUT);
                    assertEquals(0, r.exitCode(), r.describe());
                    assertFalse(r.stdout().contains(MARKER) || r.stderr().contains(MARKER),
                            (stock ? "stock" : "jrsync") + " sent the planted motd's target:\n" + r.describe());
                    out[stock ? 0 : 1] = r.stdout();
                }
            }
            assertEquals(out[0], out[1], "module listing with motd file = " + motd);
            assertEquals(motd == trusted, out[1].contains("Welcome to the test daemon"), out[1]);
        }
    }

    @Test
    void secretsFileThroughAnUntrustedSymlinkAuthenticatesNobody() throws Exception {
        assumeRoot();
        Path plants = Files.createDirectories(tmp.resolve("plants"));
        Path secrets = RsyncdConf.writeSecrets(plants.resolve("secrets"), Map.of("alice", "pw"));
        Path planted = plant(plants.resolve("secrets_plant"), secrets, NOBODY);
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        Files.writeString(mod.resolve("f.txt"), "f\n");
        Proc.Result[] results = new Proc.Result[4];
        int i = 0;
        for (boolean stock : new boolean[] {true, false}) {
            try (RsyncDaemon d = start(stock, "secrets", Map.of(), List.of(
                    ModuleSpec.of("real", mod).auth("alice", secrets), ModuleSpec.of("leaf", mod).auth("alice", planted)))) {
                for (String m : List.of("real", "leaf")) {
                    results[i++] = Peer.STOCK.client(List.of("-r", d.url("alice", m), tmp.resolve("pulled-" + stock + m)
                            + "/"), Map.of("RSYNC_PASSWORD", "pw"), TIMEOUT);
                }
            }
        }
        assertEquals(0, results[0].exitCode(), results[0].describe());
        assertEquals(0, results[2].exitCode(), results[2].describe());
        assertEquals(5, results[1].exitCode(), "stock must refuse the planted secrets file\n" + results[1].describe());
        assertEquals(results[1].exitCode(), results[3].exitCode(), results[3].describe());
        assertEquals(DaemonRefusalTest.normalize(results[1].stderr()), DaemonRefusalTest.normalize(results[3].stderr()));
    }

    @Test
    void logPidAndLockFilesAreNotWrittenThroughAnUntrustedSymlink() throws Exception {
        assumeRoot();
        for (boolean stock : new boolean[] {true, false}) {
            String who = stock ? "stock" : "jrsync";
            Path plants = Files.createDirectories(tmp.resolve(who + "-plants"));
            Path victims = Files.createDirectories(tmp.resolve(who + "-victims"));
            Path log = plant(plants.resolve("log_plant"), victims.resolve("leaked.log"), NOBODY);
            Path pid = plant(plants.resolve("pid_plant"), victims.resolve("leaked.pid"), NOBODY);
            Path lock = plant(plants.resolve("lock_plant"), victims.resolve("leaked.lock"), NOBODY);
            Map<String, String> global = new LinkedHashMap<>();
            global.put("log file", log.toString());
            global.put("pid file", pid.toString());
            global.put("lock file", lock.toString());
            Path mod = Files.createDirectories(tmp.resolve(who + "-mod"));
            Files.writeString(mod.resolve("f.txt"), "f\n");
            try (RsyncDaemon d = start(stock, "files", global,
                    List.of(ModuleSpec.of("limited", mod).with("max connections", "5"), ModuleSpec.of("mod", mod)))) {
                // A module with "max connections" opens the lock file: the planted link makes that fail.
                Proc.Result r = Peer.STOCK.client(List.of("-r", d.url("limited"), tmp.resolve(who + "-pulled") + "/"),
                        Map.of(), TIMEOUT);
                assertEquals(5, r.exitCode(), who + "\n" + r.describe() + "\n" + d.output());
                assertTrue(r.stderr().contains("@ERROR: failed to open lock file"), who + "\n" + r.describe());
                r = Peer.STOCK.client(List.of("-r", d.url("mod"), tmp.resolve(who + "-pulled") + "/"),
                        Map.of(), TIMEOUT);
                assertEquals(0, r.exitCode(), who + " daemon must go on serving\n" + r.describe() + "\n" + d.output());
                try (var leaked = Files.list(victims)) {
                    assertEquals(List.of(), leaked.toList(), who + " wrote through a planted symlink\n" + d.output());
                }
                // The pid file is replaced by a regular file of our own, the log link left alone.
                assertTrue(Files.isRegularFile(pid, LinkOption.NOFOLLOW_LINKS), who + ": pid file");
                assertTrue(Files.readString(pid).strip().matches("[0-9]+"), who + ": pid file content");
                assertTrue(Files.isSymbolicLink(log), who + ": log file link");
            }
        }
    }

    /**
     * upstream's daemon-module-chdir-symlink: a module {@code path} that is (or runs through) a symlink planted by
     * another user is not entered ("@ERROR: chdir failed", exit 5, nothing of the target listed), one owned by
     * root is followed; stock 3.5.0 and jrsync side by side, listing and pull.
     */
    @Test
    void modulePathThroughAnUntrustedSymlinkIsNotEntered() throws Exception {
        assumeRoot();
        Path plants = Files.createDirectories(tmp.resolve("plants"));
        Path escape = Files.createDirectories(plants.resolve("escape_target"));
        Files.writeString(escape.resolve("audit_escape_canary"), "you-should-not-see-this\n");
        Path planted = plant(plants.resolve("plant"), escape, NOBODY);
        Path parentPlant = plant(plants.resolve("parent_plant"), plants, NOBODY);
        Path trusted = plant(plants.resolve("trusted"), escape, 0);
        List<ModuleSpec> modules = List.of(ModuleSpec.of("leaf", planted),
                ModuleSpec.of("parent", parentPlant.resolve("escape_target")), ModuleSpec.of("trusted", trusted));
        Map<String, Proc.Result> seen = new LinkedHashMap<>();
        for (boolean stock : new boolean[] {true, false}) {
            String who = stock ? "stock" : "jrsync";
            try (RsyncDaemon d = start(stock, "modpath", Map.of(), modules)) {
                for (String m : List.of("leaf", "parent", "trusted")) {
                    Proc.Result list = Peer.STOCK.client(List.of(d.url(m)), Map.of(), TIMEOUT);
                    Proc.Result pull = Peer.STOCK.client(List.of("-r", d.url(m),
                            tmp.resolve(who + "-" + m) + "/"), Map.of(), TIMEOUT);
                    boolean untrusted = !m.equals("trusted");
                    assertEquals(untrusted ? 5 : 0, list.exitCode(), who + " " + m + "\n" + list.describe());
                    assertEquals(untrusted, list.stderr().contains("@ERROR: chdir failed"), who + " " + m);
                    assertEquals(!untrusted, list.stdout().contains("audit_escape_canary"), who + " " + m);
                    assertEquals(untrusted ? 5 : 0, pull.exitCode(), who + " " + m + "\n" + pull.describe());
                    assertEquals(!untrusted, Files.exists(tmp.resolve(who + "-" + m + "/audit_escape_canary")));
                    seen.put(who + " " + m, list);
                }
            }
        }
        for (String m : List.of("leaf", "parent", "trusted")) {
            assertEquals(seen.get("stock " + m).stdout(), seen.get("jrsync " + m).stdout(), m);
        }
    }

    /** The planted link's owner really is someone else (else the test proves nothing). */
    @Test
    void plantIsOwnedBySomeoneElse() throws Exception {
        assumeRoot();
        Path link = plant(tmp.resolve("l"), tmp.resolve("t"), NOBODY);
        UserPrincipal owner = Files.getOwner(link, LinkOption.NOFOLLOW_LINKS);
        assertFalse(owner.getName().equals("root"), owner.getName());
    }
}
