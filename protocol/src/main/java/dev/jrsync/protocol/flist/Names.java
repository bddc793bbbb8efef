package dev.jrsync.protocol.flist;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Path-name rules shared by the file-list reader and writer. Names are bytes; see
 * {@link dev.jrsync.protocol.fs.NameBytes} for how they are carried.
 * Stateless; thread-safe.
 */
final class Names {
    private Names() {
    }

    /**
     * Why a name (after any -R leading slash was stripped) is not a safe relative path, or null
     * if it is. Stricter than flist.c:recv_file_entry(), which cleans "a//b", "a/./b" and "a/"
     * silently: a stock sender never sends those, so they are refused here.
     */
    static String unsafeReason(byte[] name) {
        if (name.length == 0) {
            return "empty name";
        }
        if (name.length == 1 && name[0] == '.') {
            return null;
        }
        int start = 0;
        for (int i = 0; i <= name.length; i++) {
            if (i < name.length && name[i] == 0) {
                return "NUL byte";
            }
            if (i == name.length || name[i] == '/') {
                int len = i - start;
                if (len == 0) {
                    return "empty path component";
                }
                if (len == 1 && name[start] == '.') {
                    return "\".\" component";
                }
                if (len == 2 && name[start] == '.' && name[start + 1] == '.') {
                    return "\"..\" component";
                }
                start = i + 1;
            }
        }
        return null;
    }

    static RsyncException unsafe(String shown, String reason) {
        // Wording and exit code (RERR_UNSUPPORTED) as flist.c:recv_file_entry(); the reason is ours.
        return new RsyncException(ExitCode.RERR_UNSUPPORTED,
                "ABORTING due to unsafe pathname from sender: " + shown + " (" + reason + ")");
    }
}
