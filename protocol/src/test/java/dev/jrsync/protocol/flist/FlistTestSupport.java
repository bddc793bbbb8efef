package dev.jrsync.protocol.flist;

import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Shared helpers for the flist tests. */
final class FlistTestSupport {
    static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    static final IdNames NAMES = IdNames.of(Map.of(0, "root", 1000, "alice", 1001, "bob"),
            Map.of(0, "root", 100, "users", 5, "tty"));

    private FlistTestSupport() {
    }

    static FlistOptions opts(int protocol, boolean varint, int csumLen) {
        return new FlistOptions(protocol, varint, true, true, true, true, true, false, protocol >= 30,
                protocol >= 31, csumLen, false, true);
    }

    static byte[] write(FlistOptions o, List<FileEntry> entries, int ioError) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        FileListWriter w = new FileListWriter(new WireOutput(bos), o, NAMES);
        for (FileEntry e : entries) {
            w.write(e);
        }
        w.end(ioError);
        return bos.toByteArray();
    }

    static FileListResult read(FlistOptions o, byte[] bytes) throws IOException {
        ByteArrayInputStream bis = new ByteArrayInputStream(bytes);
        FileListResult r = new FileListReader(new WireInput(bis), o).readAll();
        if (bis.available() != 0) {
            throw new AssertionError(bis.available() + " bytes left after the file list");
        }
        return r;
    }

    static byte[] hex(String s) {
        return HEX.parseHex(s.trim().replaceAll("\\s+", " "));
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }
}
