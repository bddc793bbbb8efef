package dev.jrsync.daemon.config;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A module's "hosts allow" / "hosts deny" decision. Mirrors access.c:allow_access() of rsync 3.5.0: an allow-list
 * match admits; an allow list without a deny list refuses everything else; a deny-list match refuses; anything
 * else is admitted. Immutable and thread-safe. {@link #permits} blocks on DNS only when forward lookup is on and a
 * list holds a plain host name.
 */
public final class HostAccess {
    /** The host name stock uses when reverse lookup is off; wildcard tokens such as "*" match it. */
    public static final String UNDETERMINED = "UNDETERMINED";

    /** Forward resolution of a plain host-name token (IPv4 only, like gethostbyname()). */
    @FunctionalInterface
    interface Resolver {
        List<Inet4Address> resolve(String name) throws UnknownHostException;
    }

    private static final Resolver SYSTEM_RESOLVER = name -> Arrays.stream(InetAddress.getAllByName(name))
            .filter(Inet4Address.class::isInstance).map(Inet4Address.class::cast).toList();

    private final List<String> allow;
    private final List<String> deny;
    private final boolean forwardLookup;
    private final Resolver resolver;

    HostAccess(String allow, String deny, boolean forwardLookup, Resolver resolver) {
        this.allow = tokens(allow);
        this.deny = tokens(deny);
        this.forwardLookup = forwardLookup;
        this.resolver = resolver;
    }

    /** With "forward lookup = yes" (stock's default). Null or blank lists count as absent. */
    public static HostAccess of(String allow, String deny) {
        return of(allow, deny, true);
    }

    public static HostAccess of(String allow, String deny, boolean forwardLookup) {
        return new HostAccess(allow, deny, forwardLookup, SYSTEM_RESOLVER);
    }

    /** Stock lowercases the whole list, then splits on space, comma and tab. Returns null for an empty list. */
    private static List<String> tokens(String list) {
        if (list == null || list.isEmpty()) {
            return null;
        }
        return ConfText.split(list.toLowerCase(Locale.ROOT), " ,\t");
    }

    /**
     * Decides whether a client may use the module.
     *
     * @param addr           the peer address; an IPv4-mapped IPv6 address is treated as the IPv4 address
     * @param hostnameOrNull the peer's (forward-confirmed) reverse-DNS name, or null when no lookup was done, in
     *                       which case name patterns see {@value #UNDETERMINED} as stock does with
     *                       "reverse lookup = no" (so "hosts deny = *" still denies everyone)
     */
    public boolean permits(InetAddress addr, String hostnameOrNull) {
        InetAddress client = unmap(addr);
        String host = hostnameOrNull == null ? UNDETERMINED : hostnameOrNull;
        if (allow != null) {
            if (matchesAny(allow, client, host, false)) {
                return true;
            }
            if (deny == null) {
                return false;
            }
        }
        return deny == null || !matchesAny(deny, client, host, true);
    }

    static InetAddress unmap(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = b[i] == 0;
            }
            if (mapped) {
                try {
                    return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return a;
    }

    private boolean matchesAny(List<String> tokens, InetAddress client, String host, boolean denyList) {
        for (String tok : tokens) {
            if (matchHostname(tok, client, host, denyList) || matchAddress(tok, client)) {
                return true;
            }
        }
        return false;
    }

    /** Mirrors access.c:match_hostname(); netgroups (@name) are not supported and never match. */
    private boolean matchHostname(String tok, InetAddress client, String host, boolean denyList) {
        if (host.isEmpty()) {
            return false;
        }
        if (tok.startsWith("@") && tok.length() > 1) {
            return false;
        }
        if (Wildmatch.matchesIgnoreCase(tok, host)) {
            return true;
        }
        if (!forwardLookup || onlyDigitsAndDots(tok) || tok.chars().anyMatch(c -> ":/*?[".indexOf(c) >= 0)) {
            return false;
        }
        List<Inet4Address> addrs;
        try {
            addrs = resolver.resolve(tok);
        } catch (UnknownHostException e) {
            addrs = List.of();
        }
        if (addrs.isEmpty()) {
            // 3.5.0 (CVE-2026-70452): an unresolvable deny-list name counts as a match, failing closed.
            return denyList;
        }
        return addrs.contains(client);
    }

    private static boolean onlyDigitsAndDots(String s) {
        return s.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /** Mirrors access.c:match_address(): literal, addr/bits and addr/mask forms, v4 and v6, with scope ids. */
    private static boolean matchAddress(String tok, InetAddress client) {
        int slash = tok.indexOf('/');
        String addrPart = slash < 0 ? tok : tok.substring(0, slash);
        String maskPart = slash < 0 ? null : tok.substring(slash + 1);
        if (!onlyDigitsAndDots(addrPart) && addrPart.indexOf(':') < 0) {
            return false;
        }
        byte[] c = client.getAddress();
        byte[] t;
        if (addrPart.indexOf(':') >= 0) {
            int pct = addrPart.indexOf('%');
            t = IpText.parseIpv6(pct < 0 ? addrPart : addrPart.substring(0, pct));
            if (t == null || !(client instanceof Inet6Address c6)) {
                return false;
            }
            if (pct >= 0) {
                int scope = scopeId(addrPart.substring(pct + 1));
                if (scope < 0 || (scope != 0 && c6.getScopeId() != scope)) {
                    return false;
                }
            }
        } else {
            t = IpText.parseIpv4Aton(addrPart);
            if (t == null || !(client instanceof Inet4Address)) {
                return false;
            }
        }
        byte[] mask = new byte[c.length];
        Arrays.fill(mask, (byte) 0xff);
        if (maskPart != null) {
            byte[] m = c.length == 4 ? IpText.parseIpv4Strict(maskPart) : IpText.parseIpv6(maskPart);
            if (m != null) {
                mask = m;
            } else {
                Long bits = IpText.strtolWhole(maskPart);
                if (bits == null) {
                    return false; // stock logs "malformed mask"
                }
                if (bits == 0) {
                    return true;
                }
                if (bits < 0 || bits > c.length * 8L) {
                    return false;
                }
                mask = prefixMask((int) (long) bits, c.length);
            }
        }
        for (int i = 0; i < c.length; i++) {
            if (((c[i] ^ t[i]) & mask[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] prefixMask(int bits, int len) {
        byte[] m = new byte[len];
        for (int i = 0; i < len; i++) {
            int b = Math.max(0, Math.min(8, bits - i * 8));
            m[i] = (byte) (0xff << (8 - b));
        }
        return m;
    }

    /** getaddrinfo() scope: a number or an interface name; -1 when unknown. */
    private static int scopeId(String scope) {
        if (!scope.isEmpty() && scope.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            try {
                return Integer.parseInt(scope);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        try {
            NetworkInterface ni = NetworkInterface.getByName(scope);
            return ni == null ? -1 : ni.getIndex();
        } catch (IOException e) {
            return -1;
        }
    }
}
