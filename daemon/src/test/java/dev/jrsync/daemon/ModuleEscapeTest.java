package dev.jrsync.daemon;

import dev.jrsync.protocol.flist.FileEntry;
import dev.jrsync.protocol.flist.FileListWriter;
import dev.jrsync.protocol.flist.FlistOptions;
import dev.jrsync.protocol.flist.IdNames;
import dev.jrsync.protocol.handshake.Compat;
import dev.jrsync.protocol.handshake.Greeting;
import dev.jrsync.protocol.handshake.Lines;
import dev.jrsync.protocol.handshake.ServerArgs;
import dev.jrsync.protocol.handshake.TransferOptions;
import dev.jrsync.protocol.session.Session;
import dev.jrsync.protocol.session.SessionLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module-escape check (ConnectionSession.stripModule): a hostile client that completes the
 * whole setup as a real client does (greeting, module, arguments, compat flags, checksum seed,
 * negotiation, multiplexing, its filter list or file list) but names ".." in its paths, pulling
 * ("mod/../x") and pushing into "mod/../x" or "mod/a/../../x". The daemon must refuse with the
 * module-escape message reaching the client, read and write nothing outside the module, and serve
 * the next client.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ModuleEscapeTest {
    private static final String SECRET = "precious outside data";

    @TempDir
    Path dir;
    private Path module;
    private RsyncDaemon daemon;

    @BeforeEach
    void start() throws IOException {
        module = Files.createDirectories(dir.resolve("mod"));
        Files.createDirectories(module.resolve("a"));
        Files.writeString(module.resolve("a/inside.txt"), "inside\n");
        Files.writeString(dir.resolve("outside.txt"), SECRET);
        Files.createDirectories(dir.resolve("outside-dir"));
        Files.writeString(dir.resolve("outside-dir/file.txt"), SECRET);
        daemon = TestDaemons.writableModule(dir, module, dir.resolve("rsyncd.log"), java.time.Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() throws IOException {
        daemon.close();
    }

    @ParameterizedTest(name = "{0} {1} at protocol {2}")
    @CsvSource({
            "pull, mod/../outside.txt, 32", "pull, mod/../outside-dir/, 32", "pull, mod/a/../../outside.txt, 32",
            "pull, mod/..,  30", "pull, mod/a/../../outside-dir, 29",
            "push, mod/../escaped/, 32", "push, mod/a/../../escaped/, 32", "push, mod/../outside-dir/, 31",
            "push, mod/a/../../escaped, 29"})
    void dotDotIsRefusedAfterAFullSetup(String direction, String path, int protocol) throws Exception {
        List<String> before = outsideTree();
        Exchange x = hostile(direction.equals("pull"), path, protocol);
        assertTrue(x.errors.stream().anyMatch(l -> l.contains("ERROR: path \"" + path + "\" escapes the module")),
                "the module-escape message must reach the client; it got " + x.errors + " / " + x.failure);
        assertFalse(new String(x.data, StandardCharsets.ISO_8859_1).contains(SECRET), "outside data was sent");
        assertFalse(new String(x.data, StandardCharsets.ISO_8859_1).contains("outside.txt"), "outside names were sent");
        assertEquals(before, outsideTree(), "nothing outside the module may change");
        assertTrue(Files.notExists(dir.resolve("escaped")));
        assertStillServing();
    }

    /**
     * The same through -s (secluded args), with a second -s inside the secluded list: it must not make the
     * daemon skip anything (CVE-2018-5764).
     */
    @ParameterizedTest(name = "{0} {1} at protocol {2}, secluded")
    @CsvSource({"pull, mod/../outside.txt, 32", "push, mod/a/../../escaped/, 30", "pull, mod/a/../../outside-dir, 29"})
    void dotDotInSecludedArgsIsRefusedToo(String direction, String path, int protocol) throws Exception {
        List<String> before = outsideTree();
        secluded = true;
        Exchange x = hostile(direction.equals("pull"), path, protocol);
        assertTrue(x.errors.stream().anyMatch(l -> l.contains("ERROR: path \"" + path + "\" escapes the module")),
                "the module-escape message must reach the client; it got " + x.errors + " / " + x.failure);
        assertFalse(new String(x.data, StandardCharsets.ISO_8859_1).contains(SECRET), "outside data was sent");
        assertEquals(before, outsideTree(), "nothing outside the module may change");
        assertStillServing();
    }

    private boolean secluded;

    private record Exchange(List<String> errors, byte[] data, Exception failure) {
    }

    /**
     * Plays a stock-like client with jrsync's own protocol classes up to the point where the daemon
     * must have looked at the paths, then reads whatever comes until the daemon ends the session.
     */
    private Exchange hostile(boolean pull, String path, int protocol) throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        SessionLog log = new SessionLog() {
            public void info(String line) {
            }

            public void warning(String line) {
            }

            public void transferError(String line) {
                errors.add(line);
            }

            public void error(String line) {
                errors.add(line);
            }

            public void deleted(String name, boolean isDir) {
            }
        };
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", daemon.port()), 5000);
            s.setSoTimeout(20_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            TestDaemons.enterModule(in, out, protocol);
            TransferOptions o = new TransferOptions();
            o.protocol = protocol;
            o.recursive = true;
            o.times = true;
            o.sender = !pull;
            List<String> args = ServerArgs.build(o, pull, List.of(path));
            if (secluded) {
                // As a stock client with -s: up to the option bundle (now with 's') in the first list, the rest
                // NUL-separated after a fake argv[0]; a hostile "-s" leads the secluded list.
                int bundle = 0;
                while (!(args.get(bundle).startsWith("-") && !args.get(bundle).startsWith("--"))) {
                    bundle++;
                }
                List<String> first = new java.util.ArrayList<>(args.subList(0, bundle));
                first.add("-s" + args.get(bundle).substring(1));
                List<String> second = new java.util.ArrayList<>(List.of("rsync", "-s"));
                second.addAll(args.subList(bundle + 1, args.size()));
                Lines.writeArgs(out, first, protocol);
                Lines.writeArgs(out, second, 30);
            } else {
                Lines.writeArgs(out, args, protocol);
            }
            Session session = new Session(in, out, o, false, log);
            session.setup(protocol);
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            Exception failure = null;
            try {
                if (pull) {
                    session.out().writeInt(0); // an empty filter list, as a pulling client sends
                } else {
                    Compat.Result setup = session.setupResult();
                    FlistOptions flist = new FlistOptions(protocol, setup.has(Compat.CF_VARINT_FLIST_FLAGS), false,
                            false, false, false, false, false, setup.has(Compat.CF_ID0_NAMES),
                            setup.has(Compat.CF_SAFE_FLIST) || protocol >= 31, 0, false, false);
                    FileListWriter writer = new FileListWriter(session.out(), flist, IdNames.system());
                    writer.write(FileEntry.of("pushed.txt", 0100644, 5, 1_700_000_000L));
                    writer.end(0);
                }
                session.out().flush();
                while (true) {
                    data.write(session.in().readByte());
                }
            } catch (IOException e) {
                failure = e; // the daemon ended the session (MSG_ERROR_EXIT or end of stream)
            }
            return new Exchange(errors, data.toByteArray(), failure);
        }
    }

    private List<String> outsideTree() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> !p.startsWith(module) && !p.getFileName().toString().equals("rsyncd.log"))
                    .map(p -> {
                        try {
                            return dir.relativize(p) + (Files.isRegularFile(p) ? "=" + Files.readString(p) : "/");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).sorted().toList();
        }
    }

    private void assertStillServing() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", daemon.port()), 5000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write("@RSYNCD: 32.0 md5\n\n".getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            s.shutdownOutput();
            String listing = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(listing.contains("mod            \ttest module") && listing.contains("@RSYNCD: EXIT"), listing);
        }
    }
}
