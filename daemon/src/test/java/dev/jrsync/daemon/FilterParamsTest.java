package dev.jrsync.daemon;

import dev.jrsync.daemon.config.RsyncdConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A module with exclude/filter rules jrsync cannot apply yet is not served at all (fail closed). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FilterParamsTest {
    @TempDir
    Path dir;

    @Test
    void modulesWithFilterRulesAreRefusedOthersServed() throws Exception {
        Files.createDirectories(dir.resolve("m"));
        String conf = """
                use chroot = no
                [hidden]
                    path = %1$s
                    exclude = .ssh/ *.key
                [inherits]
                    path = %1$s
                    filter = - secret
                [open]
                    path = %1$s
                """.formatted(dir.resolve("m"));
        try (RsyncDaemon d = RsyncDaemon.start(RsyncdConf.parse(conf, dir.resolve("rsyncd.conf")), "127.0.0.1", 0)) {
            String hidden = request(d.port(), "hidden");
            assertTrue(hidden.contains("@ERROR: module hidden uses exclude, which this jrsync daemon cannot apply yet"),
                    hidden);
            assertTrue(request(d.port(), "inherits").contains("@ERROR: module inherits uses filter"));
            String open = request(d.port(), "open");
            assertTrue(open.contains("@RSYNCD: OK"), open);
        }
    }

    private static String request(int port, String module) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5_000);
            s.getOutputStream().write(("@RSYNCD: 32.0 md5\n" + module + "\n").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = s.getInputStream().read(buf)) >= 0) {
                    got.write(buf, 0, n);
                    if (got.toString(StandardCharsets.ISO_8859_1).contains("OK\n")) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException e) {
                // The daemon waits for arguments after OK; what arrived is the answer.
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
