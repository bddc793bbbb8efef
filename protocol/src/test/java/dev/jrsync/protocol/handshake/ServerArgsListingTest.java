package dev.jrsync.protocol.handshake;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The listing and -d options on the server command line, both ways (options.c:server_options()). */
class ServerArgsListingTest {
    @Test
    void listingPullSendsDirsAndListOnly() throws RsyncException {
        TransferOptions o = new TransferOptions();
        o.dirs = true;
        o.listOnly = true;
        List<String> args = ServerArgs.build(o, true, List.of("mod/"));
        assertEquals(List.of("--server", "--sender", "-de.LfxCIvu", "--list-only", ".", "mod/"), args);
        TransferOptions parsed = ServerArgs.parse(args.subList(1, args.size()));
        assertTrue(parsed.dirs && parsed.listOnly && parsed.sender && !parsed.recursive);
    }

    @Test
    void dirsPushWithDeleteSendsNoR() throws RsyncException {
        TransferOptions o = new TransferOptions();
        o.dirs = true;
        o.delete = TransferOptions.DeleteMode.DEFAULT;
        List<String> args = ServerArgs.build(o, false, List.of("mod/"));
        assertTrue(args.contains("--no-r") && args.contains("--delete"), args.toString());
        assertFalse(ServerArgs.build(o, true, List.of("mod/")).contains("--no-r"));
        TransferOptions parsed = ServerArgs.parse(List.of("--server", "-dr", "--no-r", "--delete", ".", "mod/"));
        assertTrue(parsed.dirs && !parsed.recursive && parsed.deleting());
    }

    @Test
    void aReceivingServerAskedToListFailsClosed() {
        RsyncException e = assertThrows(RsyncException.class,
                () -> ServerArgs.parse(List.of("--server", "-d", "--list-only", ".", "mod/")));
        assertEquals(ExitCode.RERR_UNSUPPORTED, e.exitCode());
        assertEquals("jrsync does not support --list-only yet", e.getMessage());
    }
}
