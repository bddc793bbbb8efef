package dev.jrsync.interop;

import dev.jrsync.interop.support.ModuleSpec;
import dev.jrsync.interop.support.Peer;
import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.RsyncDaemon;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
 * A module's "refuse options": the refused option ends the transfer with exit 4 and stock's
 * "The server is configured to refuse --X" before anything is written, for stock and jrsync
 * clients alike, and what is not refused still works. Compared with a stock daemon in the same run.
 */
@Tag("legacy-peer")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RefuseOptionsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "refuse options = {0}; client options {1}")
    @CsvSource(delimiter = ';', value = {
            "delete compress; -r --delete; --delete",
            "delete compress; -r -z; --compress (-z)",
            "delete compress; -r --zc=lz4; --compress (-z)",
            "a; -a; --links (-l)",
            "del* !delete-during; -r --delete-during; --delete",
            "delete compress; -r; ''"})
    void refusedOptionsEndThePushLikeStock(String spec, String options, String refused) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("file.txt"), "data\n");
        Path stockDir = Files.createDirectories(tmp.resolve("stock-dst"));
        Path oursDir = Files.createDirectories(tmp.resolve("jrsync-dst"));
        Files.writeString(stockDir.resolve("keep.txt"), "must survive a refused --delete\n");
        Files.writeString(oursDir.resolve("keep.txt"), "must survive a refused --delete\n");
        try (RsyncDaemon stock = Peer.STOCK.startDaemon(tmp.resolve("stockd"),
                List.of(ModuleSpec.of("m", stockDir).writable().with("refuse options", spec)));
             RsyncDaemon ours = Peer.JRSYNC.startDaemon(tmp.resolve("jrsyncd"),
                     List.of(ModuleSpec.of("m", oursDir).writable().with("refuse options", spec)))) {
            for (Peer client : Peer.values()) {
                for (RsyncDaemon d : List.of(stock, ours)) {
                    Path dst = d == stock ? stockDir : oursDir;
                    List<String> args = new ArrayList<>(List.of(options.split(" ")));
                    args.addAll(List.of(src + "/", d.url("m")));
                    Proc.Result r = client.client(args, Map.of(), TIMEOUT);
                    String what = client + " client -> " + (d == stock ? "stock" : "jrsync") + " daemon\n"
                            + r.describe();
                    if (refused.isEmpty()) {
                        assertEquals(0, r.exitCode(), what);
                        assertTrue(Files.exists(dst.resolve("file.txt")), what);
                    } else {
                        assertEquals(4, r.exitCode(), what);
                        assertTrue(r.stderr().contains("The server is configured to refuse " + refused), what);
                        assertTrue(Files.notExists(dst.resolve("file.txt")), what);
                    }
                    assertTrue(Files.exists(dst.resolve("keep.txt")), what);
                }
            }
        }
    }
}
