package dev.jrsync.protocol.delta;

import dev.jrsync.protocol.checksum.BlockHasher;
import dev.jrsync.protocol.checksum.ChecksumProfile;
import dev.jrsync.protocol.checksum.RollingChecksum;
import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * The block checksums of a basis file (§7.3): a header, one rolling sum per block and the first
 * {@code s2Length} bytes of each strong sum, stored flat. Treat as immutable once built (the arrays
 * are not copied); safe to share between threads after construction.
 *
 * @param head the sum header
 * @param sum1 rolling checksums, {@code head.count()} entries
 * @param sum2 truncated strong checksums, {@code head.count() * head.s2Length()} bytes
 */
public record Signature(SumHead head, int[] sum1, byte[] sum2) {
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** Blocks moved per wire read or write, so the per-block cost is not one call per field. */
    private static final int BATCH = 1024;
    /** First allocation when reading; arrays grow with data actually received, not with the claimed count. */
    private static final int INITIAL_READ_CAPACITY = 1 << 14;

    public Signature {
        Objects.requireNonNull(head, "head");
        if (sum1.length != head.count() || sum2.length != (long) head.count() * head.s2Length()) {
            throw new IllegalArgumentException("signature arrays " + sum1.length + "/" + sum2.length
                    + " do not match " + head);
        }
    }

    /**
     * Computes the sums of exactly {@code head.fileLength()} bytes read from {@code basis} (the
     * generator side). Mirrors generator.c:generate_and_send_sums(). Blocks on the stream.
     *
     * @throws EOFException if the basis ends early (it shrank since it was measured)
     */
    public static Signature generate(InputStream basis, SumHead head, ChecksumProfile profile) throws IOException {
        int count = head.count();
        int s2 = head.s2Length();
        if (s2 > profile.digestLength()) {
            throw new IllegalArgumentException("checksum length: " + s2 + " (expected: <= " + profile.digestLength() + ")");
        }
        int[] sum1 = new int[count];
        byte[] sum2 = new byte[Math.multiplyExact(count, s2)];
        if (count == 0) {
            return new Signature(head, sum1, sum2);
        }
        BlockHasher hasher = profile.newBlockHasher();
        byte[] strong = new byte[profile.digestLength()];
        byte[] block = new byte[head.blockLength()];
        for (int i = 0; i < count; i++) {
            int len = head.blockLength(i);
            int n = basis.readNBytes(block, 0, len);
            if (n < len) {
                throw new EOFException("basis ended at " + ((long) i * head.blockLength() + n)
                        + " bytes (expected: " + head.fileLength() + ")");
            }
            sum1[i] = RollingChecksum.of(block, 0, len);
            hasher.digest(block, 0, len, strong);
            System.arraycopy(strong, 0, sum2, i * s2, s2);
        }
        return new Signature(head, sum1, sum2);
    }

    /**
     * Reads the {@code head.count()} block sums that follow a header (the sender side). Memory grows
     * with the bytes actually received. Blocks until all have arrived.
     */
    public static Signature read(WireInput in, SumHead head) throws IOException {
        int count = head.count();
        int s2 = head.s2Length();
        int entry = 4 + s2;
        int[] sum1 = new int[Math.min(count, INITIAL_READ_CAPACITY)];
        byte[] sum2 = new byte[sum1.length * s2];
        byte[] batch = new byte[Math.min(count, BATCH) * entry];
        for (int done = 0; done < count; ) {
            int n = Math.min(BATCH, count - done);
            if (done + n > sum1.length) {
                int capacity = (int) Math.min(count, Math.max((long) sum1.length * 2, done + n));
                sum1 = Arrays.copyOf(sum1, capacity);
                sum2 = Arrays.copyOf(sum2, capacity * s2);
            }
            in.readFully(batch, 0, n * entry);
            for (int j = 0; j < n; j++) {
                sum1[done + j] = (int) INT_LE.get(batch, j * entry);
                System.arraycopy(batch, j * entry + 4, sum2, (done + j) * s2, s2);
            }
            done += n;
        }
        return new Signature(head, sum1, sum2);
    }

    /** Writes the block sums (not the header). Mirrors generator.c:generate_and_send_sums(). May block. */
    public void write(WireOutput out) throws IOException {
        int count = head.count();
        int s2 = head.s2Length();
        int entry = 4 + s2;
        byte[] batch = new byte[Math.min(count, BATCH) * entry];
        for (int done = 0; done < count; ) {
            int n = Math.min(BATCH, count - done);
            for (int j = 0; j < n; j++) {
                INT_LE.set(batch, j * entry, sum1[done + j]);
                System.arraycopy(sum2, (done + j) * s2, batch, j * entry + 4, s2);
            }
            out.write(batch, 0, n * entry);
            done += n;
        }
    }
}
