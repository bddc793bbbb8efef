package dev.jrsync.protocol.delta;

import dev.jrsync.protocol.checksum.ChecksumProfile;
import dev.jrsync.protocol.checksum.ChecksumType;
import dev.jrsync.protocol.checksum.FileDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The seam for token formats that keep matched data in their history (rsync's "zlib"): the
 * matcher hands over each matched block's bytes right after the match, and the applier hands
 * back the basis bytes it copied, so both sides see the same sequence.
 */
class MatchedDataTest {
    @TempDir
    Path tmp;

    @Test
    void senderAndReceiverSeeTheSameMatchedBytes() throws IOException {
        byte[] basis = new byte[50_000];
        new Random(9).nextBytes(basis);
        byte[] source = basis.clone();
        Arrays.fill(source, 20_000, 20_500, (byte) 7);
        ChecksumProfile profile = new ChecksumProfile(ChecksumType.XXH128, 32, 77, true, true);
        SumHead head = SumSizes.forLength(basis.length, 32, 0, profile.digestLength(), false);
        Signature sig = Signature.generate(new ByteArrayInputStream(basis), head, profile);

        ByteArrayOutputStream senderSaw = new ByteArrayOutputStream();
        Deque<Token> tokens = new ArrayDeque<>();
        new Matcher(sig, profile).run(new ByteArrayInputStream(source), source.length, new TokenSink() {
            @Override
            public void literal(byte[] b, int off, int len) {
                tokens.add(new Token.Literal(Arrays.copyOfRange(b, off, off + len), 0, len));
            }

            @Override
            public void match(int blockIndex) {
                tokens.add(new Token.Match(blockIndex));
            }

            @Override
            public void matchedData(byte[] b, int off, int len) {
                senderSaw.write(b, off, len);
            }
        });
        tokens.add(new Token.End());

        Path basisFile = Files.write(tmp.resolve("basis"), basis);
        ByteArrayOutputStream receiverSaw = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FileDigest digest = profile.newFileDigest();
        try (FileChannel ch = FileChannel.open(basisFile)) {
            DeltaApplier.apply(new TokenSource() {
                @Override
                public Token next() {
                    return tokens.poll();
                }

                @Override
                public void matchedData(byte[] b, int off, int len) {
                    receiverSaw.write(b, off, len);
                }
            }, head, ch, out, digest);
        }
        assertArrayEquals(source, out.toByteArray());
        assertEquals(basis.length - 700 * 2, senderSaw.size(), "all blocks but the two touched by the edit");
        assertArrayEquals(senderSaw.toByteArray(), receiverSaw.toByteArray());
    }
}
