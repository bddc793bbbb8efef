package dev.jrsync.interop.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PortsTest {

    @TempDir
    Path tmp;

    @Test
    void daemonThatLosesItsPortIsReportedAsTaken() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("mod"));
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(Ports.loopback(), 0));
            int port = squatter.getLocalPort();
            Path conf = tmp.resolve("rsyncd.conf");
            RsyncdConf.write(conf, java.util.Map.of("log file", tmp.resolve("log").toString()),
                    List.of(ModuleSpec.of("m", dir)));
            Proc.Running daemon = Proc.start(List.of(StockRsync.binary().toString(), "--daemon", "--no-detach",
                    "--config=" + conf, "--port=" + port, "--address=127.0.0.1"), StockRsync.defaultEnv(), tmp,
                    tmp.resolve("out"), tmp.resolve("err"));
            try {
                // Something accepts on the port, but it is not the daemon: that must not count as ready.
                assertThrows(Ports.PortTakenException.class, () -> Ports.awaitListening(daemon.handle(), port,
                        Duration.ofSeconds(20), () -> daemon.stderr() + read(tmp.resolve("log"))));
            } finally {
                daemon.stop(Duration.ofSeconds(5));
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void withRetryTriesAnotherPortAfterPortTaken() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        int port = Ports.withRetry(3, p -> {
            if (calls.incrementAndGet() == 1) {
                throw new Ports.PortTakenException(p, "simulated");
            }
            return p;
        });
        assertEquals(2, calls.get());
        assertTrue(port > 0 && port < 65536);
        AssertionError e = assertThrows(AssertionError.class,
                () -> Ports.withRetry(2, p -> { throw new Ports.PortTakenException(p, "always"); }));
        assertTrue(e.getMessage().contains("2 attempts"), e.getMessage());
    }

    @Test
    void stockDaemonStartsListensAndStopsByPid() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("mod"));
        long pid;
        int port;
        try (StockDaemon daemon = StockDaemon.start(tmp.resolve("state"), List.of(ModuleSpec.of("m", dir)))) {
            pid = daemon.pid();
            port = daemon.port();
            assertTrue(Ports.accepts(port));
            Proc.Result list = StockRsync.client(List.of("rsync://127.0.0.1:" + port + "/"), java.util.Map.of(),
                    Duration.ofSeconds(30)).expectSuccess();
            assertTrue(list.stdout().startsWith("m"), list.describe());
        }
        assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "daemon still alive after close");
        assertTrue(!Ports.accepts(port), "port still accepting after close");
    }
}
