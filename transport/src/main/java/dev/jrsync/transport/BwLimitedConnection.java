package dev.jrsync.transport;

import dev.jrsync.protocol.wire.BwLimit;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link Connection} whose output is paced by {@link BwLimit} (rsync's {@code --bwlimit}); everything else is
 * the wrapped connection's. Thread-safety as in {@link Connection}.
 */
public final class BwLimitedConnection implements Connection {
    private final Connection delegate;
    private final OutputStream output;

    private BwLimitedConnection(Connection delegate, int kibPerSecond) {
        this.delegate = delegate;
        this.output = BwLimit.wrap(delegate.output(), kibPerSecond);
    }

    /** {@code c} limited to {@code kibPerSecond} KiB/s of output, or {@code c} itself for 0 (no limit). */
    public static Connection of(Connection c, int kibPerSecond) {
        Objects.requireNonNull(c, "c");
        return kibPerSecond <= 0 ? c : new BwLimitedConnection(c, kibPerSecond);
    }

    @Override
    public InputStream input() {
        return delegate.input();
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return delegate.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return delegate.localAddress();
    }

    @Override
    public void setReadTimeout(Duration timeout) {
        delegate.setReadTimeout(timeout);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void reset() {
        delegate.reset();
    }
}
