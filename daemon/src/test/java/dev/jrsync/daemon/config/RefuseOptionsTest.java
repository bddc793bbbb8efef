package dev.jrsync.daemon.config;

import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.handshake.ServerArgs;
import dev.jrsync.protocol.handshake.TransferOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Expectations marked "stock" are what stock rsyncd 3.2.7 answered a stock 3.2.7 client for the
 * same module setting and the arguments that client sends (rsync -r [opts] f
 * rsync://127.0.0.1:PORT/mod/ with "refuse options = SPEC"); those marked "3.5.0" follow 3.5.0's
 * options.c, where an exact rule also refuses the option's aliases (3.2.7 let them through).
 */
class RefuseOptionsTest {
    private static String refusal(String spec, String... args) throws RsyncException {
        TransferOptions o = ServerArgs.parse(List.of(args));
        return RefuseOptions.refusal(spec, o.givenOptions, o.compress, o.deleting()).orElse("");
    }

    @ParameterizedTest(name = "refuse options = {0}; {1}")
    @CsvSource(delimiter = ';', value = {
            "delete compress; --server -re.iLsfxCIvu --delete . m/; --delete",                       // stock
            "delete compress; --server -rze.iLsfxCIvu . m/; --compress (-z)",                         // stock
            "delete compress; --server -re.iLsfxCIvu --compress-choice=lz4 . m/; --compress (-z)",    // stock
            "delete compress; --server -re.iLsfxCIvu . m/; ''",                                       // stock
            "a; --server -logDtpre.iLsfxCIvu . m/; --links (-l)",                                     // stock
            "a; --server -re.iLsfxCIvu . m/; --recursive (-r)",                                       // stock
            "del* !delete-during; --server -re.iLsfxCIvu --delete-during . m/; --delete",             // stock
            "del* !delete-during; --server -re.iLsfxCIvu --delete-after . m/; --delete-after",        // stock
            "*; --server -nre.iLsfxCIvu . m/; --recursive (-r)",                                      // stock
            "n; --server -nre.iLsfxCIvu . m/; --dry-run (-n)",                                        // stock
            "*; --server -vre.iLsfxCIvu . m/; --verbose (-v)",                                        // stock
            "* !v !r; --server -vne.iLsfxCIvu --log-format=%i . m/; ''",                              // -n, -e, log-format exact-only
            "del; --server -re.iLsfxCIvu --delete-during . m/; --delete-during",                      // 3.5.0
            "zc; --server -re.iLsfxCIvu --compress-choice=zstd . m/; --compress-choice",              // 3.5.0
            "log-format; --server -re.iLsfxCIvu --log-format=%i . m/; --log-format",
            "'  '; --server -rze.iLsfxCIvu --delete . m/; ''"})
    void refusesAsStockDoes(String spec, String args, String expected) throws RsyncException {
        String got = refusal(spec, args.split(" "));
        assertEquals(expected.isEmpty() ? "" : "The server is configured to refuse " + expected, got);
    }
}
