package dev.jrsync.interop;

import dev.jrsync.interop.support.Jrsync;
import dev.jrsync.interop.support.ModuleSpec;
import dev.jrsync.interop.support.Ports;
import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.RsyncdConf;
import dev.jrsync.interop.support.StockRsync;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Daemon start-up and stop, jrsync against stock run the same way in the same test: a taken port, a missing
 * config, a pid file that cannot be written, a module path that does not exist, SIGTERM, and the daemon's
 * --help and refused options. Stock writes its start-up errors to its log (syslog when none is set), so stock
 * runs here with {@code --log-file=/dev/stderr} and jrsync must print the same lines on stderr, detached or not.
 * Stock's detaching parent exits 0 before its child binds; jrsync's waits and reports (the one deliberate
 * difference, asserted as such).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DaemonStartupTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private static List<String> stock(String... args) {
        List<String> cmd = new ArrayList<>(List.of(StockRsync.binary().toString(), "--daemon"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static List<String> jrsync(String... args) {
        List<String> a = new ArrayList<>(List.of("--daemon"));
        a.addAll(List.of(args));
        return Jrsync.command(a);
    }

    private Proc.Result run(List<String> command) throws IOException, InterruptedException {
        return Proc.run(command, StockRsync.defaultEnv(), tmp, TIMEOUT);
    }

    /**
     * Distinct log lines without their "YYYY/MM/DD HH:MM:SS [pid] " prefix, minus the "rsync error:" trailer
     * (stock writes some messages both to stderr and to the log, which is stderr here).
     */
    private static List<String> logLines(String text) {
        List<String> lines = new ArrayList<>();
        for (String l : text.split("\n")) {
            String s = l.replaceFirst("^\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[\\d+\\] ", "");
            if (!s.isBlank() && !s.startsWith("rsync error:") && !s.startsWith("rsyncd version") && !lines.contains(s)) {
                lines.add(s);
            }
        }
        return lines;
    }

    private Path conf(String name, Map<String, String> global, Path modulePath) throws IOException {
        Path file = tmp.resolve(name);
        RsyncdConf.write(file, global, List.of(ModuleSpec.of("m", modulePath)));
        return file;
    }

    @Test
    void portInUseFailsWithStocksMessageAndExit10DetachedOrNot() throws Exception {
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(Ports.loopback(), 0));
            int port = taken.getLocalPort();
            Path pid = tmp.resolve("d.pid");
            Path conf = conf("rsyncd.conf", Map.of("pid file", pid.toString()), mod);
            String[] args = {"--config=" + conf, "--port=" + port, "--address=127.0.0.1"};

            Proc.Result stock = run(stock(concat(args, "--no-detach", "--log-file=/dev/stderr")));
            assertEquals(10, stock.exitCode(), stock.describe());
            List<String> expected = logLines(stock.stderr());
            assertTrue(expected.contains("unable to bind any inbound sockets on port " + port), stock.describe());

            Proc.Result fg = run(jrsync(concat(args, "--no-detach")));
            assertEquals(10, fg.exitCode(), fg.describe());
            assertEquals(expected, logLines(fg.stderr()), fg.describe());
            assertTrue(fg.stderr().contains("rsync error: error in socket IO (code 10)"), fg.describe());
            assertFalse(Files.exists(pid), "pid file left behind by a daemon that never listened");

            Proc.Result bg = run(jrsync(args));
            assertEquals(10, bg.exitCode(), bg.describe());
            assertEquals(expected, logLines(bg.stderr()), bg.describe());
            assertFalse(Files.exists(pid), "pid file left behind by a detached daemon that never listened");

            // Stock forks first, so its parent cannot know: it exits 0 (documented difference).
            Proc.Result stockBg = run(stock(args));
            assertEquals(0, stockBg.exitCode(), stockBg.describe());
            // Its detached child outlives the parent: let it fail while the port is still taken, then stop any
            // left by PID (once the port is free it would bind and serve on).
            reapDetached(conf);
        }
    }

    /** Waits (10 s at most) for every process started with {@code --config=conf} to end; kills the rest by PID. */
    private static void reapDetached(Path conf) throws InterruptedException {
        String arg = "--config=" + conf;
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<ProcessHandle> left = ProcessHandle.allProcesses()
                    .filter(p -> p.info().arguments().map(a -> List.of(a).contains(arg)).orElse(false)).toList();
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() > until) {
                left.forEach(ProcessHandle::destroyForcibly);
                return;
            }
            Thread.sleep(50);
        }
    }

    @Test
    void missingConfigFailsLikeStock() throws Exception {
        Path missing = tmp.resolve("nope.conf");
        for (String detach : new String[] {"--no-detach", "--detach"}) {
            Proc.Result stock = run(stock("--config=" + missing, detach, "--port=0"));
            Proc.Result ours = run(jrsync("--config=" + missing, detach, "--port=0"));
            assertEquals(1, stock.exitCode(), stock.describe());
            assertEquals(stock.exitCode(), ours.exitCode(), ours.describe());
            assertEquals("Failed to parse config file: " + missing, stock.stderr().strip(), stock.describe());
            assertEquals(stock.stderr().lines().findFirst(), ours.stderr().lines().findFirst(), ours.describe());
        }
    }

    @Test
    void pidFileThatCannotBeWrittenFailsWithExit11() throws Exception {
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        Path noDir = conf("nodir.conf", Map.of("pid file", tmp.resolve("no/such/dir/d.pid").toString()), mod);
        Path isDir = conf("isdir.conf", Map.of("pid file",
                Files.createDirectories(tmp.resolve("pid-is-a-dir")).toString()), mod);
        for (Path conf : List.of(noDir, isDir)) {
            int port = Ports.free();
            Proc.Result stock = run(stock("--config=" + conf, "--no-detach", "--port=" + port,
                    "--address=127.0.0.1", "--log-file=/dev/stderr"));
            assertEquals(11, stock.exitCode(), stock.describe());
            List<String> expected = logLines(stock.stderr());
            assertFalse(expected.isEmpty(), stock.describe());
            for (String detach : new String[] {"--no-detach", "--detach"}) {
                Proc.Result ours = run(jrsync("--config=" + conf, detach, "--port=" + port, "--address=127.0.0.1"));
                assertEquals(11, ours.exitCode(), ours.describe());
                assertEquals(expected, logLines(ours.stderr()), ours.describe());
                assertFalse(Ports.accepts(port), "a daemon without its pid file must not listen");
            }
        }
        assertTrue(Files.isDirectory(tmp.resolve("pid-is-a-dir")));
    }

    /**
     * Stock 3.5.0 says nothing at start about a module whose path does not exist (the module fails at connect
     * time); jrsync follows: it starts, lists the module, and SIGTERM then stops it with exit 0, removing its pid
     * file, as stock's --no-detach daemon does.
     */
    @Test
    void missingModulePathStartsAndSigtermStopsCleanlyWithExit0() throws Exception {
        Path missing = tmp.resolve("does-not-exist");
        for (boolean ours : new boolean[] {false, true}) {
            String tag = ours ? "jrsync" : "stock";
            Path pid = tmp.resolve(tag + ".pid");
            Path log = tmp.resolve(tag + ".log");
            Path conf = conf(tag + ".conf", Map.of("pid file", pid.toString(), "log file", log.toString()), missing);
            int port = Ports.free();
            String[] args = {"--config=" + conf, "--no-detach", "--port=" + port, "--address=127.0.0.1"};
            Proc.Running d = Proc.start(ours ? jrsync(args) : stock(args), StockRsync.defaultEnv(), tmp,
                    tmp.resolve(tag + ".out"), tmp.resolve(tag + ".err"));
            try {
                Ports.awaitListening(d.handle(), port, TIMEOUT, d::stderr);
                assertEquals("", d.stderr(), tag + " printed something at start");
                Proc.Result list = StockRsync.client(List.of("rsync://127.0.0.1:" + port + "/"), Map.of(), TIMEOUT)
                        .expectSuccess();
                assertTrue(list.stdout().startsWith("m"), list.describe());
                assertTrue(Files.exists(pid), tag + ": no pid file");
                assertTrue(d.handle().destroy(), "SIGTERM not sent");  // SIGTERM to this PID only
                assertTrue(d.handle().onExit().get(20, TimeUnit.SECONDS) != null);
                assertEquals(0, d.stop(Duration.ZERO), tag + " exit status after SIGTERM\n" + d.stderr());
                assertFalse(Files.exists(pid), tag + ": pid file left after SIGTERM");
                assertFalse(Ports.accepts(port), tag + ": still listening after SIGTERM");
            } finally {
                d.stop(Duration.ofSeconds(2));
            }
        }
    }

    /**
     * The detached daemon (the relaunched child) is listening when the parent returns, prints nothing on the
     * parent's terminal (with or without a log file), and stops on SIGTERM with its pid file removed.
     */
    @Test
    void detachedDaemonReportsReadyAndStopsOnSigterm() throws Exception {
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        for (boolean withLog : new boolean[] {true, false}) {
            Path pid = tmp.resolve("bg-" + withLog + ".pid");
            Path log = tmp.resolve("bg.log");
            Path conf = conf("bg-" + withLog + ".conf", withLog
                    ? Map.of("pid file", pid.toString(), "log file", log.toString())
                    : Map.of("pid file", pid.toString()), mod);
            int port = Ports.free();
            Proc.Result parent = run(jrsync("--config=" + conf, "--port=" + port, "--address=127.0.0.1"));
            assertEquals(0, parent.exitCode(), parent.describe());
            assertEquals("", parent.stderr(), parent.describe());
            assertEquals("", parent.stdout(), parent.describe());
            // Ready means ready: no waiting needed once the parent has returned.
            assertTrue(Files.exists(pid), "no pid file when the parent returned");
            long child = Long.parseLong(Files.readString(pid).strip());
            ProcessHandle h = ProcessHandle.of(child).orElseThrow(() -> new AssertionError("daemon " + child + " gone"));
            try {
                assertTrue(Ports.accepts(port), "not listening when the parent returned");
                StockRsync.client(List.of("rsync://127.0.0.1:" + port + "/"), Map.of(), TIMEOUT).expectSuccess();
                assertTrue(h.destroy());
                h.onExit().get(20, TimeUnit.SECONDS);
                assertFalse(Files.exists(pid), "pid file left after SIGTERM");
                assertFalse(Ports.accepts(port), "still listening after SIGTERM");
                if (withLog) {
                    assertTrue(Files.readString(log).contains("listening on port " + port), Files.readString(log));
                }
            } finally {
                h.destroyForcibly();
            }
        }
    }

    @Test
    void daemonHelpAndRefusedOptions() throws Exception {
        Proc.Result stock = run(stock("--help"));
        Proc.Result ours = run(jrsync("--help"));
        assertEquals(0, stock.exitCode(), stock.describe());
        assertEquals(0, ours.exitCode(), ours.describe());
        assertTrue(ours.stdout().contains("Usage: rsync --daemon [OPTION]..."), ours.describe());
        for (String line : stock.stdout().split("\n")) {
            for (String opt : List.of("--address=", "--config=", "--dparam=", "--no-detach", "--port=", "--log-file=",
                    "--ipv4", "--ipv6", "--help")) {
                if (line.startsWith(opt)) {
                    assertTrue(ours.stdout().contains(line + "\n"), "missing help line: " + line + "\n" + ours.stdout());
                }
            }
        }
        assertEquals(0, run(jrsync("-h")).exitCode());

        Proc.Result unknown = run(jrsync("--foo"));
        Proc.Result stockUnknown = run(stock("--foo"));
        assertEquals(1, stockUnknown.exitCode());
        assertEquals(1, unknown.exitCode(), unknown.describe());
        assertEquals(stockUnknown.stderr().lines().limit(2).toList(), unknown.stderr().lines().limit(2).toList());

        for (String refused : List.of("--bwlimit=100", "--sockopts=SO_KEEPALIVE", "--log-file-format=%f", "-v")) {
            Proc.Result r = run(jrsync(refused, "--config=" + tmp.resolve("never-read.conf")));
            assertEquals(1, r.exitCode(), r.describe());
            assertTrue(r.stderr().contains("not supported by the jrsync daemon yet"), r.describe());
        }
    }

    /** --dparam and --log-file override the config, as stock's do. */
    @Test
    void dparamAndLogFileOverrideTheConfig() throws Exception {
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        Path pid = tmp.resolve("o.pid");
        Path log = tmp.resolve("override.log");
        Path conf = conf("o.conf", Map.of(), mod);
        int port = Ports.free();
        Proc.Running d = Proc.start(jrsync("--config=" + conf, "--no-detach", "-M", "pid file=" + pid,
                "--dparam=port=" + port, "--address=127.0.0.1", "--log-file=" + log), StockRsync.defaultEnv(), tmp,
                tmp.resolve("o.out"), tmp.resolve("o.err"));
        try {
            Ports.awaitListening(d.handle(), port, TIMEOUT, d::stderr);
            assertTrue(Files.exists(pid), "-M pid file= ignored");
            // The starting line is logged just after the port is bound: wait for it, boundedly.
            long until = System.nanoTime() + TIMEOUT.toNanos();
            while (!(Files.exists(log) && Files.readString(log).contains("listening on port " + port))
                    && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertTrue(Files.readString(log).contains("listening on port " + port), "--log-file ignored");
        } finally {
            assertEquals(0, d.stop(Duration.ofSeconds(10)), d.stderr());
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
