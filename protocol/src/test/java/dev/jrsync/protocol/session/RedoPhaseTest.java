package dev.jrsync.protocol.session;

import dev.jrsync.protocol.checksum.FileDigest;
import dev.jrsync.protocol.delta.PlainTokenWriter;
import dev.jrsync.protocol.delta.Signature;
import dev.jrsync.protocol.delta.SumHead;
import dev.jrsync.protocol.flist.FileEntry;
import dev.jrsync.protocol.flist.FileListWriter;
import dev.jrsync.protocol.flist.IdNames;
import dev.jrsync.protocol.flist.Xmit;
import dev.jrsync.protocol.fs.ConfinedRoot;
import dev.jrsync.protocol.handshake.ServerArgs;
import dev.jrsync.protocol.handshake.TransferOptions;
import dev.jrsync.protocol.wire.Ndx;
import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole-file verification and the redo phase (rsync-protocol.md §7.8): a scripted sender sends a
 * file whose whole-file checksum is wrong; the receiver must discard it, warn, and the generator
 * must ask again in phase 1 with full-length block sums; the second copy lands. A second bad
 * copy is an error (exit 23) and never replaces the destination.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedoPhaseTest {
    @TempDir
    Path tmp;

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();

    @Test
    void failedVerificationIsRedoneWithFullChecksums() throws Exception {
        byte[] data = "new contents of the file, same length".getBytes(StandardCharsets.UTF_8);
        Result r = transfer(data, 1);
        assertEquals(0, r.exitCode);
        assertEquals(2, r.heads.size(), "the file is requested twice");
        assertEquals(2, r.heads.get(0).s2Length(), "first pass: short strong sums for a small file");
        assertEquals(16, r.heads.get(1).s2Length(), "redo pass: the full xxh128 length");
        assertArrayEquals(data, Files.readAllBytes(tmp.resolve("dst/f")));
        assertTrue(warnings.contains("WARNING: f failed verification -- update discarded (will try again)."), warnings.toString());
    }

    @Test
    void secondFailureIsAnErrorAndKeepsTheOldFile() throws Exception {
        byte[] data = "new contents of the file, same length".getBytes(StandardCharsets.UTF_8);
        Result r = transfer(data, 2);
        assertEquals(23, r.exitCode);
        assertEquals("old contents of the file, same length", Files.readString(tmp.resolve("dst/f")));
        assertTrue(errors.contains("ERROR: f failed verification -- update discarded."), errors.toString());
        try (var s = Files.list(tmp.resolve("dst"))) {
            assertEquals(List.of("f"), s.map(p -> p.getFileName().toString()).toList(), "no temp file left behind");
        }
    }

    private record Result(int exitCode, List<SumHead> heads) {
    }

    private Result transfer(byte[] data, int corruptions) throws Exception {
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Files.writeString(dst.resolve("f"), "old contents of the file, same length");
        Files.setLastModifiedTime(dst.resolve("f"), FileTime.fromMillis(1_000_000_000_000L));

        PipedInputStream serverIn = new PipedInputStream(1 << 16);
        PipedOutputStream clientOut = new PipedOutputStream(serverIn);
        PipedInputStream clientIn = new PipedInputStream(1 << 16);
        PipedOutputStream serverOut = new PipedOutputStream(clientIn);

        TransferOptions serverOpts = ServerArgs.parse(List.of("--server", "-logDtpre" + ServerArgs.CAPABILITIES, ".", "mod/"));
        Session server = new Session(serverIn, serverOut, serverOpts, true, log());
        TransferOptions clientOpts = new TransferOptions();
        clientOpts.archive();
        clientOpts.sender = true;
        Session client = new Session(clientIn, clientOut, clientOpts, false, log());

        CompletableFuture<Integer> receiving = CompletableFuture.supplyAsync(() -> {
            try (ConfinedRoot root = ConfinedRoot.openStrict(dst)) {
                server.setup(32);
                Receiving rx = new Receiving(server, root, "");
                rx.receiveFileList();
                int code = rx.run();
                serverOut.close();
                return code;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        client.setup(32);
        List<SumHead> heads = scriptedSender(client, data, corruptions);
        return new Result(receiving.get(20, TimeUnit.SECONDS), heads);
    }

    /** A sender that corrupts the whole-file checksum of its first {@code corruptions} sends. */
    private static List<SumHead> scriptedSender(Session s, byte[] data, int corruptions) throws IOException {
        WireInput in = s.in();
        WireOutput out = s.out();
        FileListWriter flist = new FileListWriter(out, Transfer.flistOptions(s), IdNames.of(Map.of(), Map.of()));
        flist.write(new FileEntry(".", 040755, 4096, 1_600_000_000L, 0, 0, 0, 0, 0, null, null, Xmit.XMIT_TOP_DIR));
        flist.write(new FileEntry("f", 0100644, data.length, 1_600_000_000L, 0, 0, 0, 0, 0, null, null, 0));
        flist.end(0);
        out.flush();
        List<SumHead> heads = new ArrayList<>();
        int phase = 0;
        int sends = 0;
        while (true) {
            int ndx = in.readNdx();
            if (ndx == Ndx.DONE) {
                if (++phase > 2) {
                    break;
                }
                out.writeNdx(Ndx.DONE);
                out.flush();
                continue;
            }
            int iflags = in.readShort();
            out.writeNdx(ndx);
            out.writeShort(iflags);
            if ((iflags & Item.TRANSFER) == 0) {
                continue;
            }
            SumHead head = SumHead.read(in, 32, 16);
            Signature.read(in, head);
            heads.add(head);
            head.write(out, 32);
            PlainTokenWriter tokens = new PlainTokenWriter(out);
            tokens.literal(data, 0, data.length);
            tokens.end();
            FileDigest d = s.profile().newFileDigest();
            d.update(data, 0, data.length);
            byte[] sum = d.finish();
            if (sends++ < corruptions) {
                sum[0] ^= 1;
            }
            out.write(sum);
            out.flush();
        }
        out.writeNdx(Ndx.DONE);
        out.flush();
        int i = in.readNdx();
        assertEquals(Ndx.DONE, i, "delete-stats phase DONE");
        out.writeNdx(Ndx.DONE);
        out.flush();
        assertEquals(Ndx.DONE, in.readNdx(), "final goodbye");
        return heads;
    }

    private SessionLog log() {
        return new SessionLog() {
            @Override
            public void info(String line) {
            }

            @Override
            public void warning(String line) {
                warnings.add(line);
            }

            @Override
            public void transferError(String line) {
                errors.add(line);
            }

            @Override
            public void error(String line) {
                errors.add(line);
            }

            @Override
            public void deleted(String name, boolean isDir) {
            }
        };
    }
}
