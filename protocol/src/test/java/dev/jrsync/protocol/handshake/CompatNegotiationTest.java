package dev.jrsync.protocol.handshake;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.checksum.ChecksumType;
import dev.jrsync.protocol.token.CompressionType;
import dev.jrsync.protocol.token.TokenCodecs;
import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compat.clientSetup against Compat.serverSetup over pipes: lists, env overrides, levels, debug lines. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CompatNegotiationTest {
    /** Each side's RSYNC_COMPRESS_LIST, as the front end would pass it. */
    private static final java.util.Map<TransferOptions, NegotiationLists> LISTS =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    private static NegotiationLists lists(TransferOptions o) {
        return LISTS.getOrDefault(o, NegotiationLists.NONE);
    }

    private static final String CAPS = ".LsfxCIvu";

    private record Both(Compat.Result client, Compat.Result server) {
    }

    private static TransferOptions options(int protocol, String compressChoice, Integer level, String envList) {
        TransferOptions o = new TransferOptions();
        o.protocol = protocol;
        o.compress = true;
        o.compressChoice = compressChoice;
        if (level != null) {
            o.compressLevel = level;
        }
        LISTS.put(o, new NegotiationLists(envList, null));
        o.capabilities = protocol >= 30 ? CAPS : null;
        o.debugNstr = 1;
        return o;
    }

    private static Both run(int protocol, TransferOptions client, TransferOptions server) throws Exception {
        PipedInputStream toServer = new PipedInputStream(1 << 16);
        PipedOutputStream clientOut = new PipedOutputStream(toServer);
        PipedInputStream toClient = new PipedInputStream(1 << 16);
        PipedOutputStream serverOut = new PipedOutputStream(toClient);
        CompletableFuture<Compat.Result> s = CompletableFuture.supplyAsync(() -> {
            try {
                WireOutput out = new WireOutput(serverOut);
                Compat.Result r = Compat.serverSetup(new WireInput(toServer), out, protocol, server, lists(server));
                out.flush();
                return r;
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Compat.Result c = Compat.clientSetup(new WireInput(toClient), new WireOutput(clientOut), protocol, client, lists(client));
        return new Both(c, s.get(10, TimeUnit.SECONDS));
    }

    private static Both withEnv(int protocol, String clientEnv, String serverEnv) throws Exception {
        return run(protocol, options(protocol, null, null, clientEnv), options(protocol, null, null, serverEnv));
    }

    @ParameterizedTest(name = "client env [{0}], server env [{1}] -> {2}")
    @CsvSource(nullValues = "null", value = {
            "null, null, zstd",
            "'lz4 zlib', null, lz4",
            "null, 'zlibx zlib none', zlibx",
            "'zlib zstd', null, zlib",         // the client's preference, as 3.2-3.4 servers choose
            "null, 'zlib zstd', zstd",         // ... and what a client expects from them
            "'zlib&zstd', null, zlib",         // client part of "client&server"
            "null, 'zstd&lz4 zlib', lz4",      // server part
            "'bogus LZ4 lz4', null, lz4",      // unknown names and repeats dropped, case ignored
            "'   ', null, zstd"})              // blank means the canonical list
    void bothSidesAgree(String clientEnv, String serverEnv, String expected) throws Exception {
        Both b = withEnv(32, clientEnv, serverEnv);
        assertEquals(expected, b.client().compression().wireName());
        assertEquals(expected, b.server().compression().wireName());
        assertTrue(b.client().compressionNegotiated() && b.server().compressionNegotiated());
        assertEquals(b.client().checksum(), b.server().checksum());
        assertEquals(b.client().seed(), b.server().seed());
    }

    @Test
    void clientDebugLinesAreStocks() throws Exception {
        Both b = withEnv(32, null, null);
        assertEquals(List.of("Client negotiated checksum: xxh128", "Client negotiated compress: zstd (level 3)"),
                b.client().debugLines());
        assertTrue(b.server().debugLines().isEmpty());
        Both old = withEnv(29, null, null);
        assertEquals(CompressionType.ZLIB, old.client().compression());
        assertFalse(old.client().compressionNegotiated());
        assertEquals(ChecksumType.MD4, old.server().checksum());
        assertEquals("Client compress: zlib (level 6)", old.client().debugLines().get(1));
    }

    @ParameterizedTest(name = "{0} level {1} -> {2} level {3}")
    @CsvSource({
            "zlib, 0, none, 0", "zlib, -1, zlib, 6", "zlib, 20, zlib, 9", "zlibx, 1, zlibx, 1",
            "zstd, 0, zstd, 3", "zstd, -5, zstd, -5", "zstd, 99, zstd, 22", "lz4, 9, lz4, 0"})
    void levelsFollowInitCompressionLevel(String choice, int level, String type, int effective) throws Exception {
        Both b = run(32, options(32, choice, level, null), options(32, choice, level, null));
        for (Compat.Result r : List.of(b.client(), b.server())) {
            assertEquals(type, r.compression().wireName());
            assertEquals(effective, r.compressionLevel());
        }
        assertEquals("Client compress: " + type + " (level " + effective + ")", b.client().debugLines().get(1));
    }

    @Test
    void levelAloneIsDefault() {
        assertEquals(TokenCodecs.ZLIB_DEFAULT_LEVEL,
                TokenCodecs.effectiveLevel(CompressionType.ZLIB, TokenCodecs.LEVEL_NOT_SPECIFIED).getAsInt());
        assertEquals(0, TokenCodecs.skipLevel(CompressionType.ZLIBX, 6));
        assertEquals(3, TokenCodecs.skipLevel(CompressionType.ZSTD, 3));
    }

    /** The bytes a client sends after the compat flags: its checksum and compression lists. */
    private static byte[] clientLists(String checksums, String compressions) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        WireOutput out = new WireOutput(bytes);
        out.writeVstring(checksums);
        out.writeVstring(compressions);
        out.flush();
        return bytes.toByteArray();
    }

    private static RsyncException serverFails(byte[] clientBytes, TransferOptions o, int protocol) {
        return assertThrows(RsyncException.class, () -> Compat.serverSetup(
                new WireInput(new ByteArrayInputStream(clientBytes)), new WireOutput(new ByteArrayOutputStream()),
                protocol, o, lists(o)));
    }

    @Test
    void noCommonNameIsExit4WithStocksMessage() throws IOException {
        RsyncException e = serverFails(clientLists("xxh128 md5", "INVALID"), options(32, null, null, null), 32);
        assertEquals(ExitCode.RERR_UNSUPPORTED, e.exitCode());
        assertTrue(e.getMessage().startsWith("Failed to negotiate a compress choice.\nClient list: INVALID"),
                e.getMessage());
        RsyncException env = serverFails(clientLists("xxh128 md5", "zstd lz4"),
                options(32, null, null, "zlib"), 32);
        assertTrue(env.getMessage().contains("Server list: zlib"), env.getMessage());
    }

    @Test
    void aServerEnvListRefusesAnExplicitChoice() {
        RsyncException e = serverFails(new byte[0], options(32, "zstd", null, "zlib zlibx"), 32);
        assertEquals(ExitCode.RERR_UNSUPPORTED, e.exitCode());
        assertEquals("Your --compress-choice value (zstd) was refused by the server.", e.getMessage());
    }

    @Test
    void anOldPeersImpliedZlibMustBeAllowed() {
        // Protocol 29 negotiates nothing: -z is zlib, which this server's list excludes.
        RsyncException e = serverFails(new byte[0], options(29, null, null, "zstd lz4"), 29);
        assertTrue(e.getMessage().startsWith("Failed to negotiate a compress choice.\nClient list: zlib"),
                e.getMessage());
    }

    @Test
    void envListParsing() {
        List<String> canonical = Compat.CLIENT_COMPRESSIONS;
        assertEquals(List.of("INVALID"), Compat.envList("foo bar", false, canonical, s -> null));
        assertEquals(canonical, Compat.envList(null, true, canonical, s -> s));
        assertEquals(canonical, Compat.envList("zlib&", true, canonical, s -> s));
        assertEquals(List.of("zlib"), Compat.envList("zlib&", false, canonical, s -> s));
    }
}
