package dev.jrsync.daemon;

import dev.jrsync.daemon.config.RsyncdConf;

import dev.jrsync.protocol.handshake.Greeting;
import dev.jrsync.protocol.handshake.Lines;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;

/** In-process daemons for the hostile-client tests: one writable module "mod", on 127.0.0.1 and an ephemeral port. */
final class TestDaemons {
    private TestDaemons() {
    }

    /**
     * A daemon serving {@code module} as the read-write module "mod" (comment "test module", unchrooted), with its
     * configuration file named in {@code dir} and, unless null, a log file.
     */
    static RsyncDaemon writableModule(Path dir, Path module, Path logFile, Duration handshakeDeadline)
            throws IOException {
        String conf = "use chroot = no\n"
                + (logFile == null ? "" : "log file = " + logFile + "\n")
                + "[mod]\n    path = " + module + "\n    read only = no\n    comment = test module\n";
        return RsyncDaemon.start(RsyncdConf.parse(conf, dir.resolve("rsyncd.conf")), "127.0.0.1", 0, handshakeDeadline);
    }

    /** The client's text phase up to "@RSYNCD: OK" for module "mod" at {@code protocol}; fails on any @ERROR. */
    static void enterModule(InputStream in, OutputStream out, int protocol) throws IOException {
        Lines.write(out, Greeting.ours(protocol).format().stripTrailing());
        String greeting = Lines.read(in, Lines.MAX_LINE);
        if (greeting == null || !greeting.startsWith("@RSYNCD: ")) {
            throw new AssertionError("no greeting: " + greeting);
        }
        Lines.write(out, "mod");
        String line;
        while ((line = Lines.read(in, Lines.MAX_LINE)) != null && !line.equals("@RSYNCD: OK")) {
            if (line.startsWith("@ERROR")) {
                throw new AssertionError(line);
            }
        }
    }
}
