package dev.jrsync.transport;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxyConnectTest {
    private final List<String> errors = new ArrayList<>();

    private ProxyConnect.Spec spec(String value) {
        return ProxyConnect.Spec.parse(value, errors::add).orElseThrow();
    }

    @Test
    void specifications() {
        assertEquals(new ProxyConnect.Spec("proxy", "3128", null, null), spec("proxy:3128"));
        assertEquals(new ProxyConnect.Spec("proxy", "3128", "bob", "s3cr@t:x"), spec("bob:s3cr@t:x@proxy:3128"));
        assertEquals(Optional.empty(), ProxyConnect.Spec.parse("proxy", errors::add));
        assertEquals(Optional.empty(), ProxyConnect.Spec.parse("bob@proxy:1", errors::add));
        assertEquals(List.of("invalid proxy specification: should be HOST:PORT",
                "invalid proxy specification: should be USER:PASS@HOST:PORT"), errors);
    }

    private record Exchange(boolean ok, String request, int unread) {
    }

    private Exchange run(String reply, ProxyConnect.Spec spec, String host) {
        ByteArrayInputStream in = new ByteArrayInputStream(reply.getBytes(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean ok = ProxyConnect.establish(in, out, host, 873, spec, errors::add);
        return new Exchange(ok, out.toString(StandardCharsets.ISO_8859_1), in.available());
    }

    @Test
    void acceptsTwoHundredAndLeavesTheGreetingUnread() {
        Exchange e = run("HTTP/1.1 200 Connection established\r\nVia: test\r\n\r\n@RSYNCD: 32.0\n",
                spec("p:1"), "daemon.example");
        assertTrue(e.ok(), errors.toString());
        assertEquals("CONNECT daemon.example:873 HTTP/1.0\r\n\r\n", e.request());
        assertEquals("@RSYNCD: 32.0\n".length(), e.unread(), "only the proxy's header may be consumed");
        assertTrue(run("HTTP/1.0 204\n\n", spec("p:1"), "h").ok(), "any 2xx; bare LF lines");
        assertEquals(List.of(), errors);
    }

    @Test
    void sendsBasicAuthentication() {
        Exchange e = run("HTTP/1.0 200 OK\r\n\r\n", spec("bob:s3cr@t@p:1"), "h.example");
        assertTrue(e.ok());
        // What stock 3.5.0 sends for the same RSYNC_PROXY (captured from its request).
        assertEquals("CONNECT h.example:873 HTTP/1.0\r\nProxy-Authorization: Basic Ym9iOnMzY3JAdA==\r\n\r\n",
                e.request());
    }

    @Test
    void refusalsAreReportedAsStockReportsThem() {
        assertFalse(run("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n", spec("p:1"), "h").ok());
        assertFalse(run("@RSYNCD: 32.0 sha512\n", spec("p:1"), "h").ok());
        assertFalse(run("HTTP/1.0 200 OK\r\nX: y\r\n", spec("p:1"), "h").ok());
        assertFalse(run("", spec("p:1"), "h").ok());
        assertFalse(run("HTTP/1.0 " + "x".repeat(2000), spec("p:1"), "h").ok());
        assertFalse(run("HTTP/1.0 200 OK\r\n" + "x".repeat(2000), spec("p:1"), "h").ok());
        assertFalse(run("HTTP/1.0 200 OK\r\n\r\n", spec("p:1"), "h\r\nX: injected").ok());
        assertEquals(List.of(
                "bad response from proxy -- HTTP/1.1 407 Proxy Authentication Required",
                "bad response from proxy -- @RSYNCD: 32.0 sha512",
                "rsync: failed to read from proxy: Operation now in progress (115)",
                "rsync: failed to read from proxy: Operation now in progress (115)",
                "proxy response line too long",
                "proxy response header line too long",
                "invalid control character in proxy CONNECT host"), errors);
    }

    @Test
    void oversizedRequests() {
        assertFalse(run("", spec("u:" + "p".repeat(800) + "@p:1"), "h").ok());
        assertFalse(run("", spec("p:1"), "h".repeat(1100)).ok());
        assertEquals(List.of("authentication information is too long", "proxy CONNECT request too long"), errors);
    }
}
