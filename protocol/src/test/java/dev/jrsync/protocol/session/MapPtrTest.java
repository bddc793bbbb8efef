package dev.jrsync.protocol.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class MapPtrTest {
    @Test
    void aFileThatShrankReadsAsZerosToItsListedSize() throws IOException {
        MapPtr m = new MapPtr(new ByteArrayInputStream(new byte[] {1, 2, 3}), 6);
        assertArrayEquals(new byte[] {1, 2, 3, 0, 0, 0}, m.readAllBytes());
        assertEquals("No data available (61)", m.error());
    }

    @Test
    void aReadErrorIsKeptAndTheRestIsZeros() throws IOException {
        InputStream failing = new InputStream() {
            private int n;

            @Override
            public int read() throws IOException {
                if (n++ < 2) {
                    return 7;
                }
                throw new java.nio.file.AccessDeniedException("x");
            }
        };
        MapPtr m = new MapPtr(failing, 4);
        byte[] all = m.readAllBytes();
        assertEquals(4, all.length);
        assertEquals("Permission denied (13)", m.error());
    }

    @Test
    void anIntactFileIsItsBytesAndNoMore() throws IOException {
        MapPtr m = new MapPtr(new ByteArrayInputStream(new byte[] {5, 6, 7, 8}), 3);
        assertArrayEquals(new byte[] {5, 6, 7}, m.readAllBytes());
        assertNull(m.error());
    }
}
