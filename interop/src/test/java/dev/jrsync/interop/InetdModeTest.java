package dev.jrsync.interop;

import dev.jrsync.interop.support.Jrsync;
import dev.jrsync.interop.support.ModuleSpec;
import dev.jrsync.interop.support.Ports;
import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.RsyncdConf;
import dev.jrsync.interop.support.StockRsync;
import dev.jrsync.interop.support.TestTree;
import dev.jrsync.interop.support.TreeAssert;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inetd mode: {@code --daemon} with a socket on stdin serves that one connection on stdin/stdout and exits, and
 * never opens a listener. Run as stock's client runs it (RSYNC_CONNECT_PROG, a loopback TCP socketpair), and with
 * a socket an external acceptor hands over (TCP and AF_UNIX, via python3), each time against stock's daemon run
 * the same way.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class InetdModeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Accepts one TCP connection (or makes an AF_UNIX pair) and runs the daemon with it as stdin and stdout. */
    private static final String HANDOVER = """
            import socket, subprocess, sys
            mode, cmd = sys.argv[1], sys.argv[2:]
            if mode == "tcp":
                l = socket.socket()
                l.bind(("127.0.0.1", 0))
                l.listen(1)
                print(l.getsockname()[1], flush=True)
                l.settimeout(60)
                c, _ = l.accept()
                l.close()
            else:
                mine, c = socket.socketpair(socket.AF_UNIX)
            p = subprocess.Popen(cmd, stdin=c, stdout=c, stderr=subprocess.DEVNULL)
            c.close()
            print(p.pid, flush=True)
            if mode == "unix":
                mine.sendall(b"@RSYNCD: 32.0 sha512\\n\\n")
                data = b""
                mine.settimeout(60)
                while True:
                    try:
                        d = mine.recv(65536)
                    except ConnectionResetError:
                        data += b"<reset>\\n"
                        break
                    if not d:
                        break
                    data += d
                sys.stdout.write(data.decode())
            print("exit", p.wait(60), flush=True)
            """;

    @TempDir
    Path tmp;

    private record Daemon(String tag, Path conf, Path module, int port, List<String> command) {
    }

    /** A config whose "port" is a free port nobody may open: inetd mode must leave it free. */
    private Daemon daemon(String tag, boolean ours) throws IOException {
        Path module = Files.createDirectories(tmp.resolve(tag + "-module"));
        Path conf = tmp.resolve(tag + ".conf");
        int port = Ports.free();
        RsyncdConf.write(conf, Map.of("port", Integer.toString(port), "log file", tmp.resolve(tag + ".log").toString(),
                "pid file", tmp.resolve(tag + ".pid").toString()), List.of(ModuleSpec.of("m", module).writable()));
        List<String> args = List.of("--daemon", "--config=" + conf);
        List<String> command = ours ? Jrsync.command(args)
                : Stream.concat(Stream.of(StockRsync.binary().toString()), args.stream()).toList();
        return new Daemon(tag, conf, module, port, command);
    }

    private static Proc.Result stockClient(Daemon d, List<String> args) throws Exception {
        return StockRsync.client(args, Map.of("RSYNC_CONNECT_PROG", Proc.quote(d.command())), TIMEOUT);
    }

    @Test
    @Tag("legacy-peer")
    void stockClientThroughConnectProgMatchesStockDaemon() throws Exception {
        Path src = TestTree.compact(tmp.resolve("src"));
        Map<String, Proc.Result> first = null;
        for (boolean ours : new boolean[] {false, true}) {
            Daemon d = daemon(ours ? "jrsync" : "stock", ours);
            Map<String, Proc.Result> results = new java.util.LinkedHashMap<>();
            results.put("push", stockClient(d, List.of("-a", src + "/", "rsync://localhost/m/")));
            results.put("list", stockClient(d, List.of("rsync://localhost/")));
            Path pulled = tmp.resolve(d.tag() + "-pulled");
            results.put("pull", stockClient(d, List.of("-a", "rsync://localhost/m/", pulled + "/")));
            results.put("unknown", stockClient(d, List.of("-a", "rsync://localhost/nosuch/", tmp + "/never/")));
            assertEquals(0, results.get("push").exitCode(), results.get("push").describe());
            assertEquals(0, results.get("pull").exitCode(), results.get("pull").describe());
            assertEquals(5, results.get("unknown").exitCode(), results.get("unknown").describe());
            // (Both daemons strip the leading slash of absolute symlinks: no chroot, so "munge symlinks" is off
            // and links are sanitized.)
            TreeAssert.assertSameTree(d.module(), pulled);
            if (ours) {
                TreeAssert.assertSameTree(tmp.resolve("stock-module"), d.module());
            }
            assertFalse(Ports.accepts(d.port()), d.tag() + " opened its configured port " + d.port());
            assertFalse(Files.exists(tmp.resolve(d.tag() + ".pid")), d.tag() + " wrote a pid file in inetd mode");
            assertTrue(Files.readString(tmp.resolve(d.tag() + ".log")).contains("module-list request from"),
                    d.tag() + " did not log to its config's log file");
            if (first == null) {
                first = results;
            } else {
                for (String op : results.keySet()) {
                    assertEquals(first.get(op).exitCode(), results.get(op).exitCode(), op + "\n"
                            + results.get(op).describe());
                    assertEquals(first.get(op).stdout(), results.get(op).stdout(), op);
                    assertEquals(first.get(op).stderr(), results.get(op).stderr(), op);
                }
            }
        }
    }

    @Test
    void acceptedTcpSocketOnStdinIsServedWithoutAListener() throws Exception {
        assumePython();
        Path src = TestTree.compact(tmp.resolve("src"));
        String[] listing = new String[2];
        int[] exits = new int[2];
        for (int i = 0; i < 2; i++) {
            boolean ours = i == 1;
            Daemon d = daemon(ours ? "jrsync" : "stock", ours);
            Files.walk(src).filter(Files::isRegularFile).forEach(f -> copy(src, f, d.module()));
            // One connection by hand, checking for listeners while the daemon is alive mid-handshake.
            try (Handover h = Handover.start(tmp, "tcp", d.command());
                 Socket s = new Socket()) {
                s.connect(new InetSocketAddress(Ports.loopback(), h.port), 10_000);
                s.setSoTimeout(60_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.UTF_8));
                String greeting = in.readLine();
                assertTrue(greeting != null && greeting.startsWith("@RSYNCD: "), d.tag() + ": " + greeting);
                long daemonPid = Long.parseLong(h.line());
                Set<Long> sockets = socketInodes(daemonPid);
                assertFalse(sockets.isEmpty(), d.tag() + ": the daemon holds no socket? pid " + daemonPid);
                Set<Long> listening = listeningInodes();
                listening.retainAll(sockets);
                assertEquals(Set.of(), listening, d.tag() + " listens on a socket in inetd mode");
                OutputStream out = s.getOutputStream();
                out.write("@RSYNCD: 32.0 sha512\n\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                StringBuilder sb = new StringBuilder();
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                    sb.append(l).append('\n');
                }
                listing[i] = sb.toString();
                String exit = h.line();
                exits[i] = Integer.parseInt(exit.substring("exit ".length()));
            }
            assertFalse(Ports.accepts(d.port()), d.tag() + " opened its configured port");
            // A real pull by the stock client through a handed-over TCP socket.
            Path pulled = tmp.resolve(d.tag() + "-pulled");
            try (Handover h = Handover.start(tmp, "tcp", d.command())) {
                StockRsync.client(List.of("-a", "rsync://127.0.0.1:" + h.port + "/m/", pulled + "/"), Map.of(),
                        TIMEOUT).expectSuccess();
            }
            TreeAssert.assertSameTree(d.module(), pulled);
        }
        assertEquals(listing[0], listing[1]);
        assertTrue(listing[0].endsWith("@RSYNCD: EXIT\n"), listing[0]);
        // Stock's start_daemon() returns -1 after a listing: the inetd process exits 255.
        assertEquals(255, exits[0]);
        assertEquals(exits[0], exits[1]);
    }

    @Test
    void unixSocketOnStdinIsServed() throws Exception {
        assumePython();
        List<String> outputs = new ArrayList<>();
        for (boolean ours : new boolean[] {false, true}) {
            Daemon d = daemon(ours ? "jrsync" : "stock", ours);
            Path script = writeScript(tmp);
            Proc.Result r = Proc.run(Stream.concat(Stream.of("python3", script.toString(), "unix"),
                    d.command().stream()).toList(), StockRsync.defaultEnv(), tmp, TIMEOUT).expectSuccess();
            // Drop the daemon's pid (first line); keep the listing and the exit status.
            outputs.add(r.stdout().substring(r.stdout().indexOf('\n') + 1));
            assertFalse(Ports.accepts(d.port()), d.tag() + " opened its configured port");
        }
        assertTrue(outputs.get(0).contains("@RSYNCD: EXIT\nexit 255\n"), outputs.get(0));
        assertEquals(outputs.get(0), outputs.get(1));
    }

    private static void copy(Path src, Path file, Path dst) {
        try {
            Path target = dst.resolve(src.relativize(file).toString());
            Files.createDirectories(target.getParent());
            Files.copy(file, target);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assumePython() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is needed to hand over a socket");
    }

    private static Path writeScript(Path dir) throws IOException {
        Path script = dir.resolve("handover.py");
        if (!Files.exists(script)) {
            Files.writeString(script, HANDOVER);
        }
        return script;
    }

    /** The python3 acceptor: its first stdout line is the port (tcp), the next the daemon's pid, then "exit N". */
    private static final class Handover implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        final int port;

        private Handover(Process process) throws IOException {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.port = Integer.parseInt(line());
        }

        static Handover start(Path dir, String mode, List<String> daemon) throws IOException {
            List<String> cmd = new ArrayList<>(List.of("python3", writeScript(dir).toString(), mode));
            cmd.addAll(daemon);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(StockRsync.defaultEnv());
            return new Handover(pb.start());
        }

        String line() throws IOException {
            String l = out.readLine();
            if (l == null) {
                throw new AssertionError("handover script ended early");
            }
            return l;
        }

        @Override
        public void close() throws InterruptedException {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                Proc.destroyTree(process.toHandle(), Duration.ofSeconds(1));
            }
        }
    }

    /** Inodes of the sockets open in {@code pid} and its descendants. */
    private static Set<Long> socketInodes(long pid) throws IOException {
        Set<Long> inodes = new HashSet<>();
        List<ProcessHandle> all = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(h -> {
            all.add(h);
            all.addAll(h.descendants().toList());
        });
        for (ProcessHandle h : all) {
            Path fds = Path.of("/proc", Long.toString(h.pid()), "fd");
            try (Stream<Path> s = Files.list(fds)) {
                for (Path fd : s.toList()) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                        }
                    } catch (IOException ignored) {
                        // Closed meanwhile.
                    }
                }
            }
        }
        return inodes;
    }

    /** Inodes of every TCP socket in LISTEN state (/proc/net/tcp and tcp6). */
    private static Set<Long> listeningInodes() throws IOException {
        Set<Long> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            List<String> lines = Files.readAllLines(p);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals("0A")) {
                    inodes.add(Long.parseLong(f[9]));
                }
            }
        }
        return inodes;
    }
}
