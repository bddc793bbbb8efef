package dev.jrsync.protocol.handshake;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;

import java.util.Locale;

/**
 * rsync's size arguments ("1g", "500M", "1.5GB", "4096", "1GiB+1"): K/M/G/T/P are powers of 1024,
 * a trailing "B" makes them powers of 1000, a bare number uses the option's default unit, and a
 * final "+1"/"-1" adjusts by one byte. Mirrors options.c:parse_size_arg(). Stateless.
 */
public final class SizeArg {
    private SizeArg() {
    }

    /**
     * @param defaultUnit the unit of a bare number ('B' bytes, 'K' KiB, ...)
     * @param min         the smallest value accepted (0 is always accepted when {@code zeroOk})
     * @throws RsyncException exit 1 with rsync's "--NAME=ARG is invalid/too small" message
     */
    public static long parse(String arg, char defaultUnit, String optName, long min, boolean zeroOk)
            throws RsyncException {
        int i = 0;
        while (i < arg.length() && Character.isDigit(arg.charAt(i))) {
            i++;
        }
        if (i < arg.length() && arg.charAt(i) == '.') {
            i++;
            while (i < arg.length() && Character.isDigit(arg.charAt(i))) {
                i++;
            }
        }
        String number = arg.substring(0, i);
        String rest = arg.substring(i);
        char unit = rest.isEmpty() || rest.charAt(0) == '+' || rest.charAt(0) == '-' ? defaultUnit : rest.charAt(0);
        if (!(rest.isEmpty() || rest.charAt(0) == '+' || rest.charAt(0) == '-')) {
            rest = rest.substring(1);
        }
        int reps = "BKMGTP".indexOf(Character.toUpperCase(unit));
        if (reps < 0 || number.isEmpty() || number.equals(".")) {
            throw invalid(optName, arg, "invalid");
        }
        double mult = 1024;
        String lower = rest.toLowerCase(Locale.ROOT);
        if (lower.startsWith("ib")) {
            rest = rest.substring(2);
        } else if (lower.startsWith("b")) {
            mult = 1000;
            rest = rest.substring(1);
        }
        double size = Double.parseDouble(number) * Math.pow(mult, reps);
        if (size >= Long.MAX_VALUE / 2.0) {
            throw invalid(optName, arg, "too large");
        }
        long value = (long) size;
        if (rest.equals("+1")) {
            value++;
        } else if (rest.equals("-1")) {
            value--;
        } else if (!rest.isEmpty()) {
            throw invalid(optName, arg, "invalid");
        }
        if (value < min && !(zeroOk && value == 0)) {
            throw invalid(optName, arg, "too small (min: " + shown(min) + (zeroOk ? " or 0 for unlimited" : "") + ")");
        }
        return value;
    }

    /** A limit as options.c prints it: "1.00M" for 1 MiB, a plain number below 1 KiB. */
    static String shown(long n) {
        String units = "KMGTP";
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length() - 1) {
            v /= 1024;
            u++;
        }
        return u < 0 ? Long.toString(n) : String.format(Locale.ROOT, "%.2f%c", v, units.charAt(u));
    }

    private static RsyncException invalid(String optName, String arg, String what) {
        return new RsyncException(ExitCode.RERR_SYNTAX, "--" + optName + "=" + arg + " is " + what);
    }
}
