package dev.jrsync.interop.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The four directions (stock client to jrsync daemon, push and pull; jrsync client to stock
 * daemon, push and pull) plus jrsync to jrsync, each run next to stock to stock: one stock and
 * one jrsync daemon serving {@code src} (the source tree) and a writable {@code push-TAG} module
 * per pairing; pulls go to {@code work/pull-TAG}. {@link #round} runs one command in every
 * pairing; the {@code assert...} methods compare each pairing with stock to stock. Not
 * thread-safe; close it to stop both daemons (by PID).
 */
public final class DirectionMatrix implements AutoCloseable {
    /** A client and a daemon implementation; STOCK/STOCK is the reference. */
    public record Combo(Peer client, Peer daemon) {
        public String tag() {
            return client.name().charAt(0) + "" + daemon.name().charAt(0);
        }

        @Override
        public String toString() {
            return client + " client -> " + daemon + " daemon";
        }
    }

    public static final List<Combo> COMBOS = List.of(
            new Combo(Peer.STOCK, Peer.STOCK),
            new Combo(Peer.STOCK, Peer.JRSYNC),
            new Combo(Peer.JRSYNC, Peer.STOCK),
            new Combo(Peer.JRSYNC, Peer.JRSYNC));
    private static final Combo REFERENCE = COMBOS.getFirst();

    /** What one round printed: per pairing, the push and the pull client's result. */
    public record Round(String label, Map<Combo, Proc.Result> push, Map<Combo, Proc.Result> pull) {
    }

    /** The module {@link #start(Path, Path, Duration)} serves its source tree as. */
    public static final String SRC = "src";

    private final Path work;
    private final Map<String, Path> sources;
    private final Duration timeout;
    private final RsyncDaemon stock;
    private final RsyncDaemon ours;

    private DirectionMatrix(Path work, Map<String, Path> sources, Duration timeout, RsyncDaemon stock,
                            RsyncDaemon ours) {
        this.work = work;
        this.sources = sources;
        this.timeout = timeout;
        this.stock = stock;
        this.ours = ours;
    }

    /** Starts both daemons for {@code src} (module {@value #SRC}), with state and destinations under {@code work}. */
    public static DirectionMatrix start(Path work, Path src, Duration timeout) throws IOException, InterruptedException {
        return start(work, Map.of(SRC, src), timeout);
    }

    /**
     * Starts both daemons serving each of {@code sources} (module name to tree, read-only), so one pair of daemons
     * can serve many cases: {@link #round(String, String, List)} names the source, {@link #clearDestinations()}
     * empties what earlier cases wrote.
     */
    public static DirectionMatrix start(Path work, Map<String, Path> sources, Duration timeout)
            throws IOException, InterruptedException {
        Map<Peer, List<ModuleSpec>> modules = new EnumMap<>(Peer.class);
        for (Peer p : Peer.values()) {
            List<ModuleSpec> list = new ArrayList<>();
            sources.forEach((name, path) -> list.add(ModuleSpec.of(name, path)));
            modules.put(p, list);
        }
        for (Combo c : COMBOS) {
            modules.get(c.daemon()).add(ModuleSpec.of("push-" + c.tag(),
                    Files.createDirectories(work.resolve("push-" + c.tag()))).writable());
        }
        RsyncDaemon stock = Peer.STOCK.startDaemon(work.resolve("stockd"), modules.get(Peer.STOCK));
        try {
            RsyncDaemon ours = Peer.JRSYNC.startDaemon(work.resolve("jrsyncd"), modules.get(Peer.JRSYNC));
            return new DirectionMatrix(work, Map.copyOf(sources), timeout, stock, ours);
        } catch (IOException | InterruptedException | RuntimeException e) {
            stock.close();
            throw e;
        }
    }

    /** Runs {@code rsync -a OPTIONS} as a push and as a pull in every pairing; every run must succeed. */
    public Round round(String label, List<String> options) throws IOException, InterruptedException {
        return round(label, SRC, options);
    }

    /** As {@link #round(String, List)} from the source tree served as module {@code source}. */
    public Round round(String label, String source, List<String> options) throws IOException, InterruptedException {
        Path src = sources.get(source);
        if (src == null) {
            throw new IllegalArgumentException("no source module " + source + " (have: " + sources.keySet() + ")");
        }
        Map<Combo, Proc.Result> push = new LinkedHashMap<>();
        Map<Combo, Proc.Result> pull = new LinkedHashMap<>();
        for (Combo c : COMBOS) {
            RsyncDaemon d = c.daemon() == Peer.STOCK ? stock : ours;
            push.put(c, run(c.client(), options, src + "/", d.url("push-" + c.tag())));
            pull.put(c, run(c.client(), options, d.url(source), work.resolve("pull-" + c.tag()) + "/"));
        }
        return new Round(label, push, pull);
    }

    /**
     * Empties every push module and removes every pull destination, so the next round starts as on fresh daemons
     * (both daemons read their configuration per connection and keep no state between connections).
     */
    public void clearDestinations() throws IOException {
        for (Combo c : COMBOS) {
            Path push = work.resolve("push-" + c.tag());
            deleteTree(push);
            Files.createDirectories(push);
            deleteTree(work.resolve("pull-" + c.tag()));
        }
    }

    /**
     * Copies every pairing's push and pull destination into {@code dir} with {@code cp -a} (modes, times, links,
     * FIFOs kept), so a class can run an identical first round once and {@link #restoreDestinations} it per case.
     */
    public void saveDestinations(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        for (Combo c : COMBOS) {
            for (String d : List.of("push-" + c.tag(), "pull-" + c.tag())) {
                copy(work.resolve(d), dir.resolve(d));
            }
        }
    }

    /** Replaces every destination with the copy {@link #saveDestinations} made in {@code dir}. */
    public void restoreDestinations(Path dir) throws IOException, InterruptedException {
        for (Combo c : COMBOS) {
            for (String d : List.of("push-" + c.tag(), "pull-" + c.tag())) {
                deleteTree(work.resolve(d));
                copy(dir.resolve(d), work.resolve(d));
            }
        }
    }

    private void copy(Path from, Path to) throws IOException, InterruptedException {
        deleteTree(to);
        Proc.run(List.of("cp", "-a", from.toString(), to.toString()), Map.of(), null, timeout).expectSuccess();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private Proc.Result run(Peer client, List<String> options, String from, String to)
            throws IOException, InterruptedException {
        List<String> a = new ArrayList<>(List.of("-a"));
        a.addAll(options);
        a.add(from);
        a.add(to);
        return client.client(a, Map.of(), timeout).expectSuccess();
    }

    /** Every pairing's push and pull destination equals stock to stock's. */
    public void assertTreesMatch(Round r) throws IOException {
        SortedMap<String, TreeAssert.Entry> pushRef = TreeAssert.snapshot(work.resolve("push-" + REFERENCE.tag()));
        SortedMap<String, TreeAssert.Entry> pullRef = TreeAssert.snapshot(work.resolve("pull-" + REFERENCE.tag()));
        for (Combo c : COMBOS) {
            List<String> d1 = TreeAssert.differences(pushRef, TreeAssert.snapshot(work.resolve("push-" + c.tag())));
            assertTrue(d1.isEmpty(), r.label() + ": push " + c + " differs from stock to stock:\n"
                    + String.join("\n", d1) + "\n" + r.push().get(c).describe());
            List<String> d2 = TreeAssert.differences(pullRef, TreeAssert.snapshot(work.resolve("pull-" + c.tag())));
            assertTrue(d2.isEmpty(), r.label() + ": pull " + c + " differs from stock to stock:\n"
                    + String.join("\n", d2) + "\n" + r.pull().get(c).describe());
        }
    }

    /** Every pairing printed the same itemized lines as stock to stock (sorted: incremental recursion reorders). */
    public void assertItemizeMatches(Round r) {
        for (Combo c : COMBOS) {
            assertEquals(itemized(r.push().get(REFERENCE)), itemized(r.push().get(c)),
                    r.label() + ": push " + c + " -i output\n" + r.push().get(c).describe());
            assertEquals(itemized(r.pull().get(REFERENCE)), itemized(r.pull().get(c)),
                    r.label() + ": pull " + c + " -i output\n" + r.pull().get(c).describe());
        }
    }

    /**
     * The round (run with --stats) was a delta for stock to stock (literal data below
     * {@code maxLiteral}) and every pairing sent literal data within 10% of stock's.
     */
    public void assertLiteralDataMatches(Round r, long maxLiteral) {
        for (var side : List.of(Map.entry("push", r.push()), Map.entry("pull", r.pull()))) {
            long ref = Stats.parse(side.getValue().get(REFERENCE).stdout()).literalData();
            assertTrue(ref > 0 && ref < maxLiteral, r.label() + ": stock-to-stock " + side.getKey()
                    + " was not a delta: literal data " + ref + " (expected: 1.." + maxLiteral + ")");
            for (Combo c : COMBOS) {
                Proc.Result got = side.getValue().get(c);
                long lit = Stats.parse(got.stdout()).literalData();
                assertTrue(Math.abs(lit - ref) <= ref / 10, r.label() + ": " + side.getKey() + " " + c
                        + ": literal data " + lit + " (expected: within 10% of stock's " + ref + ")\n" + got.describe());
            }
        }
    }

    /** The -i lines of a run, normalised and sorted. */
    public static List<String> itemized(Proc.Result r) {
        List<String> lines = new ArrayList<>(Itemize.normalise(r.stdout()));
        lines.sort(null);
        return lines;
    }

    @Override
    public void close() {
        try {
            ours.close();
        } finally {
            stock.close();
        }
    }
}
