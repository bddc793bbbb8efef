package dev.jrsync.protocol.delta;

import dev.jrsync.protocol.checksum.ChecksumProfile;
import dev.jrsync.protocol.checksum.ChecksumType;
import dev.jrsync.protocol.checksum.RollingChecksum;
import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SignatureTest {
    private static final ChecksumProfile XXH128 = new ChecksumProfile(ChecksumType.XXH128, 32, 0x1234, true, true);

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void generateComputesEachBlock() throws IOException {
        byte[] basis = random(100_000, 1);
        SumHead head = SumSizes.forLength(basis.length, 32, 0, 16, false);
        Signature sig = Signature.generate(new ByteArrayInputStream(basis), head, XXH128);
        assertEquals(143, sig.sum1().length);
        byte[] full = new byte[16];
        for (int i = 0; i < head.count(); i++) {
            int off = i * 700;
            int len = Math.min(700, basis.length - off);
            assertEquals(RollingChecksum.of(basis, off, len), sig.sum1()[i]);
            XXH128.newBlockHasher().digest(basis, off, len, full);
            assertArrayEquals(Arrays.copyOf(full, 2), Arrays.copyOfRange(sig.sum2(), i * 2, i * 2 + 2), "block " + i);
        }
    }

    @Test
    void writeReadRoundTripBeyondInitialCapacity() throws IOException {
        byte[] basis = random(20_000 * 64 + 5, 2);
        SumHead head = SumSizes.forLength(basis.length, 32, 64, 16, true);
        Signature sig = Signature.generate(new ByteArrayInputStream(basis), head, XXH128);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        sig.write(new WireOutput(bos));
        assertEquals((long) head.count() * (4 + 16), bos.size());
        Signature back = Signature.read(new WireInput(new ByteArrayInputStream(bos.toByteArray())), head);
        assertArrayEquals(sig.sum1(), back.sum1());
        assertArrayEquals(sig.sum2(), back.sum2());
    }

    @Test
    void truncatedWireOrBasisFails() throws IOException {
        byte[] basis = random(5000, 3);
        SumHead head = SumSizes.forLength(basis.length, 32, 0, 16, false);
        assertThrows(EOFException.class, () -> Signature.generate(new ByteArrayInputStream(basis, 0, 4999), head, XXH128));
        Signature sig = Signature.generate(new ByteArrayInputStream(basis), head, XXH128);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        sig.write(new WireOutput(bos));
        byte[] cut = Arrays.copyOf(bos.toByteArray(), bos.size() - 1);
        assertThrows(IOException.class, () -> Signature.read(new WireInput(new ByteArrayInputStream(cut)), head));
    }

    @Test
    void emptyHeadHasNoSums() throws IOException {
        Signature sig = Signature.generate(new ByteArrayInputStream(new byte[0]), SumHead.EMPTY, XXH128);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        sig.write(new WireOutput(bos));
        assertEquals(0, bos.size());
        assertEquals(0, Signature.read(new WireInput(new ByteArrayInputStream(new byte[0])), SumHead.EMPTY).sum1().length);
    }
}
