package dev.jrsync.client;

import dev.jrsync.protocol.session.TransferResult;

import java.io.IOException;

/** The client side of one transfer, run by a link ({@link RemoteShellLink}, {@link LocalPipe}) around it. */
@FunctionalInterface
interface TransferBody {
    TransferResult run() throws IOException;
}
