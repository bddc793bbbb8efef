package dev.jrsync.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The HTTP CONNECT exchange rsync runs through {@code RSYNC_PROXY} (socket.c:establish_proxy_connection()): sends
 * {@code CONNECT HOST:PORT HTTP/1.0}, with a basic Proxy-Authorization header when the proxy specification has a
 * USER:PASS@ prefix, accepts any 2xx status and discards the rest of the reply header, reading one byte at a time
 * so that nothing of the daemon's greeting is consumed. Stateless; thread-safe.
 */
public final class ProxyConnect {
    /** socket.c: the request and each reply line must fit this buffer. */
    static final int BUF_SIZE = 1024;

    /**
     * What stock prints when the proxy closes before its reply is complete: read() returns 0 and the errno it
     * reports is the one left by the non-blocking connect.
     */
    static final String EOF_REASON = "Operation now in progress (115)";

    private ProxyConnect() {
    }

    /** A parsed {@code RSYNC_PROXY}: [USER:PASS@]HOST:PORT. */
    public record Spec(String host, String port, String user, String password) {
        /**
         * socket.c:open_socket_out()'s reading of RSYNC_PROXY: the last '@' ends the credentials, the first ':'
         * of each part separates user from password and host from port.
         *
         * @return the specification, or empty after reporting stock's "invalid proxy specification" message
         */
        public static Optional<Spec> parse(String value, Consumer<String> errors) {
            String hostPort = value;
            String user = null;
            String password = null;
            int at = value.lastIndexOf('@');
            if (at >= 0) {
                String credentials = value.substring(0, at);
                hostPort = value.substring(at + 1);
                int colon = credentials.indexOf(':');
                if (colon < 0) {
                    errors.accept("invalid proxy specification: should be USER:PASS@HOST:PORT");
                    return Optional.empty();
                }
                user = credentials.substring(0, colon);
                password = credentials.substring(colon + 1);
            }
            int colon = hostPort.indexOf(':');
            if (colon < 0) {
                errors.accept("invalid proxy specification: should be HOST:PORT");
                return Optional.empty();
            }
            // socket.c copies the port into a 10-byte buffer.
            String port = hostPort.substring(colon + 1);
            return Optional.of(new Spec(hostPort.substring(0, colon), port.length() > 9 ? port.substring(0, 9) : port,
                    user, password));
        }
    }

    /**
     * Asks the proxy on {@code in}/{@code out} for a tunnel to {@code host}:{@code port}.
     *
     * @return true when the proxy agreed and its reply header has been consumed; false after reporting why not
     *         (stock's messages) to {@code errors}
     */
    public static boolean establish(InputStream in, OutputStream out, String host, int port, Spec spec,
                                    Consumer<String> errors) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                errors.accept("invalid control character in proxy CONNECT host");
                return false;
            }
        }
        String auth = "";
        if (spec.user() != null && spec.password() != null) {
            byte[] credentials = (spec.user() + ":" + spec.password()).getBytes(StandardCharsets.UTF_8);
            if ((credentials.length * 8 + 5) / 6 >= BUF_SIZE - 3) {
                errors.accept("authentication information is too long");
                return false;
            }
            auth = "\r\nProxy-Authorization: Basic " + Base64.getEncoder().encodeToString(credentials);
        }
        byte[] request = ("CONNECT " + host + ":" + port + " HTTP/1.0" + auth + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        if (request.length >= BUF_SIZE) {
            errors.accept("proxy CONNECT request too long");
            return false;
        }
        try {
            out.write(request);
            out.flush();
        } catch (IOException e) {
            errors.accept("rsync: failed to write to proxy: " + NettyClient.describe(e));
            return false;
        }
        try {
            String status = readLine(in);
            if (status == null) {
                errors.accept("proxy response line too long");
                return false;
            }
            if (!status.startsWith("HTTP/")) {
                errors.accept("bad response from proxy -- " + status);
                return false;
            }
            int i = 5;
            while (i < status.length() && (Character.isDigit(status.charAt(i)) || status.charAt(i) == '.')) {
                i++;
            }
            while (i < status.length() && status.charAt(i) == ' ') {
                i++;
            }
            if (i >= status.length() || status.charAt(i) != '2') {
                errors.accept("bad response from proxy -- " + status);
                return false;
            }
            while (true) {
                String header = readLine(in);
                if (header == null) {
                    errors.accept("proxy response header line too long");
                    return false;
                }
                if (header.isEmpty()) {
                    return true;
                }
            }
        } catch (IOException e) {
            errors.accept("rsync: failed to read from proxy: "
                    + (e instanceof java.io.EOFException ? EOF_REASON : NettyClient.describe(e)));
            return false;
        }
    }

    /**
     * One reply line without its LF (and a CR before it), read byte by byte; null when it does not fit the
     * buffer.
     *
     * @throws java.io.EOFException when the proxy closes first
     */
    private static String readLine(InputStream in) throws IOException {
        byte[] buffer = new byte[BUF_SIZE];
        int n = 0;
        while (n < BUF_SIZE - 1) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException();
            }
            if (b == '\n') {
                if (n > 0 && buffer[n - 1] == '\r') {
                    n--;
                }
                return new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
            }
            buffer[n++] = (byte) b;
        }
        return null;
    }
}
