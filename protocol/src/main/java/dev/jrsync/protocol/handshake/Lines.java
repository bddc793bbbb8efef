package dev.jrsync.protocol.handshake;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The text phase of a daemon connection: "\n"-terminated lines and the argument list. Reads one
 * byte at a time so nothing after the text phase is consumed. Stateless; blocking.
 */
public final class Lines {
    /** Longest greeting, module or auth line accepted; rsync's own buffers are smaller. */
    public static final int MAX_LINE = 4096;
    /** Most server arguments accepted (rsync's own limit is about 16000). */
    public static final int MAX_ARGS = 16000;
    public static final int MAX_ARG_BYTES = 8192;

    private Lines() {
    }

    /** Reads a line without its "\n" (a trailing "\r" is dropped); null at EOF before any byte. */
    public static String read(InputStream in, int max) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (buf.size() == 0) {
                    return null;
                }
                throw new RsyncException(ExitCode.RERR_STREAMIO, "connection unexpectedly closed");
            }
            if (b == '\n') {
                break;
            }
            if (buf.size() >= max) {
                throw new RsyncException(ExitCode.RERR_PROTOCOL, "line length: more than " + max
                        + " bytes (expected: <= " + max + ")");
            }
            buf.write(b);
        }
        String s = buf.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    public static void write(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Reads the server argument list: NUL-terminated for protocol 30+, newline-terminated before;
     * an empty argument ends it (io.c:read_args()).
     */
    public static List<String> readArgs(InputStream in, int protocol) throws IOException {
        int sep = protocol >= 30 ? 0 : '\n';
        List<String> args = new ArrayList<>();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new RsyncException(ExitCode.RERR_STREAMIO, "connection unexpectedly closed");
            }
            if (b == sep) {
                if (buf.size() == 0) {
                    return args;
                }
                if (args.size() >= MAX_ARGS) {
                    throw new RsyncException(ExitCode.RERR_PROTOCOL, "argument count: more than " + MAX_ARGS);
                }
                args.add(buf.toString(StandardCharsets.UTF_8));
                buf.reset();
                continue;
            }
            if (buf.size() >= MAX_ARG_BYTES) {
                throw new RsyncException(ExitCode.RERR_PROTOCOL, "argument length: more than " + MAX_ARG_BYTES);
            }
            buf.write(b);
        }
    }

    public static void writeArgs(OutputStream out, List<String> args, int protocol) throws IOException {
        int sep = protocol >= 30 ? 0 : '\n';
        for (String a : args) {
            out.write(a.getBytes(StandardCharsets.UTF_8));
            out.write(sep);
        }
        out.write(sep);
        out.flush();
    }
}
