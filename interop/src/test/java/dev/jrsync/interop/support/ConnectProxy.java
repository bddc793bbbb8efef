package dev.jrsync.interop.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A minimal HTTP CONNECT proxy on 127.0.0.1 and an ephemeral port, for {@code RSYNC_PROXY} tests: records each
 * request header, answers with a fixed status line and, for a 2xx status, relays bytes both ways to the requested
 * host and port (which must be on 127.0.0.1). Runs on virtual threads; thread-safe; {@link #close} stops accepting.
 */
public final class ConnectProxy implements AutoCloseable {
    private final ServerSocket server;
    private final String status;
    private final List<List<String>> requests = Collections.synchronizedList(new ArrayList<>());

    private ConnectProxy(String status) throws IOException {
        this.server = new ServerSocket(0, 16, Ports.loopback());
        this.status = status;
        Thread.ofVirtual().name("connect-proxy").start(this::acceptLoop);
    }

    /** A proxy that grants every tunnel. */
    public static ConnectProxy granting() throws IOException {
        return new ConnectProxy("HTTP/1.1 200 Connection established");
    }

    /** A proxy that answers every request with {@code statusLine} and closes. */
    public static ConnectProxy answering(String statusLine) throws IOException {
        return new ConnectProxy(statusLine);
    }

    /** The RSYNC_PROXY value for this proxy, optionally with {@code credentials} ("user:pass"). */
    public String spec(String credentials) {
        return (credentials == null ? "" : credentials + "@") + "127.0.0.1:" + server.getLocalPort();
    }

    /** Each request's header lines (without line ends), in arrival order. */
    public List<List<String>> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            List<String> header = new ArrayList<>();
            for (String l; !(l = line(in)).isEmpty(); ) {
                header.add(l);
            }
            requests.add(List.copyOf(header));
            OutputStream out = client.getOutputStream();
            out.write((status + "\r\nProxy-Agent: jrsync-test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String[] request = header.isEmpty() ? new String[0] : header.get(0).split(" ");
            if (!status.split(" ")[1].startsWith("2") || request.length < 2) {
                return;
            }
            String target = request[1];
            int colon = target.lastIndexOf(':');
            if (!target.substring(0, colon).equals("127.0.0.1")) {
                return;
            }
            try (Socket daemon = new Socket(Ports.loopback(), Integer.parseInt(target.substring(colon + 1)))) {
                Thread up = Thread.ofVirtual().start(() -> relay(client, daemon));
                relay(daemon, client);
                up.join(60_000);
            }
        } catch (IOException | RuntimeException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One header line without CR LF; "" at the blank line or EOF. */
    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    private static void relay(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // either side closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
