package dev.jrsync.daemon;

import dev.jrsync.protocol.delta.Signature;
import dev.jrsync.protocol.delta.SumHead;
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
import dev.jrsync.protocol.token.CompressedTokenWriter;
import dev.jrsync.protocol.token.CompressionType;
import dev.jrsync.protocol.token.TokenCodecs;
import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pushing client that gets as far as the file data and then sends a hostile compressed token
 * stream: truncated, a token past the block list, a bad flag byte, garbage inside a compressed
 * chunk, a decompression bomb. Each must end that session with a protocol error, leave neither
 * the file nor a temp file behind, and the same daemon must go on serving the next client.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileCompressedStreamTest {
    private static final String NAME = "victim.bin";
    private static final SessionLog QUIET = new SessionLog() {
        @Override
        public void info(String line) {
        }

        @Override
        public void warning(String line) {
        }

        @Override
        public void transferError(String line) {
        }

        @Override
        public void error(String line) {
        }

        @Override
        public void deleted(String name, boolean isDir) {
        }
    };

    @TempDir
    Path dir;
    private Path module;
    private Path logFile;
    private RsyncDaemon daemon;

    @BeforeEach
    void start() throws IOException {
        module = Files.createDirectories(dir.resolve("mod"));
        logFile = dir.resolve("rsyncd.log");
        daemon = TestDaemons.writableModule(dir, module, logFile, java.time.Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() throws IOException {
        daemon.close();
    }

    /** The token bytes the hostile client sends for a new file (no basis, so no block may be named). */
    private static byte[] hostileTokens(String kind, CompressionType type, int protocol) throws IOException {
        return switch (kind) {
            // Half of a real stream, then the client hangs up.
            case "truncated" -> {
                byte[] full = realStream(type, protocol, random(200_000));
                yield java.util.Arrays.copyOf(full, full.length / 2);
            }
            // TOKEN_LONG naming block 1000 of a file that has none, then END_FLAG.
            case "token-past-blocks" -> new byte[] {0x20, (byte) 0xe8, 0x03, 0, 0, 0};
            case "bad-flag" -> new byte[] {0x05, 0};
            // DEFLATED_DATA of 100 bytes that are not a valid compressed block for any of the codecs.
            case "garbage" -> {
                byte[] b = new byte[2 + 100];
                b[0] = 0x40;
                b[1] = 100;
                java.util.Arrays.fill(b, 2, b.length, (byte) 0xff);
                yield b;
            }
            // Chunks of a stream of zeros that inflate ~1000:1, then the client hangs up.
            case "bomb" -> bomb(type);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    private static byte[] realStream(CompressionType type, int protocol, byte[] literal) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CompressedTokenWriter w = TokenCodecs.writer(type, TokenCodecs.effectiveLevel(type,
                TokenCodecs.LEVEL_NOT_SPECIFIED).getAsInt(), new WireOutput(bytes), protocol);
        w.literal(literal, 0, literal.length);
        w.end();
        return bytes.toByteArray();
    }

    /** zlib: 64 MiB of zeros as raw deflate in 16383-byte chunks, without the END; others: their real stream. */
    private static byte[] bomb(CompressionType type) throws IOException {
        if (type != CompressionType.ZLIB && type != CompressionType.ZLIBX) {
            byte[] zeros = new byte[8 << 20];
            byte[] full = realStream(type, 32, zeros);
            return java.util.Arrays.copyOf(full, full.length - 1); // no END_FLAG: the client hangs up
        }
        Deflater d = new Deflater(9, true);
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 20];
        byte[] buf = new byte[1 << 16];
        for (int i = 0; i < 64; i++) {
            d.setInput(zeros);
            while (!d.needsInput()) {
                deflated.write(buf, 0, d.deflate(buf));
            }
        }
        int n;
        while ((n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) {
            deflated.write(buf, 0, n);
        }
        byte[] raw = deflated.toByteArray();
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        for (int off = 0; off < raw.length; off += 16383) {
            int len = Math.min(16383, raw.length - off);
            framed.write(0x40 | len >> 8);
            framed.write(len & 0xff);
            framed.write(raw, off, len);
        }
        return framed.toByteArray();
    }

    @ParameterizedTest(name = "{0} with {1} at protocol {2}")
    @CsvSource({
            "truncated, zlib, 32", "truncated, zstd, 32", "truncated, lz4, 31", "truncated, zlib, 29",
            "token-past-blocks, zlib, 32", "token-past-blocks, zlibx, 30", "token-past-blocks, zstd, 32",
            "token-past-blocks, lz4, 32", "token-past-blocks, zlib, 29",
            "bad-flag, zlib, 32", "bad-flag, zstd, 32", "bad-flag, lz4, 32", "bad-flag, zlibx, 28",
            "garbage, zlib, 32", "garbage, zlibx, 31", "garbage, zstd, 32", "garbage, lz4, 32", "garbage, zlib, 29",
            "bomb, zlib, 32", "bomb, zstd, 32"})
    void hostileTokensEndTheSessionAndTheDaemonServesOn(String kind, String algorithm, int protocol)
            throws Exception {
        CompressionType type = CompressionType.byName(algorithm).orElseThrow();
        byte[] tokens = hostileTokens(kind, type, protocol);
        long closedAfterMillis;
        try {
            closedAfterMillis = pushHostile(type, protocol, tokens);
        } catch (IOException e) {
            throw new AssertionError("the session ended before the file data; daemon log:\n"
                    + (Files.exists(logFile) ? Files.readString(logFile) : "(none)"), e);
        }
        assertTrue(closedAfterMillis < 30_000, "the daemon kept the hostile session open " + closedAfterMillis + " ms");

        try (Stream<Path> left = Files.list(module)) {
            List<String> names = left.map(p -> p.getFileName().toString()).toList();
            assertEquals(List.of(), names, "the module must hold neither the file nor a temp file");
        }
        assertStillServing();
        String expected = switch (kind) {
            case "token-past-blocks" -> "block index: 1000 \\(expected: 0 <= index < 0\\)";
            case "bad-flag" -> "token flag: 0x05 \\(expected: .*";
            case "garbage" -> "(inflate: |lz4 chunk of 100 bytes: |zstd: ).*";
            default -> null; // truncated, bomb: the client hung up, which the daemon logs its own way
        };
        if (expected != null) {
            waitForLog(java.util.regex.Pattern.compile("(?s).*\\] " + expected + "\n.*"));
        }
    }

    /** Pushes one regular file whose data is {@code tokens}; returns how long the daemon took to hang up. */
    private long pushHostile(CompressionType type, int protocol, byte[] tokens) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", daemon.port()), 5000);
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            TestDaemons.enterModule(in, out, protocol);
            TransferOptions o = new TransferOptions();
            o.protocol = protocol;
            o.compress = true;
            o.compressChoice = type.wireName();
            o.sender = true;
            Lines.writeArgs(out, ServerArgs.build(o, false, List.of("mod/")), protocol);

            Session session = new Session(in, out, o, false, QUIET);
            session.setup(protocol);
            WireOutput w = session.out();
            WireInput r = session.in();
            Compat.Result setup = session.setupResult();
            FlistOptions flist = new FlistOptions(protocol, setup.has(Compat.CF_VARINT_FLIST_FLAGS), false, false,
                    false, false, false, false, setup.has(Compat.CF_ID0_NAMES),
                    setup.has(Compat.CF_SAFE_FLIST) || protocol >= 31, 0, false, false);
            FileListWriter writer = new FileListWriter(w, flist, IdNames.system());
            writer.write(FileEntry.of(NAME, 0100644, 1 << 20, 1_700_000_000L));
            writer.end(0);
            w.flush();

            int ndx = r.readNdx();
            assertEquals(0, ndx, "the generator asks for the only file");
            int iflags = protocol >= 29 ? r.readShort() : 0;
            SumHead head = SumHead.read(r, protocol, session.profile().digestLength());
            Signature.read(r, head);
            w.writeNdx(ndx);
            if (protocol >= 29) {
                w.writeShort(iflags);
            }
            head.write(w, protocol);
            w.flush();
            long start = System.nanoTime();
            try {
                w.write(tokens);
                w.flush();
                s.shutdownOutput();
            } catch (IOException daemonHungUp) {
                // Expected for long hostile streams: the daemon stopped reading and closed.
            }
            byte[] buf = new byte[8192];
            try {
                while (in.read(buf) >= 0) {
                    // Drain what the daemon says until it closes.
                }
            } catch (IOException reset) {
                // A reset is a close too.
            }
            return (System.nanoTime() - start) / 1_000_000;
        }
    }

    private String waitForLog(java.util.regex.Pattern pattern) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String log = "";
        while (System.nanoTime() < deadline) {
            log = Files.exists(logFile) ? Files.readString(logFile) : "";
            if (pattern.matcher(log).matches()) {
                return log;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no log line about the bad stream:\n" + log);
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
