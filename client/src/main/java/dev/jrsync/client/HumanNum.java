package dev.jrsync.client;

import java.util.Locale;

/**
 * rsync's number display (lib/compat.c:do_big_num(), human_num()): level 0 plain digits, 1 (the
 * default) digits grouped in threes with ',', 2 and 3 units of 1000 or 1024 ("1.23M"). Stateless.
 */
final class HumanNum {
    /** rsync's default --human-readable level (options.c: human_readable = 1). */
    static final int DEFAULT_LEVEL = 1;

    private HumanNum() {
    }

    static String format(long num, int level) {
        if (level > 1) {
            int mult = level == 2 ? 1000 : 1024;
            if (num >= mult || num <= -mult) {
                double d = Math.abs((double) num) / mult;
                char unit;
                if (d < mult) {
                    unit = 'K';
                } else if ((d /= mult) < mult) {
                    unit = 'M';
                } else if ((d /= mult) < mult) {
                    unit = 'G';
                } else if ((d /= mult) < mult) {
                    unit = 'T';
                } else {
                    d /= mult;
                    unit = 'P';
                }
                return String.format(Locale.ROOT, "%.2f%c", num < 0 ? -d : d, unit);
            }
        }
        return level > 0 ? String.format(Locale.ROOT, "%,d", num) : Long.toString(num);
    }
}
