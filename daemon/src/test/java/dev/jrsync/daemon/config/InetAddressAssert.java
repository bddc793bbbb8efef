package dev.jrsync.daemon.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class InetAddressAssert {
    private InetAddressAssert() {
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static void allowed(HostAccess a, String literal) {
        assertTrue(a.permits(ip(literal), null), literal + " should be allowed");
    }

    static void denied(HostAccess a, String literal) {
        assertFalse(a.permits(ip(literal), null), literal + " should be denied");
    }
}
