package dev.jrsync.daemon.config;

/** Numeric address parsing with the C library's rules (inet_aton, inet_pton, strtol). Stateless. */
final class IpText {
    private IpText() {
    }

    /**
     * inet_aton() as glibc's numeric getaddrinfo() applies it: 1 to 4 parts, each decimal, octal (leading 0) or
     * hex (0x), the last part filling the remaining bytes ("127.1" = 127.0.0.1, "010.0.0.1" = 8.0.0.1).
     */
    static byte[] parseIpv4Aton(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        long[] v = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            int radix = 10;
            if (p.startsWith("0x") || p.startsWith("0X")) {
                radix = 16;
                p = p.substring(2);
            } else if (p.length() > 1 && p.startsWith("0")) {
                radix = 8;
                p = p.substring(1);
            }
            if (p.isEmpty() || p.length() > 12) {
                return null;
            }
            try {
                v[i] = Long.parseLong(p, radix);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        long value = 0;
        for (int i = 0; i < v.length - 1; i++) {
            if (v[i] > 255) {
                return null;
            }
            value |= v[i] << (24 - 8 * i);
        }
        long last = v[v.length - 1];
        int lastBytes = 4 - (v.length - 1);
        if (last >= 1L << (8 * lastBytes)) {
            return null;
        }
        value |= last;
        return new byte[] {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value};
    }

    /** inet_pton(AF_INET): exactly four decimal parts 0..255 without leading zeros. */
    static byte[] parseIpv4Strict(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')
                    || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int n = Integer.parseInt(p);
            if (n > 255) {
                return null;
            }
            out[i] = (byte) n;
        }
        return out;
    }

    /** inet_pton(AF_INET6): hex groups, one "::", optional trailing dotted IPv4. No scope. */
    static byte[] parseIpv6(String s) {
        if (s.isEmpty() || s.length() > 45) {
            return null;
        }
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        String head = dbl < 0 ? s : s.substring(0, dbl);
        String tail = dbl < 0 ? "" : s.substring(dbl + 2);
        byte[] h = groups(head, dbl < 0);
        byte[] t = groups(tail, true);
        if (h == null || t == null) {
            return null;
        }
        int total = h.length + t.length;
        if (dbl < 0 ? total != 16 : total > 14) {
            return null;
        }
        byte[] out = new byte[16];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(t, 0, out, 16 - t.length, t.length);
        return out;
    }

    /** Colon-separated hex groups; the last may be dotted IPv4 when {@code v4Allowed}. */
    private static byte[] groups(String s, boolean v4Allowed) {
        if (s.isEmpty()) {
            return new byte[0];
        }
        String[] parts = s.split(":", -1);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (i == parts.length - 1 && v4Allowed && p.indexOf('.') >= 0) {
                byte[] v4 = parseIpv4Strict(p);
                if (v4 == null) {
                    return null;
                }
                out.writeBytes(v4);
            } else {
                if (p.isEmpty() || p.length() > 4 || !p.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                    return null;
                }
                int n = Integer.parseInt(p, 16);
                out.write(n >> 8);
                out.write(n);
            }
        }
        return out.toByteArray();
    }

    /** strtol(s, &end, 10) that must consume the whole non-empty string; null otherwise. */
    static Long strtolWhole(String s) {
        int i = 0;
        while (i < s.length() && ConfText.isSpace(s.charAt(i))) {
            i++;
        }
        int start = i;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        if (s.isEmpty() || i == digits || i != s.length()) {
            return null;
        }
        String num = s.substring(start, i);
        try {
            return Long.parseLong(num.startsWith("+") ? num.substring(1) : num);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
