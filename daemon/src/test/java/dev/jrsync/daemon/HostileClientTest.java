package dev.jrsync.daemon;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Raw-socket clients that misbehave before and during the transfer: each must get a clean
 * error (or a closed connection), nothing may be written outside the module, and the daemon
 * must keep serving the next client.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileClientTest {
    @TempDir
    Path dir;
    private RsyncDaemon daemon;
    private Path module;

    @BeforeEach
    void start() throws IOException {
        module = Files.createDirectories(dir.resolve("mod"));
        Files.writeString(dir.resolve("outside.txt"), "precious");
        daemon = TestDaemons.writableModule(dir, module, null, java.time.Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() throws IOException {
        daemon.close();
    }

    @Test
    void garbageGreetingGetsProtocolStartupError() throws IOException {
        String reply = exchange("HELLO THERE\n");
        assertTrue(reply.contains("@ERROR: protocol startup error"), reply);
        assertStillServing();
    }

    @Test
    void greetingWithoutDigestListAtProtocol32IsRefused() throws IOException {
        String reply = exchange("@RSYNCD: 32.0\n");
        assertTrue(reply.contains("@ERROR: your client omitted the digest name list"), reply);
        assertStillServing();
    }

    @Test
    void oldProtocolIsRefusedClearly() throws IOException {
        String reply = exchange("@RSYNCD: 26\nmod\n");
        assertTrue(reply.contains("@ERROR: protocol version 26 is not supported"), reply);
        assertStillServing();
    }

    @Test
    void overlongLineIsCutOff() throws IOException {
        String reply = exchange("@RSYNCD: 32.0 md5\n" + "m".repeat(100_000) + "\n");
        assertFalse(reply.contains("@RSYNCD: OK"), reply);
        assertStillServing();
    }

    @Test
    void unknownModuleAndCommand() throws IOException {
        assertTrue(exchange("@RSYNCD: 32.0 md5\nnope\n").contains("@ERROR: Unknown module 'nope'"));
        assertTrue(exchange("@RSYNCD: 32.0 md5\n#bogus\n").contains("@ERROR: Unknown command '#bogus'"));
        assertStillServing();
    }

    // The module-escape check ("..") needs a client that completes setup: ModuleEscapeTest.

    @Test
    void truncatedBinaryPhaseDoesNotHangTheDaemon() throws IOException {
        // A pull request, then the connection drops in the middle of the checksum negotiation.
        String args = "--server\0--sender\0-logDtpre.LfxCIvu\0.\0mod/\0\0";
        exchange("@RSYNCD: 32.0 md5\nmod\n" + args + "\u0005xx");
        assertStillServing();
    }

    @Test
    void unsupportedOptionIsReportedNotIgnored() throws IOException {
        String args = "--server\0-logDtpHre.LfxCIvu\0.\0mod/\0\0";
        String reply = exchange("@RSYNCD: 32.0 md5\nmod\n" + args + "\u001exxh128 xxh3 xxh64 md5 md4 sha1");
        assertTrue(reply.contains("does not support -H"), reply);
        assertStillServing();
    }

    @Test
    void tricklingClientIsCutOffAtTheHandshakeDeadline() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", daemon.port()), 5000);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            long start = System.nanoTime();
            boolean closed = false;
            // One byte every 300 ms keeps every single read short, but never completes a line.
            for (int i = 0; i < 40 && !closed; i++) {
                try {
                    out.write('@');
                    out.flush();
                    Thread.sleep(300);
                } catch (IOException e) {
                    closed = true;
                }
            }
            if (!closed) {
                s.shutdownOutput();
            }
            InputStream in = s.getInputStream();
            try {
                while (in.read() >= 0) {
                    // the greeting, then EOF
                }
            } catch (IOException reset) {
                // closed by the daemon
            }
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(seconds < 8, "the daemon must close a trickling client at its 2 s deadline, took " + seconds + " s");
        }
        assertStillServing();
    }

    private void assertStillServing() throws IOException {
        String listing = exchange("@RSYNCD: 32.0 md5\n\n");
        assertTrue(listing.contains("mod            \ttest module"), listing);
        assertTrue(listing.contains("@RSYNCD: EXIT"), listing);
    }

    /** Sends bytes, half-closes, and returns everything the daemon wrote until it closed. */
    private String exchange(String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", daemon.port()), 5000);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            try {
                while ((n = in.read(buf)) >= 0) {
                    got.write(buf, 0, n);
                }
            } catch (IOException reset) {
                // A reset after the reply is fine: the daemon dropped a bad client.
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
