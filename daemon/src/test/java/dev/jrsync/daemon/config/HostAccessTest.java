package dev.jrsync.daemon.config;

import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import static dev.jrsync.daemon.config.InetAddressAssert.allowed;
import static dev.jrsync.daemon.config.InetAddressAssert.denied;
import static dev.jrsync.daemon.config.InetAddressAssert.ip;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * hosts allow / hosts deny (rsyncd-and-security.md §A.3.3). "Oracle" cases were run against the installed stock
 * daemon (rsync 3.2.7 binary, access.c address logic unchanged in 3.5.0 apart from the deny-list DNS fail-closed
 * rule and pattern case folding), client 127.0.0.1:
 * {@code rsync --daemon --no-detach --config=r2.conf --address=127.0.0.1 --port=28943; rsync rsync://127.0.0.1:28943/hN/}.
 */
class HostAccessTest {
    private static final HostAccess.Resolver NO_DNS = name -> {
        throw new UnknownHostException(name);
    };

    private static HostAccess of(String allow, String deny) {
        return new HostAccess(allow, deny, true, NO_DNS);
    }

    @Test
    void noListsAllowEveryone() {
        allowed(of(null, null), "192.0.2.1");
        allowed(of("", " "), "2001:db8::1");
    }

    /** Oracle h1: "hosts allow = 127.1" admits 127.0.0.1 (inet_aton short form). */
    @Test
    void ipv4Literals() {
        HostAccess a = of("10.1.2.3 127.1", null);
        allowed(a, "10.1.2.3");
        allowed(a, "127.0.0.1");
        denied(a, "10.1.2.4");
        allowed(of("010.0.0.1", null), "8.0.0.1");
        denied(of("1.2.3.4.", null), "1.2.3.4");
    }

    /** Oracle h4 ("127.0.0.1/255.255.255.0" denied 127.0.0.1) and h5 ("/33": "malformed mask", no match). */
    @Test
    void cidrAndNetmask() {
        HostAccess a = of("192.168.1.0/24, 10.0.0.0/255.0.0.0", null);
        allowed(a, "192.168.1.77");
        allowed(a, "10.255.0.9");
        denied(a, "192.168.2.1");
        denied(of("127.0.0.1/33", null), "127.0.0.1");
        denied(of("127.0.0.1/", null), "127.0.0.1");
        denied(of("127.0.0.1/x", null), "127.0.0.1");
        allowed(of("192.168.1.200/26", null), "192.168.1.193");
        denied(of("192.168.1.200/26", null), "192.168.1.100");
        allowed(of("1.2.3.4/0", null), "203.0.113.5");
        denied(of("1.2.3.4/0", null), "2001:db8::1");
        allowed(of("::/0", null), "2001:db8::1");
        denied(of("::/0", null), "203.0.113.5");
    }

    @Test
    void ipv6() {
        HostAccess a = of("2001:db8::/32 ::1 fe80::/ffff:ffff:ffff:ffff::", null);
        allowed(a, "2001:db8:1::5");
        allowed(a, "::1");
        allowed(a, "fe80::1234");
        denied(a, "2001:db9::1");
        allowed(of("2001:DB8:0:0::7", null), "2001:db8::7");
        allowed(of("2001:db8::/ffff:ffff::", null), "2001:db8:5::1");
        denied(of("2001:db8::/ffff:ffff::", null), "2001:db9::1");
        denied(of("2001:db8::1:/64", null), "2001:db8::1");
    }

    /** v4-mapped peers are treated as IPv4; a v4-mapped token is IPv6 and so never matches them. */
    @Test
    void mappedAddresses() throws UnknownHostException {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        InetAddress peer = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertTrue(of("127.0.0.0/8", null).permits(peer, null));
        // Oracle h2: "hosts allow = ::ffff:127.0.0.1" denied the IPv4 client 127.0.0.1.
        assertFalse(of("::ffff:127.0.0.1", null).permits(peer, null));
        assertFalse(of("::ffff:127.0.0.1", null).permits(ip("127.0.0.1"), null));
    }

    /** Oracle h3: allow=10.0.0.0/8 + deny=* denied 127.0.0.1; §A.3.3: allow=127.0.0.0/8 + deny=* allowed. */
    @Test
    void combinationRules() {
        denied(of("10.0.0.0/8", "*"), "127.0.0.1");
        allowed(of("127.0.0.0/8", "*"), "127.0.0.1");
        denied(of("10.0.0.0/8", null), "127.0.0.1");
        allowed(of(null, "10.0.0.0/8"), "127.0.0.1");
        denied(of(null, "127.0.0.0/8"), "127.0.0.1");
        // A deny list only counts for hosts the allow list did not admit.
        allowed(of("127.0.0.1", "127.0.0.0/8"), "127.0.0.1");
        denied(of("127.0.0.2", "127.0.0.0/8"), "127.0.0.1");
    }

    /** Oracle h7: "hosts deny = *" with "reverse lookup = no" denies (the host is UNDETERMINED, which '*' matches). */
    @Test
    void hostnamePatterns() {
        HostAccess a = of("*.example.com", "*");
        assertTrue(a.permits(ip("198.51.100.1"), "www.Example.COM"));
        assertFalse(a.permits(ip("198.51.100.1"), "www.example.org"));
        assertFalse(a.permits(ip("198.51.100.1"), null));
        assertTrue(of("*.EXAMPLE.com", null).permits(ip("198.51.100.1"), "a.example.com"), "pattern is folded too");
        assertFalse(of("undetermined.example", null).permits(ip("198.51.100.1"), null));
        assertTrue(of("[a-c]ost", null).permits(ip("198.51.100.1"), "BOST"));
        assertFalse(of("@netgroup", null).permits(ip("198.51.100.1"), "netgroup"), "netgroups never match");
    }

    /** Oracle h6: "hosts deny = LOCALHOST" with reverse lookup off denied 127.0.0.1 via forward lookup. */
    @Test
    void forwardLookupOfPlainNames() throws UnknownHostException {
        Map<String, List<Inet4Address>> dns = Map.of("localhost",
                List.of((Inet4Address) InetAddress.getByName("127.0.0.1")));
        HostAccess.Resolver r = name -> {
            List<Inet4Address> v = dns.get(name);
            if (v == null) {
                throw new UnknownHostException(name);
            }
            return v;
        };
        assertFalse(new HostAccess(null, "LOCALHOST", true, r).permits(ip("127.0.0.1"), null));
        assertTrue(new HostAccess(null, "LOCALHOST", false, r).permits(ip("127.0.0.1"), null), "forward lookup = no");
        assertTrue(new HostAccess("localhost", null, true, r).permits(ip("127.0.0.1"), null));
        assertFalse(new HostAccess("localhost", null, true, r).permits(ip("127.0.0.2"), null));
        // 3.5.0: an unresolvable deny name fails closed; an unresolvable allow name is no match.
        assertFalse(new HostAccess(null, "no-such-host.invalid", true, r).permits(ip("127.0.0.1"), null));
        assertFalse(new HostAccess("no-such-host.invalid", null, true, r).permits(ip("127.0.0.1"), null));
        // Wildcards and address-like tokens are never resolved.
        assertTrue(new HostAccess(null, "*.invalid 10.0.0.300", true, r).permits(ip("127.0.0.1"), null));
    }
}
