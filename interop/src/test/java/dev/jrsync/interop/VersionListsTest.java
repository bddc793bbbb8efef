package dev.jrsync.interop;

import dev.jrsync.interop.support.Jrsync;
import dev.jrsync.interop.support.JrsyncDaemon;
import dev.jrsync.interop.support.ModuleSpec;
import dev.jrsync.interop.support.Proc;
import dev.jrsync.interop.support.StockRsync;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jrsync --version} against the stock binary: the same first-line shape ("protocol version
 * N" parses), the same checksum, compress and daemon auth lists as stock's own --version, and every
 * name in jrsync's lists is one a stock client really negotiates with the jrsync daemon (chosen
 * with --cc / --zc, and the negotiated defaults are the lists' first names).
 */
@Tag("legacy-peer")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class VersionListsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern FIRST_LINE = Pattern.compile("^(\\S+)\\s+version (\\S+)\\s+protocol version (\\d+)$",
            Pattern.MULTILINE);

    @TempDir
    Path tmp;

    private static String list(String version, String heading) {
        Matcher m = Pattern.compile("^" + Pattern.quote(heading) + ":\n    (.*)$", Pattern.MULTILINE).matcher(version);
        assertTrue(m.find(), heading + " missing in\n" + version);
        return m.group(1);
    }

    @Test
    void listsMatchStockAndAreWhatStockNegotiatesWithJrsync() throws Exception {
        String ours = Jrsync.client(List.of("--version"), Map.of(), TIMEOUT).expectSuccess().stdout();
        String stock = StockRsync.client(List.of("--version"), Map.of(), TIMEOUT).expectSuccess().stdout();
        Matcher m = FIRST_LINE.matcher(ours);
        assertTrue(m.find() && m.start() == 0, ours);
        assertEquals("jrsync", m.group(1));
        assertEquals(StockRsync.protocolVersion(), Integer.parseInt(m.group(3)), "newest protocol");
        for (String heading : List.of("Checksum list", "Compress list", "Daemon auth list")) {
            assertEquals(list(stock, heading), list(ours, heading), heading);
        }

        Path src = Files.createDirectory(tmp.resolve("src"));
        Files.writeString(src.resolve("f.txt"), "some text to compress ".repeat(500));
        try (JrsyncDaemon d = JrsyncDaemon.start(tmp.resolve("d"), List.of(ModuleSpec.of("mod", src)))) {
            List<String> failures = new ArrayList<>();
            int n = 0;
            for (String word : list(ours, "Checksum list").split(" ")) {
                String name = word.replaceAll("[()]", "");
                Proc.Result r = pull(d, tmp.resolve("c" + n++), "--cc=" + name);
                if (r.exitCode() != 0 || !r.stdout().contains("Client checksum: " + name + "\n")) {
                    failures.add(r.describe());
                }
            }
            for (String name : list(ours, "Compress list").split(" ")) {
                Proc.Result r = pull(d, tmp.resolve("z" + n++), "-z", "--zc=" + name);
                boolean said = name.equals("none") ? !r.stdout().contains("compress:")
                        : r.stdout().contains("Client compress: " + name + " ");
                if (r.exitCode() != 0 || !said) {
                    failures.add(r.describe());
                }
            }
            Proc.Result r = pull(d, tmp.resolve("neg"), "-z");
            String firstSum = list(ours, "Checksum list").split(" ")[0];
            String firstZ = list(ours, "Compress list").split(" ")[0];
            if (!r.stdout().contains("Client negotiated checksum: " + firstSum + "\n")
                    || !r.stdout().contains("Client negotiated compress: " + firstZ + " ")) {
                failures.add(r.describe());
            }
            assertTrue(failures.isEmpty(), String.join("\n", failures));
        }
    }

    private static Proc.Result pull(JrsyncDaemon d, Path dest, String... opts) throws Exception {
        List<String> args = new ArrayList<>(List.of("--debug=NSTR"));
        args.addAll(List.of(opts));
        args.add("rsync://127.0.0.1:" + d.port() + "/mod/f.txt");
        args.add(dest + "/");
        Proc.Result r = StockRsync.client(args, Map.of(), TIMEOUT);
        if (r.exitCode() == 0) {
            assertEquals(Files.readString(d.configFile().getParent().getParent().resolve("src/f.txt")),
                    Files.readString(dest.resolve("f.txt")), r.describe());
        }
        return r;
    }
}
