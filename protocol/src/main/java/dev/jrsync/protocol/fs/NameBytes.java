package dev.jrsync.protocol.fs;

import java.io.ByteArrayOutputStream;

/**
 * File names are bytes, on the wire and in the file system; jrsync carries them as Java strings
 * without losing any. Valid UTF-8 decodes to its characters; every byte that is not part of a valid
 * UTF-8 sequence becomes the lone surrogate U+DC00 + byte (U+DC80..U+DCFF), which valid UTF-8 never
 * yields, and is turned back into that byte on the way out (the "surrogate escape" scheme). So
 * {@code bad\xff\xfe.txt} travels from a directory listing to the wire to the receiver's file system
 * byte for byte. Every conversion between a name and bytes goes through here; never use
 * {@code String.getBytes} or {@code new String(bytes, UTF_8)} for a name. Stateless; thread-safe.
 */
public final class NameBytes {
    private static final char ESCAPE_BASE = 0xDC00;

    private NameBytes() {
    }

    public static String decode(byte[] b) {
        return decode(b, 0, b.length);
    }

    /** Decodes {@code len} bytes at {@code off}; never fails. */
    public static String decode(byte[] b, int off, int len) {
        int end = off + len;
        boolean ascii = true;
        for (int i = off; i < end; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(b, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        StringBuilder sb = new StringBuilder(len);
        int i = off;
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                sb.append((char) c);
                i++;
                continue;
            }
            int n = sequenceLength(b, i, end);
            if (n == 0) {
                sb.append((char) (ESCAPE_BASE + c));
                i++;
                continue;
            }
            int cp = switch (n) {
                case 2 -> ((c & 0x1F) << 6) | (b[i + 1] & 0x3F);
                case 3 -> ((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F);
                default -> ((c & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) | ((b[i + 2] & 0x3F) << 6) | (b[i + 3] & 0x3F);
            };
            sb.appendCodePoint(cp);
            i += n;
        }
        return sb.toString();
    }

    /** The length of the valid UTF-8 sequence starting at {@code i}, or 0 (RFC 3629: no overlongs, no surrogates). */
    private static int sequenceLength(byte[] b, int i, int end) {
        int c = b[i] & 0xFF;
        if (c >= 0xC2 && c <= 0xDF) {
            return i + 1 < end && cont(b[i + 1]) ? 2 : 0;
        }
        if (c >= 0xE0 && c <= 0xEF) {
            if (i + 2 >= end || !cont(b[i + 1]) || !cont(b[i + 2])) {
                return 0;
            }
            int c1 = b[i + 1] & 0xFF;
            if (c == 0xE0 && c1 < 0xA0 || c == 0xED && c1 >= 0xA0) {
                return 0;
            }
            return 3;
        }
        if (c >= 0xF0 && c <= 0xF4) {
            if (i + 3 >= end || !cont(b[i + 1]) || !cont(b[i + 2]) || !cont(b[i + 3])) {
                return 0;
            }
            int c1 = b[i + 1] & 0xFF;
            if (c == 0xF0 && c1 < 0x90 || c == 0xF4 && c1 >= 0x90) {
                return 0;
            }
            return 4;
        }
        return 0;
    }

    private static boolean cont(byte x) {
        return (x & 0xC0) == 0x80;
    }

    /** The bytes {@code s} stands for (see the class comment). */
    public static byte[] encode(String s) {
        int n = s.length();
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 8);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out.write(c);
            } else if (c >= 0xDC80 && c <= 0xDCFF && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
                out.write(c - ESCAPE_BASE);
            } else if (c < 0x800) {
                out.write(0xC0 | (c >> 6));
                out.write(0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out.write(0xF0 | (cp >> 18));
                out.write(0x80 | ((cp >> 12) & 0x3F));
                out.write(0x80 | ((cp >> 6) & 0x3F));
                out.write(0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                out.write('?'); // a lone surrogate that no byte string decodes to
            } else {
                out.write(0xE0 | (c >> 12));
                out.write(0x80 | ((c >> 6) & 0x3F));
                out.write(0x80 | (c & 0x3F));
            }
        }
        return out.toByteArray();
    }

    /** How many bytes {@code s} encodes to. */
    public static int length(String s) {
        return encode(s).length;
    }

    /**
     * A line as rsync prints it (log.c:filtered_fwrite() with isprint): control characters other
     * than tab, bytes that are not valid UTF-8 and, outside a UTF-8 locale, every byte above 0x7F
     * become {@code \#ooo} (octal), and a literal {@code \#ddd} in a name has its backslash escaped,
     * so a hostile name cannot forge output or drive the terminal.
     */
    public static String printable(String line, boolean utf8Locale) {
        StringBuilder sb = null;
        int n = line.length();
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            boolean escapedByte = c >= 0xDC80 && c <= 0xDCFF && (i == 0 || !Character.isHighSurrogate(line.charAt(i - 1)));
            boolean escape = c < 0x20 && c != '\t' || c == 0x7F || escapedByte
                    || c >= 0x80 && c <= 0x9F
                    || c == '\\' && line.startsWith("#", i + 1) && digits(line, i + 2)
                    || !utf8Locale && c >= 0x80;
            if (escape && sb == null) {
                sb = new StringBuilder(n + 16).append(line, 0, i);
            }
            if (!escape) {
                if (sb != null) {
                    sb.append(c);
                }
            } else if (escapedByte || c < 0x80) {
                sb.append(String.format("\\#%03o", escapedByte ? c - ESCAPE_BASE : (int) c));
            } else {
                // A character that is not printable here: each of its UTF-8 bytes, as rsync's byte-wise filter.
                int cp = line.codePointAt(i);
                for (byte x : encode(new String(Character.toChars(cp)))) {
                    sb.append(String.format("\\#%03o", x & 0xFF));
                }
                i += Character.charCount(cp) - 1;
            }
        }
        return sb == null ? line : sb.toString();
    }

    private static boolean digits(String s, int at) {
        return at + 2 < s.length() && Character.isDigit(s.charAt(at)) && Character.isDigit(s.charAt(at + 1))
                && Character.isDigit(s.charAt(at + 2));
    }

    /** Whether the process's locale (LC_ALL, LC_CTYPE, LANG, as setlocale() picks) is UTF-8. */
    public static boolean utf8Locale(java.util.Map<String, String> env) {
        for (String k : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
            String v = env.get(k);
            if (v != null && !v.isEmpty()) {
                String l = v.toLowerCase(java.util.Locale.ROOT);
                return l.contains("utf-8") || l.contains("utf8");
            }
        }
        return false;
    }
}
