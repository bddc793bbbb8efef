package dev.jrsync.client;

import dev.jrsync.protocol.session.Stats;

import java.util.Locale;
import java.util.function.Consumer;

/** rsync's end-of-run report (main.c:output_summary()), byte for byte in its default (-h off) form. */
final class StatsReport {
    private StatsReport() {
    }

    static void full(Consumer<String> out, Stats s, int protocol, long sent, long received) {
        out.accept("");
        out.accept(counts("Number of files", s.numFiles.get(), s.numDirs.get(), s.numSymlinks.get(),
                s.numDevices.get(), s.numSpecials.get()));
        if (protocol >= 29) {
            long created = s.createdFiles.get() + s.createdDirs.get() + s.createdSymlinks.get()
                    + s.createdDevices.get() + s.createdSpecials.get();
            out.accept(counts("Number of created files", created, s.createdDirs.get(), s.createdSymlinks.get(),
                    s.createdDevices.get(), s.createdSpecials.get()));
        }
        if (protocol >= 31) {
            long deleted = s.deletedFiles.get() + s.deletedDirs.get() + s.deletedSymlinks.get()
                    + s.deletedDevices.get() + s.deletedSpecials.get();
            out.accept(counts("Number of deleted files", deleted, s.deletedDirs.get(), s.deletedSymlinks.get(),
                    s.deletedDevices.get(), s.deletedSpecials.get()));
        }
        out.accept("Number of regular files transferred: " + comma(s.transferredFiles.get()));
        out.accept("Total file size: " + comma(s.totalSize.get()) + " bytes");
        out.accept("Total transferred file size: " + comma(s.transferredSize.get()) + " bytes");
        out.accept("Literal data: " + comma(s.literalData.get()) + " bytes");
        out.accept("Matched data: " + comma(s.matchedData.get()) + " bytes");
        out.accept("File list size: " + comma(s.flistSize.get()));
        if (s.flistBuildMillis.get() > 0) {
            out.accept("File list generation time: " + String.format(Locale.ROOT, "%,.3f", s.flistBuildMillis.get() / 1000.0)
                    + " seconds");
            out.accept("File list transfer time: " + String.format(Locale.ROOT, "%,.3f", s.flistTransferMillis.get() / 1000.0)
                    + " seconds");
        }
        out.accept("Total bytes sent: " + comma(sent));
        out.accept("Total bytes received: " + comma(received));
    }

    static void summary(Consumer<String> out, Stats s, long sent, long received, boolean dryRun) {
        out.accept("");
        double secs = Math.max(1, (System.nanoTime() - START) / 1e9);
        out.accept("sent " + comma(sent) + " bytes  received " + comma(received) + " bytes  "
                + String.format(Locale.ROOT, "%,.2f", (sent + received) / secs) + " bytes/sec");
        double speedup = (sent + received) == 0 ? 0 : (double) s.totalSize.get() / (sent + received);
        out.accept("total size is " + comma(s.totalSize.get()) + "  speedup is "
                + String.format(Locale.ROOT, "%,.2f", speedup) + (dryRun ? " (DRY RUN)" : ""));
    }

    private static final long START = System.nanoTime();

    private static String counts(String prefix, long total, long dirs, long links, long devs, long specials) {
        StringBuilder sb = new StringBuilder(prefix).append(": ").append(comma(total));
        if (total > 0) {
            long reg = total - dirs - links - devs - specials;
            String pre = " (";
            long[] v = {reg, dirs, links, devs, specials};
            String[] labels = {"reg", "dir", "link", "dev", "special"};
            for (int i = 0; i < 5; i++) {
                if (v[i] != 0) {
                    sb.append(pre).append(labels[i]).append(": ").append(comma(v[i]));
                    pre = ", ";
                }
            }
            sb.append(')');
        }
        return sb.toString();
    }

    static String comma(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }
}
