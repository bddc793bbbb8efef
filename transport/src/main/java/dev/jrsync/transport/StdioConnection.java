package dev.jrsync.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A connection over a process's stdin and stdout, as a daemon started by a remote shell
 * ({@code rsync --server --daemon .}) has one. The peer's address comes from the ssh environment
 * (SSH_CONNECTION, then SSH_CLIENT: clientserver.c:client_addr() without a socket), else 0.0.0.0.
 * Read timeouts are not enforced on plain streams (the remote shell's own keep-alives apply).
 * Thread-safe close.
 */
public final class StdioConnection implements Connection {
    private final StreamDuplex streams;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;

    public StdioConnection(InputStream in, OutputStream out, java.util.Map<String, String> env) {
        this.streams = new StreamDuplex(in, out);
        String ssh = env.getOrDefault("SSH_CONNECTION", env.get("SSH_CLIENT"));
        String[] parts = ssh == null ? new String[0] : ssh.trim().split("\\s+");
        this.remote = address(parts.length > 0 ? parts[0] : null, parts.length > 1 ? parts[1] : null);
        this.local = address(parts.length > 2 ? parts[2] : null, parts.length > 3 ? parts[3] : null);
    }

    private static InetSocketAddress address(String host, String port) {
        int p = 0;
        try {
            p = port == null ? 0 : Integer.parseInt(port);
        } catch (NumberFormatException ignored) {
            // Not a port: 0.
        }
        if (host != null && host.matches("[0-9a-fA-F:.]+")) {
            try {
                // A numeric literal: parsed, never looked up.
                return new InetSocketAddress(InetAddress.getByName(host), p);
            } catch (IOException ignored) {
                // Fall through to the unknown peer.
            }
        }
        return SocketChannelConnection.UNKNOWN_PEER;
    }

    @Override
    public InputStream input() {
        return streams.input();
    }

    @Override
    public OutputStream output() {
        return streams.output();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public void setReadTimeout(Duration timeout) {
        // Plain streams have no timeout; see the class comment.
    }

    @Override
    public void close() {
        streams.close();
    }
}
