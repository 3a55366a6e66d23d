package dev.baton.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The nonces of agent-made challenges accepted recently, each remembered until its challenge's timestamp
 * leaves the acceptance window, so that a replay within the window is refused.
 *
 * <p>Nonces are kept in a ring of one bucket per second of challenge timestamp; a bucket is emptied as a
 * whole when the ring comes round to it, by which time every challenge it held is out of the window. A
 * bucket is an open-addressing table of the 128-bit nonces as pairs of {@code long}s. This layout is for the
 * garbage collector: remembered nonces live for up to two windows (a minute), long enough to be copied
 * through every young collection of that time. A map of strings made the young pauses copy tens of
 * thousands of small objects each time; a few {@code long[]} are one copy each. No maintained library
 * offers a primitive set with whole-bucket expiry, hence this class.
 *
 * <p>Thread-safe: each bucket is guarded by its own lock, held for one insertion.
 */
final class ReplayWindow {
    private final Bucket[] ring;
    private final long skewSeconds;
    private final int maxRemembered;
    private final AtomicInteger remembered = new AtomicInteger();

    /**
     * @param skew          how far a challenge's timestamp may be from the clock (the window is twice that)
     * @param maxRemembered bound on nonces remembered at once
     */
    ReplayWindow(Duration skew, int maxRemembered) {
        this.skewSeconds = Math.max(1, (skew.toMillis() + 999) / 1000);
        // A bucket of second s is reused for second s + ring.length only when a challenge dated then is accepted,
        // that is at a time >= s + ring.length - skew > s + 1 + skew: every challenge dated s is out of the window.
        this.ring = new Bucket[(int) (2 * skewSeconds + 2)];
        for (int i = 0; i < ring.length; i++) {
            ring[i] = new Bucket();
        }
        this.maxRemembered = maxRemembered;
    }

    /** What {@link #firstUse} found. */
    enum Outcome { FIRST_USE, REPLAY, FULL, TOO_OLD }

    /**
     * Records the nonce of a challenge dated {@code madeAt}, which the caller has checked to be within the
     * window at {@code now}. A nonce of all zero bits is treated as {@code (0, 1)}. When the bound is reached,
     * buckets whose challenges are all out of the window are emptied first.
     */
    Outcome firstUse(Instant madeAt, long nonceHigh, long nonceLow, Instant now) {
        Outcome outcome = tryFirstUse(madeAt, nonceHigh, nonceLow);
        if (outcome == Outcome.FULL && forgetExpired(now.getEpochSecond()) > 0) {
            outcome = tryFirstUse(madeAt, nonceHigh, nonceLow);
        }
        return outcome;
    }

    private Outcome tryFirstUse(Instant madeAt, long nonceHigh, long nonceLow) {
        long second = madeAt.getEpochSecond();
        long low = nonceLow == 0 && nonceHigh == 0 ? 1 : nonceLow;
        Bucket b = ring[(int) Math.floorMod(second, (long) ring.length)];
        synchronized (b) {
            if (b.second > second) {
                // The bucket holds a later second, so this challenge's can no longer be told apart from it: the clock
                // went back by more than the window since that one was accepted. Refuse rather than forget.
                return Outcome.TOO_OLD;
            }
            if (b.second != second) {
                remembered.addAndGet(-b.size);
                b.reset(second);
            }
            if (b.contains(nonceHigh, low)) {
                return Outcome.REPLAY;
            }
            if (remembered.incrementAndGet() > maxRemembered) {
                remembered.decrementAndGet();
                return Outcome.FULL;
            }
            b.add(nonceHigh, low);
            return Outcome.FIRST_USE;
        }
    }

    /** Empties the buckets of seconds whose challenges are all out of the window; returns the nonces dropped. */
    private int forgetExpired(long nowSecond) {
        int dropped = 0;
        for (Bucket b : ring) {
            synchronized (b) {
                // A challenge dated within second s is remembered until s + 1 + skew at the latest.
                if (b.size > 0 && b.second <= nowSecond - skewSeconds - 1) {
                    dropped += b.size;
                    remembered.addAndGet(-b.size);
                    b.reset(Long.MIN_VALUE);
                }
            }
        }
        return dropped;
    }

    /** Nonces remembered now, including those of buckets not yet reused. */
    int remembered() {
        return remembered.get();
    }

    /** One second's nonces: pairs (high, low) in a power-of-two table, linear probing, (0, 0) for empty. */
    private static final class Bucket {
        private static final int INITIAL_PAIRS = 64;
        private static final long KEY_HIGH = new java.security.SecureRandom().nextLong();
        private static final long KEY_LOW = new java.security.SecureRandom().nextLong();
        long second = Long.MIN_VALUE;
        int size;
        long[] table = new long[2 * INITIAL_PAIRS];

        void reset(long newSecond) {
            second = newSecond;
            if (size > 0) {
                // Shrink a table grown by a burst; otherwise clear in place.
                table = table.length > 4 * INITIAL_PAIRS && size < table.length / 8 ? new long[2 * INITIAL_PAIRS] : clear(table);
            }
            size = 0;
        }

        boolean contains(long high, long low) {
            int mask = table.length / 2 - 1;
            for (int i = slot(high, low, mask); ; i = (i + 1) & mask) {
                long h = table[2 * i];
                long l = table[2 * i + 1];
                if (h == 0 && l == 0) {
                    return false;
                }
                if (h == high && l == low) {
                    return true;
                }
            }
        }

        void add(long high, long low) {
            if (2 * (size + 1) > table.length / 2) { // keep the load at or under one half
                long[] old = table;
                table = new long[2 * old.length];
                size = 0;
                for (int i = 0; i < old.length; i += 2) {
                    if (old[i] != 0 || old[i + 1] != 0) {
                        insert(old[i], old[i + 1]);
                    }
                }
            }
            insert(high, low);
        }

        private void insert(long high, long low) {
            int mask = table.length / 2 - 1;
            int i = slot(high, low, mask);
            while (table[2 * i] != 0 || table[2 * i + 1] != 0) {
                i = (i + 1) & mask;
            }
            table[2 * i] = high;
            table[2 * i + 1] = low;
            size++;
        }

        /**
         * Nonces reach this table before their signature is checked, so a caller can choose them: the slot
         * depends on a secret random key per process, or crafted nonces could pile into one probe chain.
         */
        private static int slot(long high, long low, int mask) {
            return (int) (mix(mix(high ^ KEY_HIGH) + low ^ KEY_LOW) >>> 32) & mask;
        }

        /** MurmurHash3's 64-bit finalizer: a bijection in which every input bit affects every output bit. */
        private static long mix(long h) {
            h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
            h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
            return h ^ (h >>> 33);
        }

        private static long[] clear(long[] table) {
            java.util.Arrays.fill(table, 0);
            return table;
        }
    }
}
