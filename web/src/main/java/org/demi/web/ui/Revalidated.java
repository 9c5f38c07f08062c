package org.demi.web.ui;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Fleet-wide answers (the overview's figures, a CVE list's counts) that cost several searches or
 * a pass over many host CVE documents, kept with the index version they were computed at. Asked again at that version,
 * the kept answer is given. Asked after the index changed, one caller computes the new answer
 * while everyone else asking meanwhile gets the last one at once ("stale while revalidating"):
 * as pushes arrive every second, a page that takes a second to compute is computed once at a
 * time, not once per person looking at it. Asked with nobody computing, the answer is always
 * the current one, so a person who changes something and looks again sees the change.
 *
 * @param <K> what tells answers apart (a list's query, sort and page)
 * @param <V> the answer
 */
final class Revalidated<K, V> {
    /** How an answer is computed. */
    interface Computation<V> {
        V compute() throws IOException;
    }

    private record Held<V>(long version, V value, ReentrantLock computing) {
    }

    private final Map<K, Held<V>> held;

    /** @param capacity how many keys' answers are kept (the least recently asked go first) */
    Revalidated(int capacity) {
        this.held = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Held<V>> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The answer for {@code key} at index version {@code version}. */
    V get(K key, long version, Computation<V> computation) throws IOException {
        Held<V> h;
        synchronized (held) {
            h = held.get(key);
            if (h == null) {
                h = new Held<>(Long.MIN_VALUE, null, new ReentrantLock());
                held.put(key, h);
            }
        }
        if (h.version() == version) {
            return h.value();
        }
        ReentrantLock lock = h.computing();
        if (h.value() != null && !lock.tryLock()) {
            return h.value(); // someone is computing the answer for the changed index: the last one meanwhile
        }
        if (h.value() == null) {
            lock.lock(); // nothing to give yet: wait for the one computing it, or compute it
        }
        try {
            synchronized (held) {
                Held<V> now = held.get(key);
                if (now != null && now.version() == version && now.value() != null) {
                    return now.value(); // computed while this caller waited
                }
            }
            V value = computation.compute();
            synchronized (held) {
                held.put(key, new Held<>(version, value, lock));
            }
            return value;
        } finally {
            lock.unlock();
        }
    }
}
