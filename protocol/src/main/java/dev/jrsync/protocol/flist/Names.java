package dev.jrsync.protocol.flist;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Path-name rules shared by the file-list reader and writer. Names are handled as UTF-8: a name
 * whose bytes are not valid UTF-8 cannot be represented and is refused rather than altered.
 * Stateless; thread-safe.
 */
final class Names {
    private Names() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes strictly; {@code what} names the field in the error. */
    static String decode(byte[] b, String what) throws RsyncException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw RsyncException.protocol(what + ": bytes " + HexFormat.of().formatHex(b, 0, Math.min(b.length, 64))
                    + (b.length > 64 ? "..." : "") + " (expected: valid UTF-8; non-UTF-8 names are not supported)");
        }
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
