package dev.jrsync.protocol.delta;

/**
 * One element of a decoded token stream. A {@link Literal} may view a reader's reusable buffer:
 * consume it before asking for the next token. Values, thread-safe as far as their arrays are.
 */
public sealed interface Token {
    record Literal(byte[] data, int off, int len) implements Token {}

    record Match(int blockIndex) implements Token {}

    record End() implements Token {}
}
