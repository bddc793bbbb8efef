package dev.jrsync.client;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.checksum.ChecksumType;
import dev.jrsync.protocol.flist.FileEntry;
import dev.jrsync.protocol.handshake.Greeting;
import dev.jrsync.protocol.token.CompressionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --help, --version, arguments that name no daemon, and the --list-only line format. */
class UsageAndLocationTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new ClientMain(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()).run(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void versionHasStocksShapeAndTheEnginesLists() {
        Run r = run("--version");
        assertEquals(0, r.exit());
        Matcher m = Pattern.compile("^(\\S+)\\s+version (\\S+)\\s+protocol version (\\d+)\n").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals("jrsync", m.group(1));
        assertEquals(Greeting.NEWEST_SUPPORTED, Integer.parseInt(m.group(3)));
        assertTrue(r.out().contains("Checksum list:\n    xxh128 xxh3 xxh64 (xxhash) md5 md4 sha1 none\n"), r.out());
        assertTrue(r.out().contains("Compress list:\n    zstd lz4 zlibx zlib none\n"), r.out());
        assertTrue(r.out().contains("Daemon auth list:\n    " + String.join(" ", Greeting.OUR_DIGESTS) + "\n"), r.out());
        for (ChecksumType t : ChecksumType.values()) {
            assertTrue(Usage.checksumList().contains(t.wireName()), t.wireName());
        }
        assertEquals(CompressionType.values().length, Usage.compressList().split(" ").length);
        assertEquals(r.out(), run("-V").out());
    }

    @Test
    void helpCoversTheClientOptionsAndDaemonMode() {
        Run r = run("--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("jrsync --daemon [--config=FILE] [--no-detach] [--port=PORT] [--address=ADDR]"),
                r.out());
        assertTrue(r.out().contains("Use \"jrsync --daemon --help\" to see the daemon-mode command-line options."));
        CommandLine.Model.CommandSpec spec = new CommandLine(new ClientOptions()).getCommandSpec();
        for (CommandLine.Model.OptionSpec o : spec.options()) {
            assertTrue(r.out().contains("\n" + Usage.optionLine(o) + "\n"), o.longestName());
        }
        assertTrue(r.out().contains("\n--list-only              list the files instead of copying them\n"), r.out());
        assertTrue(r.out().contains("\n--block-size=SIZE, -B    force a fixed checksum block-size\n"), r.out());
        assertTrue(r.out().contains("--rsh=COMMAND, -e"), r.out());
        assertEquals(r.out(), run("-h").out(), "a lone -h is --help");
    }

    /** Stock's answers (3.5.0, checked by hand: `rsync ARGS`) to location combinations main.c refuses. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "h1:a h2:b dst;All source args must come from the same machine.;Receiver",
            "a h:b rsync://h/m/;Unexpected remote arg: h:b;sender",
            "h:a b:c;The source and destination cannot both be remote.;Receiver",
            "h:a localf dst;Unexpected local arg: localf\\nIf arg is a remote file/dir, prefix it with a colon (:).;Receiver",
            "--password-file=/etc/hostname src h:dst;The --password-file option may only be used when accessing an rsync daemon.;sender",
            "--contimeout=3 src h:dst;The --contimeout option may only be used when connecting to an rsync daemon.;sender",
            "-e x\" src h:dst;Missing trailing-\" in remote-shell command.;sender"})
    void locationErrorsAreStocks(String args, String message, String role) {
        Run r = run(args.split(" "));
        assertEquals(ExitCode.RERR_SYNTAX, r.exit(), r.err());
        assertEquals(message.replace("\\n", "\n") + "\nrsync error: syntax or usage error (code 1) [" + role + "=jrsync "
                + Usage.VERSION_NUMBER + "]\n", r.err());
    }

    @Test
    void daemonAddressesAreNotRemoteShell() {
        assertTrue(ShellSpec.parse("rsync://host/mod/x:y").isEmpty());
        assertTrue(ShellSpec.parse("host::mod/x").isEmpty());
        assertTrue(ShellSpec.parse("/abs/a:b").isEmpty());
        assertTrue(ShellSpec.parse("./a:b").isEmpty());
        assertEquals(new ShellSpec(null, "h", ""), ShellSpec.parse("h:").orElseThrow());
        assertEquals(".", ShellSpec.parse("h:").orElseThrow().serverPath());
        assertEquals(new ShellSpec("u", "::1", "p/q"), ShellSpec.parse("u@[::1]:p/q").orElseThrow());
        assertEquals(new ShellSpec(null, "", "more"), ShellSpec.parse(":more").orElseThrow());
    }

    @Test
    void listLinesAreStocksColumns() {
        ListFileEntry utc = new ListFileEntry(1, true, ZoneId.of("UTC"));
        FileEntry f = FileEntry.of("big.bin", 0100644, 1_234_567L, 1_262_304_000L);
        assertEquals("-rw-r--r--      1,234,567 2010/01/01 00:00:00 big.bin", utc.line(f));
        assertEquals("-rw-r--r--     1234567 2010/01/01 05:30:00 big.bin",
                new ListFileEntry(0, true, ZoneId.of("Asia/Kolkata")).line(f));
        assertEquals("-rw-r--r--          1.23M 2010/01/01 00:00:00 big.bin",
                new ListFileEntry(2, true, ZoneId.of("UTC")).line(f));
        assertEquals("-rw-r--r--          1.18M 2010/01/01 00:00:00 big.bin",
                new ListFileEntry(3, true, ZoneId.of("UTC")).line(f));
        FileEntry l = new FileEntry("link", 0120777, 9, 1_262_304_000L, 0, 0, 0, 0, 0, "small.txt", null, 0);
        assertEquals("lrwxrwxrwx              9 2010/01/01 00:00:00 link -> small.txt", utc.line(l));
        assertEquals("lrwxrwxrwx              9 2010/01/01 00:00:00 link",
                new ListFileEntry(1, false, ZoneId.of("UTC")).line(l));
        assertEquals("-rwsr-Sr-t", ListFileEntry.permstring(0107745));
        assertEquals("drwxrwxrwT", ListFileEntry.permstring(041776));
        assertEquals("prw-------", ListFileEntry.permstring(010600));
        assertEquals("srwx------", ListFileEntry.permstring(0140700));
        assertEquals("crw-rw----", ListFileEntry.permstring(020660));
        assertEquals("brw-rw----", ListFileEntry.permstring(060660));
        assertEquals("12,345,678,901", HumanNum.format(12_345_678_901L, 1));
        assertEquals("999", HumanNum.format(999, 2));
        assertEquals("0", HumanNum.format(0, 1));
        assertTrue(Arrays.asList("-1,000").contains(HumanNum.format(-1000, 1)));
    }
}
