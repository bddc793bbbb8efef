package dev.jrsync.protocol.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NameBytesTest {
    @Test
    void everyByteStringRoundTrips() {
        Random rnd = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[rnd.nextInt(12)];
            rnd.nextBytes(b);
            assertArrayEquals(b, NameBytes.encode(NameBytes.decode(b)));
        }
        // Sequences that look like UTF-8 but are not: overlong, surrogate halves, beyond U+10FFFF, truncated.
        for (byte[] b : new byte[][] {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}}) {
            assertArrayEquals(b, NameBytes.encode(NameBytes.decode(b)));
        }
    }

    @Test
    void validUtf8IsItsCharacters() {
        String s = "ünïcødé 名前 🎉.txt";
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        assertEquals(s, NameBytes.decode(b));
        assertArrayEquals(b, NameBytes.encode(s));
        assertEquals(b.length, NameBytes.length(s));
    }

    @Test
    void printableEscapesAsRsyncDoes() {
        String bad = NameBytes.decode(new byte[] {'b', 'a', 'd', (byte) 0xFF, (byte) 0xFE, '.', 't', 'x', 't'});
        assertEquals("bad\\#377\\#376.txt", NameBytes.printable(bad, true));
        assertEquals("ctl\\#001x", NameBytes.printable("ctl\u0001x", true));
        assertEquals("tab\tok", NameBytes.printable("tab\tok", true));
        assertEquals("ünï", NameBytes.printable("ünï", true));
        assertEquals("\\#303\\#274n", NameBytes.printable("ün", false), "outside a UTF-8 locale every high byte");
        assertEquals("\\#134#123", NameBytes.printable("\\#123", true), "a literal \\#ddd cannot pass for an escape");
        assertEquals("c1\\#302\\#205", NameBytes.printable("c1\u0085", true));
    }

    @Test
    void localeFromTheEnvironment() {
        assertTrue(NameBytes.utf8Locale(Map.of("LANG", "en_US.UTF-8")));
        assertTrue(NameBytes.utf8Locale(Map.of("LC_ALL", "C.utf8", "LANG", "C")));
        assertFalse(NameBytes.utf8Locale(Map.of("LC_ALL", "C", "LANG", "en_US.UTF-8")));
        assertFalse(NameBytes.utf8Locale(Map.of()));
    }
}
