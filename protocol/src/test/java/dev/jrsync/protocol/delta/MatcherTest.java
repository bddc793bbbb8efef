package dev.jrsync.protocol.delta;

import dev.jrsync.protocol.checksum.ChecksumProfile;
import dev.jrsync.protocol.checksum.ChecksumType;
import dev.jrsync.protocol.checksum.FileDigest;
import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MatcherTest {
    private static final ChecksumProfile XXH128 = new ChecksumProfile(ChecksumType.XXH128, 32, -987654, true, true);

    @TempDir
    Path tmp;

    /** Records tokens; consecutive literal calls are merged into one run. */
    private static final class Recorder implements TokenSink {
        final List<Object> tokens = new ArrayList<>();
        final ByteArrayOutputStream literal = new ByteArrayOutputStream();

        @Override
        public void literal(byte[] b, int off, int len) {
            literal.write(b, off, len);
        }

        @Override
        public void match(int blockIndex) {
            flush();
            tokens.add(blockIndex);
        }

        List<Object> done() {
            flush();
            return tokens;
        }

        private void flush() {
            if (literal.size() > 0) {
                tokens.add(literal.toByteArray());
                literal.reset();
            }
        }
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static Signature signature(byte[] basis, SumHead head, ChecksumProfile p) throws IOException {
        return Signature.generate(new ByteArrayInputStream(basis), head, p);
    }

    private static byte[] digestOf(ChecksumProfile p, byte[] data) {
        FileDigest d = p.newFileDigest();
        d.update(data, 0, data.length);
        return d.finish();
    }

    /** §7.10, verified against rsync 3.5.0: a 100000-byte file with block 71 changed sends -1..-71, 700 literal bytes, -73..-143, 0. */
    @Test
    void documentedOneChangedBlock() throws IOException {
        byte[] basis = random(100_000, 11);
        byte[] source = basis.clone();
        for (int i = 71 * 700; i < 72 * 700; i++) {
            source[i] ^= 0x5A;
        }
        SumHead head = SumSizes.forLength(basis.length, 32, 0, 16, false);
        assertEquals(new SumHead(143, 700, 2, 600), head);
        Matcher m = new Matcher(signature(basis, head, XXH128), XXH128);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        PlainTokenWriter writer = new PlainTokenWriter(new WireOutput(wire));
        byte[] digest = m.run(new ByteArrayInputStream(source), source.length, writer);
        writer.end();

        ByteBuffer expected = ByteBuffer.allocate(71 * 4 + 4 + 700 + 71 * 4 + 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int t = -1; t >= -71; t--) {
            expected.putInt(t);
        }
        expected.putInt(700).put(source, 71 * 700, 700);
        for (int t = -73; t >= -143; t--) {
            expected.putInt(t);
        }
        expected.putInt(0);
        assertArrayEquals(expected.array(), wire.toByteArray());
        assertEquals(700, m.literalBytes());
        assertEquals(99_300, m.matchedBytes());
        assertArrayEquals(digestOf(XXH128, source), digest);
    }

    @Test
    void prefersTheBlockAfterThePreviousMatch() throws IOException {
        byte[] zeros = new byte[7000];
        SumHead head = SumSizes.forLength(zeros.length, 32, 0, 16, false);
        Recorder r = new Recorder();
        new Matcher(signature(zeros, head, XXH128), XXH128).run(new ByteArrayInputStream(zeros), zeros.length, r);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), r.done());
    }

    @Test
    void withoutBasisEverythingIsLiteral() throws IOException {
        byte[] source = random(300_000, 12);
        Recorder r = new Recorder();
        Matcher m = new Matcher(signature(new byte[0], SumHead.EMPTY, XXH128), XXH128);
        byte[] digest = m.run(new ByteArrayInputStream(source), source.length, r);
        List<Object> tokens = r.done();
        assertEquals(1, tokens.size());
        assertArrayEquals(source, (byte[]) tokens.get(0));
        assertEquals(source.length, m.literalBytes());
        assertArrayEquals(digestOf(XXH128, source), digest);
    }

    @Test
    void emptyAndTinySources() throws IOException {
        byte[] basis = random(2000, 13);
        SumHead head = SumSizes.forLength(basis.length, 32, 0, 16, false);
        Matcher m = new Matcher(signature(basis, head, XXH128), XXH128);
        Recorder r = new Recorder();
        assertArrayEquals(digestOf(XXH128, new byte[0]), m.run(new ByteArrayInputStream(new byte[0]), 0, r));
        assertEquals(List.of(), r.done());
        // Exactly the 600-byte last block, which is shorter than a full one.
        byte[] tail = Arrays.copyOfRange(basis, 1400, 2000);
        r = new Recorder();
        m.run(new ByteArrayInputStream(tail), tail.length, r);
        assertEquals(List.of(2), r.done());
        assertEquals(600, m.matchedBytes());
    }

    @Test
    void shortSourceFails() {
        byte[] basis = random(2000, 14);
        assertThrows(EOFException.class, () -> new Matcher(signature(basis, SumSizes.forLength(2000, 32, 0, 16, false), XXH128), XXH128)
                .run(new ByteArrayInputStream(basis, 0, 1999), 2000, new Recorder()));
    }

    @Test
    void manyEqualWeakSumsStillTerminate() throws IOException {
        // A hostile signature: 50000 blocks with one weak sum and differing strong sums.
        int count = 50_000;
        SumHead head = new SumHead(count, 700, 2, 0);
        int[] sum1 = new int[count];
        byte[] sum2 = new byte[count * 2];
        new Random(15).nextBytes(sum2);
        byte[] source = new byte[200_000];
        Arrays.fill(sum1, dev.jrsync.protocol.checksum.RollingChecksum.of(source, 0, 700));
        Matcher m = new Matcher(new Signature(head, sum1, sum2), XXH128);
        m.run(new ByteArrayInputStream(source), source.length, new Recorder());
        assertEquals(source.length, m.literalBytes() + m.matchedBytes());
    }

    private byte[] roundTrip(byte[] basis, byte[] source, ChecksumProfile p, int blockSize) throws IOException {
        SumHead head = SumSizes.forLength(basis.length, p.protocol(), blockSize, p.digestLength(), false);
        Signature sig = signature(basis, head, p);
        // Through the wire format on both sides.
        ByteArrayOutputStream sigWire = new ByteArrayOutputStream();
        head.write(new WireOutput(sigWire), p.protocol());
        sig.write(new WireOutput(sigWire));
        WireInput sigIn = new WireInput(new ByteArrayInputStream(sigWire.toByteArray()));
        SumHead readHead = SumHead.read(sigIn, p.protocol(), p.digestLength());
        Signature readSig = Signature.read(sigIn, readHead);

        Matcher m = new Matcher(readSig, p);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        PlainTokenWriter writer = new PlainTokenWriter(new WireOutput(wire));
        byte[] sent = m.run(new ByteArrayInputStream(source), source.length, writer);
        writer.end();
        assertEquals(source.length, m.literalBytes() + m.matchedBytes());

        Path basisFile = tmp.resolve("basis");
        Files.write(basisFile, basis);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FileDigest received = p.newFileDigest();
        DeltaApplier.Result result;
        try (FileChannel ch = FileChannel.open(basisFile)) {
            result = DeltaApplier.apply(new PlainTokenReader(new WireInput(new ByteArrayInputStream(wire.toByteArray())), readHead.count()),
                    readHead, ch, out, received);
        }
        assertArrayEquals(source, out.toByteArray());
        assertArrayEquals(sent, received.finish());
        assertArrayEquals(digestOf(p, source), sent);
        assertEquals(m.literalBytes(), result.literalBytes());
        assertEquals(m.matchedBytes(), result.matchedBytes());
        return wire.toByteArray();
    }

    /** Applies inserts, deletes and overwrites at random places. */
    private static byte[] edit(byte[] basis, Random r, int edits) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        int step = basis.length / (edits + 1);
        for (int e = 0; e < edits; e++) {
            int at = Math.min(basis.length, pos + r.nextInt(step + 1));
            out.write(basis, pos, at - pos);
            pos = at;
            int n = 1 + r.nextInt(3000);
            switch (r.nextInt(3)) {
                case 0 -> out.writeBytes(random(n, r.nextLong()));
                case 1 -> pos = Math.min(basis.length, pos + n);
                default -> {
                    out.writeBytes(random(n, r.nextLong()));
                    pos = Math.min(basis.length, pos + n);
                }
            }
        }
        out.write(basis, pos, basis.length - pos);
        return out.toByteArray();
    }

    @Test
    void roundTripsWithEditsAcrossProfiles() throws IOException {
        ChecksumProfile[] profiles = {
                XXH128,
                new ChecksumProfile(ChecksumType.XXH64, 31, 77, true, true),
                new ChecksumProfile(ChecksumType.XXH3, 32, 0, true, true),
                new ChecksumProfile(ChecksumType.SHA1, 32, 5, true, true),
                ChecksumProfile.implied(30, 123, false),
                ChecksumProfile.implied(29, -5, false),
        };
        Random r = new Random(16);
        for (ChecksumProfile p : profiles) {
            byte[] basis = random(600_000 + r.nextInt(700_000), r.nextLong());
            byte[] source = edit(basis, r, 20);
            roundTrip(basis, source, p, 0);
        }
    }

    @Test
    void roundTripsWithBlockSizesAndEdges() throws IOException {
        Random r = new Random(17);
        byte[] basis = random(1_000_003, 18);
        for (int blockSize : new int[] {0, 8, 1000, 131072}) {
            roundTrip(basis, edit(basis, r, 10), XXH128, blockSize);
        }
        // Unrelated source larger than the literal flush size, identical file, appended tail, truncated file.
        roundTrip(basis, random(900_000, 19), XXH128, 0);
        byte[] same = roundTrip(basis, basis, XXH128, 0);
        assertTrue(same.length < 4 * 2000, "identical file sent as matches only: " + same.length);
        byte[] longer = Arrays.copyOf(basis, basis.length + 5000);
        roundTrip(basis, longer, XXH128, 0);
        roundTrip(basis, Arrays.copyOf(basis, 500_000), XXH128, 0);
        roundTrip(new byte[0], basis, XXH128, 0);
    }
}
