package dev.jrsync.client;

import dev.jrsync.protocol.handshake.TransferOptions;
import dev.jrsync.protocol.token.TokenCodecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientOptionsTest {
    private static ClientOptions parse(String... args) {
        ClientOptions o = new ClientOptions();
        CommandLine cmd = new CommandLine(o);
        cmd.setPosixClusteredShortOptionsAllowed(true);
        cmd.parseArgs(args);
        return o;
    }

    @ParameterizedTest(name = "--debug={0} -> NSTR {1}")
    @CsvSource(delimiter = ';', value = {"nstr;1", "NSTR2;2", "all;1", "nstr2,none;0", "flist2,nstr;1", "io4;0",
            "nstr10;10"})
    void debugLevels(String flags, int level) {
        assertEquals(level, parse("--debug=" + flags, "a", "b").debugLevel("NSTR"));
    }

    @Test
    void unknownDebugWordsAreRefusedWithStocksMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("--debug=foo", "a", "b").debugLevel("NSTR"));
        assertEquals("Unknown --debug item: \"foo\"", e.getMessage());
    }

    @Test
    void compressionOptions() throws Exception {
        TransferOptions none = parse("a", "b").toTransferOptions();
        assertFalse(none.compress);
        assertEquals(TokenCodecs.LEVEL_NOT_SPECIFIED, none.compressLevel);
        TransferOptions level = parse("--zl=0", "a", "b").toTransferOptions();
        assertTrue(level.compress, "a level alone turns compression on, as in options.c");
        assertEquals(0, level.compressLevel);
        assertNull(level.compressChoice);
        assertFalse(parse("--zc=none", "-z", "a", "b").toTransferOptions().compress);
        assertEquals("zlibx", parse("--new-compress", "a", "b").toTransferOptions().compressChoice);
        assertEquals(0, parse("--zt=-2", "-z", "a", "b").toTransferOptions().compressThreads);
        assertEquals(4, parse("--compress-threads=4", "-z", "a", "b").toTransferOptions().compressThreads);
    }
}
