package dev.jrsync.bench;

import dev.jrsync.protocol.checksum.BlockHasher;
import dev.jrsync.protocol.checksum.ChecksumProfile;
import dev.jrsync.protocol.checksum.ChecksumType;
import dev.jrsync.protocol.checksum.FileDigest;
import dev.jrsync.protocol.checksum.RollingChecksum;
import dev.jrsync.protocol.delta.Matcher;
import dev.jrsync.protocol.delta.Signature;
import dev.jrsync.protocol.delta.SumHead;
import dev.jrsync.protocol.delta.SumSizes;
import dev.jrsync.protocol.delta.TokenSink;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The sender's and receiver's hot loops on a 32 MiB input: the matcher against an identical, a
 * lightly edited and an unrelated basis, the rolling checksum, block sums and the whole-file
 * digest. Scores are operations per second of the whole input (multiply by 32 MiB for MB/s).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class DeltaBenchmark {
    private static final int SIZE = 32 << 20;

    @Param({"identical", "edited", "unrelated"})
    public String basis;

    @Param({"xxh128", "md5"})
    public String checksum;

    private byte[] source;
    private Signature signature;
    private ChecksumProfile profile;

    @Setup
    public void setUp() throws IOException {
        Random r = new Random(1);
        source = new byte[SIZE];
        r.nextBytes(source);
        byte[] old = source.clone();
        switch (basis) {
            case "edited" -> {
                for (int i = 0; i < 32; i++) {
                    old[r.nextInt(SIZE)] ^= 1;
                }
            }
            case "unrelated" -> r.nextBytes(old);
            default -> { }
        }
        profile = new ChecksumProfile(ChecksumType.byName(checksum).orElseThrow(), 32, 12345, true, true);
        SumHead head = SumSizes.forLength(SIZE, 32, 0, profile.digestLength(), false);
        signature = Signature.generate(new ByteArrayInputStream(old), head, profile);
    }

    @Benchmark
    public long matcher(Blackhole bh) throws IOException {
        Matcher m = new Matcher(signature, profile);
        byte[] digest = m.run(new ByteArrayInputStream(source), SIZE, new TokenSink() {
            @Override
            public void literal(byte[] b, int off, int len) {
                bh.consume(len);
            }

            @Override
            public void match(int blockIndex) {
                bh.consume(blockIndex);
            }
        });
        bh.consume(digest);
        return m.literalBytes();
    }

    @Benchmark
    public int rollingChecksumOverEveryOffset() {
        int block = 4096;
        int s = RollingChecksum.of(source, 0, block);
        for (int i = 0; i + block < SIZE; i++) {
            s = RollingChecksum.roll(s, block, source[i], source[i + block]);
        }
        return s;
    }

    @Benchmark
    public void blockSums(Blackhole bh) {
        BlockHasher h = profile.newBlockHasher();
        byte[] out = new byte[profile.digestLength()];
        for (int off = 0; off < SIZE; off += 4096) {
            h.digest(source, off, 4096, out);
            bh.consume(out);
        }
    }

    @Benchmark
    public byte[] wholeFileDigest() {
        FileDigest d = profile.newFileDigest();
        for (int off = 0; off < SIZE; off += 65536) {
            d.update(source, off, 65536);
        }
        return d.finish();
    }
}
