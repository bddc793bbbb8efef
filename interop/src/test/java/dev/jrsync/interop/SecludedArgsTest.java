package dev.jrsync.interop;

import dev.jrsync.interop.support.ModuleSpec;
import dev.jrsync.interop.support.Peer;
import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.RsyncDaemon;
import dev.jrsync.interop.support.TreeAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
 * -s/--secluded-args from a stock client: the daemon reads the first argument list, sees 's', then the
 * real list NUL-separated (rsync.c:send_protected_args()). Push and pull into and from a path with a space,
 * at protocols 29, 30 and 32, leave the same trees and exit codes with a jrsync daemon as with a stock
 * one; a refused option that only the secluded list carries (--delete) and an option jrsync does not
 * implement (--max-delete) are refused as stock refuses them; a ".." path in the secluded list meets the
 * module-escape check. Every run is bounded by the client's timeout.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SecludedArgsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;
    static Path src;
    static RsyncDaemon stock;
    static RsyncDaemon ours;

    @BeforeAll
    static void start() throws Exception {
        src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("plain.txt"), "plain\n");
        Files.createDirectories(src.resolve("dir with space"));
        Files.writeString(src.resolve("dir with space/file *?.txt"), "odd name\n");
        Files.setLastModifiedTime(src.resolve("plain.txt"), java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L));
        stock = Peer.STOCK.startDaemon(tmp.resolve("stockd"), modules("stock"));
        ours = Peer.JRSYNC.startDaemon(tmp.resolve("jrsyncd"), modules("jrsync"));
    }

    private static List<ModuleSpec> modules(String who) throws Exception {
        Path m = Files.createDirectories(tmp.resolve(who + "-mod"));
        Files.createDirectories(m.resolve("served dir"));
        Files.writeString(m.resolve("served dir/in module.txt"), "served\n");
        Path d = Files.createDirectories(tmp.resolve(who + "-nodelete"));
        Files.writeString(d.resolve("keep.txt"), "must survive\n");
        return List.of(ModuleSpec.of("m", m).writable(),
                ModuleSpec.of("d", d).writable().with("refuse options", "delete max-delete"));
    }

    @AfterAll
    static void stop() {
        if (ours != null) {
            ours.close();
        }
        if (stock != null) {
            stock.close();
        }
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {29, 30, 32})
    void pushAndPullWithSecludedArgsAsWithStock(int protocol) throws Exception {
        for (RsyncDaemon d : List.of(stock, ours)) {
            String who = d == stock ? "stock" : "jrsync";
            Proc.Result push = Peer.STOCK.client(List.of("-rts", "--protocol=" + protocol, src + "/",
                    d.url("m") + "pushed " + protocol + "/"), Map.of(), TIMEOUT);
            assertEquals(0, push.exitCode(), who + "\n" + push.describe());
            TreeAssert.assertSameTree(src, tmp.resolve(who + "-mod/pushed " + protocol));
            Path pulled = tmp.resolve(who + "-pulled-" + protocol);
            Proc.Result pull = Peer.STOCK.client(List.of("-rts", "--protocol=" + protocol,
                    d.url("m") + "served dir/", pulled + "/"), Map.of(), TIMEOUT);
            assertEquals(0, pull.exitCode(), who + "\n" + pull.describe());
            TreeAssert.assertSameTree(tmp.resolve(who + "-mod/served dir"), pulled);
        }
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {29, 30, 32})
    void optionsInTheSecludedListAreRefusedAsByStock(int protocol) throws Exception {
        List<String> delete = List.of("-rs", "--delete", "--protocol=" + protocol, src + "/");
        Proc.Result fromStock = Peer.STOCK.client(with(delete, stock.url("d")), Map.of(), TIMEOUT);
        Proc.Result fromOurs = Peer.STOCK.client(with(delete, ours.url("d")), Map.of(), TIMEOUT);
        String both = fromStock.describe() + "\n" + fromOurs.describe();
        assertTrue(fromStock.stderr().contains("The server is configured to refuse --delete"), both);
        assertEquals(fromStock.exitCode(), fromOurs.exitCode(), both);
        assertEquals(DaemonRefusalTest.normalize(fromStock.stderr()), DaemonRefusalTest.normalize(fromOurs.stderr()), both);
        assertTrue(Files.exists(tmp.resolve("jrsync-nodelete/keep.txt")));
        assertTrue(Files.notExists(tmp.resolve("jrsync-nodelete/plain.txt")));

        // jrsync implements no --max-delete: refused with its own reason where stock's module refuses it.
        List<String> maxDelete = List.of("-rs", "--max-delete=5", "--protocol=" + protocol, src + "/");
        Proc.Result stockRefuses = Peer.STOCK.client(with(maxDelete, stock.url("d")), Map.of(), TIMEOUT);
        Proc.Result oursRefuses = Peer.STOCK.client(with(maxDelete, ours.url("m") + "max-delete/"), Map.of(), TIMEOUT);
        both = stockRefuses.describe() + "\n" + oursRefuses.describe();
        assertEquals(stockRefuses.exitCode(), oursRefuses.exitCode(), both);
        assertEquals(DaemonRefusalTest.normalize(stockRefuses.stderr()).replace(
                "The server is configured to refuse --max-delete", "jrsync does not support --max-delete yet"),
                DaemonRefusalTest.normalize(oursRefuses.stderr()), both);
        assertTrue(Files.notExists(tmp.resolve("jrsync-mod/max-delete")));
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {30, 32})
    void dotDotInTheSecludedListMeetsTheModuleEscapeCheck(int protocol) throws Exception {
        Files.writeString(tmp.resolve("outside.txt"), "outside\n");
        Path dst = tmp.resolve("escape-" + protocol);
        Proc.Result r = Peer.STOCK.client(List.of("-rs", "--protocol=" + protocol, ours.url("m") + "served dir/../../",
                dst + "/"), Map.of(), TIMEOUT);
        assertTrue(r.exitCode() != 0 && r.stderr().contains("escapes the module"), r.describe());
        assertTrue(Files.notExists(dst.resolve("outside.txt")), r.describe());
    }

    private static List<String> with(List<String> args, String url) {
        List<String> a = new ArrayList<>(args);
        a.add(url);
        return a;
    }
}
