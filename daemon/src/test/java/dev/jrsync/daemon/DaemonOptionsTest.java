package dev.jrsync.daemon;

import dev.jrsync.protocol.RsyncException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaemonOptionsTest {
    @Test
    void acceptsStocksSpellings() throws Exception {
        DaemonOptions o = DaemonOptions.parse(new String[] {"--daemon", "--config", "/x.conf", "--port", "1234",
                "--address=127.0.0.1", "--no-detach", "-M", "pid file=/p", "--dparam=port=9", "-Mlog file=/l",
                "--log-file=/log", "-4"});
        assertEquals(Path.of("/x.conf"), o.config());
        assertEquals(1234, o.port());
        assertEquals("127.0.0.1", o.address());
        assertFalse(o.detach());
        assertEquals(List.of("pid file=/p", "port=9", "log file=/l"), o.dparams());
        assertEquals(Path.of("/log"), o.logFile());
        assertEquals(DaemonOptions.Family.INET4, o.family());
        assertFalse(o.help());
    }

    @Test
    void defaults() throws Exception {
        DaemonOptions o = DaemonOptions.parse(new String[] {"--daemon"});
        assertEquals(DaemonOptions.DEFAULT_CONFIG, o.config());
        assertEquals(-1, o.port());
        assertNull(o.address());
        assertTrue(o.detach());
        assertTrue(DaemonOptions.parse(new String[] {"--daemon", "--no-detach", "--detach"}).detach());
        assertTrue(DaemonOptions.parse(new String[] {"--daemon", "-h"}).help());
        assertTrue(DaemonOptions.parse(new String[] {"--help", "--daemon"}).help());
    }

    @Test
    void refusesWhatItDoesNotImplementAndWhatStockDoesNotKnow() {
        for (String bad : List.of("--bwlimit=1", "--sockopts=x", "--log-file-format=%f", "-v", "--verbose",
                "--temp-dir=/t", "--protocol=30")) {
            RsyncException e = assertThrows(RsyncException.class, () -> DaemonOptions.parse(new String[] {"--daemon", bad}));
            assertEquals(1, e.exitCode());
            assertTrue(e.getMessage().contains("not supported by the jrsync daemon yet"), e.getMessage());
        }
        for (String bad : List.of("--foo", "-z", "--port=x", "--port=70000", "-M", "--dparam=noequals", "path")) {
            RsyncException e = assertThrows(RsyncException.class, () -> DaemonOptions.parse(new String[] {"--daemon", bad}));
            assertEquals(1, e.exitCode(), bad);
            assertTrue(e.getMessage().endsWith("(Type \"rsync --daemon --help\" for assistance with daemon mode.)"));
        }
        assertEquals("rsync: --foo: unknown option (in daemon mode)",
                assertThrows(RsyncException.class, () -> DaemonOptions.parse(new String[] {"--daemon", "--foo"}))
                        .getMessage().lines().findFirst().orElseThrow());
    }

    @Test
    void usageListsEveryAcceptedOption() {
        String u = DaemonOptions.usageText();
        assertTrue(u.contains("Usage: rsync --daemon [OPTION]..."));
        for (String opt : List.of("--address=", "--config=", "--dparam=", "--no-detach", "--port=", "--log-file=",
                "--ipv4, -4", "--ipv6, -6", "--help, -h")) {
            assertTrue(u.contains("\n" + opt), opt);
        }
    }

    @Test
    void bindAddressFollowsTheFamily() throws Exception {
        assertNull(RsyncDaemon.bindAddress(null, DaemonOptions.Family.ANY));
        assertEquals("0.0.0.0", RsyncDaemon.bindAddress(null, DaemonOptions.Family.INET4).getHostAddress());
        assertTrue(RsyncDaemon.bindAddress(null, DaemonOptions.Family.INET6) instanceof java.net.Inet6Address);
        assertEquals("127.0.0.1", RsyncDaemon.bindAddress("127.0.0.1", DaemonOptions.Family.ANY).getHostAddress());
    }
}
