package dev.jrsync.transport;

/**
 * Serves one accepted connection; runs on its own virtual thread and may block freely. The server closes the
 * connection when this returns or throws; on a normal return it first flushes what the handler left buffered.
 */
@FunctionalInterface
public interface ConnectionHandler {
    void handle(Connection connection) throws Exception;
}
