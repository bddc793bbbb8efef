package dev.jrsync.daemon;

import dev.jrsync.daemon.config.RsyncdConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Like stock rsyncd, every connection sees the rsyncd.conf as it is now; a broken edit keeps the last good one. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigReloadTest {
    @TempDir
    Path dir;

    @Test
    void editedModulesApplyToTheNextConnection() throws Exception {
        Path conf = dir.resolve("rsyncd.conf");
        Path log = dir.resolve("rsyncd.log");
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        Files.writeString(conf, "log file = " + log + "\n[alpha]\n path = " + dir.resolve("a") + "\n");
        try (RsyncDaemon d = RsyncDaemon.start(conf, RsyncdConf.load(conf), "127.0.0.1", 0)) {
            String first = list(d.port());
            assertTrue(first.contains("alpha") && !first.contains("beta"), first);

            Files.writeString(conf, "log file = " + log + "\n[beta]\n path = " + dir.resolve("b") + "\n");
            String second = list(d.port());
            assertTrue(second.contains("beta") && !second.contains("alpha"), second);

            Files.writeString(conf, "log file = " + log + "\n[gamma\n path = nowhere\n");
            String third = list(d.port());
            assertTrue(third.contains("beta") && !third.contains("gamma"), third);
            String logged = Files.readString(log);
            assertTrue(logged.contains("failed to re-read " + conf), logged);

            Files.delete(conf);
            assertTrue(list(d.port()).contains("beta"), "a vanished file keeps the last good configuration");
        }
    }

    @Test
    void withoutAFileTheStartupConfigurationStays() throws Exception {
        Files.createDirectories(dir.resolve("a"));
        RsyncdConf conf = RsyncdConf.parse("[alpha]\n path = " + dir.resolve("a") + "\n", dir.resolve("x.conf"));
        try (RsyncDaemon d = RsyncDaemon.start(conf, "127.0.0.1", 0)) {
            assertTrue(list(d.port()).contains("alpha"));
            assertFalse(list(d.port()).contains("beta"));
        }
    }

    /** The module listing a protocol-32 client gets for an empty module name. */
    private static String list(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write("@RSYNCD: 32.0 md5\n\n".getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            in.transferTo(got);
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
