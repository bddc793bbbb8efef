package dev.jrsync.transport;

import org.junit.jupiter.api.Test;

import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SocketOptionsTest {

    @Test
    void setsKnownOptionsAndReportsLikeStock() throws Exception {
        List<String> errors = new ArrayList<>();
        try (SocketChannel ch = SocketChannel.open()) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, false);
            SocketOptions.parse("SO_KEEPALIVE, TCP_NODELAY\tSO_SNDBUF=65536,SO_RCVBUF=32768,FOO,IPTOS_LOWDELAY=3")
                    .apply(ch, errors::add);
            assertTrue(ch.getOption(StandardSocketOptions.SO_KEEPALIVE));
            assertTrue(ch.getOption(StandardSocketOptions.TCP_NODELAY));
            // Linux doubles what it is given.
            assertTrue(ch.getOption(StandardSocketOptions.SO_SNDBUF) >= 65536);
            assertTrue(ch.getOption(StandardSocketOptions.SO_RCVBUF) >= 32768);
            assertEquals(0x10, ch.getOption(StandardSocketOptions.IP_TOS));
            assertEquals(List.of("Unknown socket option FOO", "syntax error -- IPTOS_LOWDELAY does not take a value"),
                    errors);
        }
    }

    @Test
    void boolValuesFollowAtoi() throws Exception {
        try (SocketChannel ch = SocketChannel.open()) {
            ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            SocketOptions.parse("SO_KEEPALIVE=0,TCP_NODELAY=x").apply(ch, null);
            assertFalse(ch.getOption(StandardSocketOptions.SO_KEEPALIVE));
            assertFalse(ch.getOption(StandardSocketOptions.TCP_NODELAY), "atoi(\"x\") is 0");
        }
        assertEquals(12, SocketOptions.atoi(" 12abc"));
        assertEquals(-3, SocketOptions.atoi("-3"));
        assertEquals(0, SocketOptions.atoi(""));
    }

    @Test
    void nothingGivenIsNothing() {
        assertTrue(SocketOptions.parse(null).isEmpty());
        assertTrue(SocketOptions.parse("").isEmpty());
        assertTrue(SocketOptions.parse(" ,").isEmpty());
        assertFalse(SocketOptions.parse("BOGUS").isEmpty());
    }
}
