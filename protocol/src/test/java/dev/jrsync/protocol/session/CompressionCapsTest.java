package dev.jrsync.protocol.session;

import dev.jrsync.protocol.handshake.TransferOptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The work a daemon's client can ask of its compressor is capped (CVE-2026-70455's bound). */
class CompressionCapsTest {
    static final SessionLog SILENT = new SessionLog() {
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

    @Test
    void aDaemonCapsCompressThreadsAClientKeepsItsOwn() {
        TransferOptions o = new TransferOptions();
        o.compressThreads = 256;
        Session session = new Session(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), o, true,
                SILENT);
        assertEquals(256, session.compressionThreads(), "a client keeps its operator's value");
        session.imposedBy(new DaemonPolicy("m", false, true, null));
        assertEquals(TransferOptions.DAEMON_MAX_COMPRESS_THREADS, session.compressionThreads());
        o.compressThreads = -3;
        assertEquals(0, session.compressionThreads());
    }
}
