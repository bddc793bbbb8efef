package dev.jrsync.protocol.handshake;

import dev.jrsync.protocol.RsyncException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --bwlimit in the server arguments: sent whenever set (options.c:server_options()), parsed by a daemon. */
class ServerArgsBwLimitTest {

    @Test
    void sentInKibPerSecondInBothDirections() throws RsyncException {
        TransferOptions o = new TransferOptions();
        o.bwlimit = 2000;
        for (boolean serverSends : new boolean[] {true, false}) {
            List<String> args = ServerArgs.build(o, serverSends, List.of("mod/"));
            assertTrue(args.contains("--bwlimit=2000"), args.toString());
            assertEquals(2000, ServerArgs.parse(args.subList(1, args.size())).bwlimit);
        }
        o.bwlimit = 0;
        assertFalse(ServerArgs.build(o, true, List.of("mod/")).stream().anyMatch(a -> a.startsWith("--bwlimit")));
    }

    @Test
    void parsedWithRsyncSizeSuffixes() throws RsyncException {
        assertEquals(1024, ServerArgs.parse(List.of("--server", "--bwlimit=1m", ".", "mod/")).bwlimit);
        assertEquals(0, ServerArgs.parse(List.of("--server", "--bwlimit=5", "--no-bwlimit", ".", "mod/")).bwlimit);
        RsyncException e = assertThrows(RsyncException.class,
                () -> ServerArgs.parse(List.of("--server", "--bwlimit=x", ".", "mod/")));
        assertEquals(1, e.exitCode());
        assertEquals("--bwlimit=x is invalid", e.getMessage());
    }
}
