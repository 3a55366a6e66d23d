package dev.baton.bench.store;

import java.util.Locale;

/** Printing of figures as {@code RESULT name=value} lines. */
final class Bench {
    private Bench() {
    }

    static void result(String name, double value) {
        System.out.println("RESULT " + name + "=" + (value == Math.rint(value) && Math.abs(value) < 1e15
                ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.3f", value)));
    }
}
