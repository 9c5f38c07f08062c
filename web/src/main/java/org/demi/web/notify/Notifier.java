package org.demi.web.notify;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.demi.deb.io.Durable;

/**
 * Tells each recipient of the notify file of the states it wants that are new since it last
 * heard: one message per event, the new per-host states of a round in one message, never the
 * same open state twice (what each recipient was told is kept in {@code <data>/notify/announced},
 * so a restart repeats nothing; a state that closes is forgotten, so it is told again if it
 * reopens). A recipient new to the file hears once what is open already, as a count, not one
 * message per CVE. Messages go out on a thread of their own, each tried again with a doubling
 * pause when the destination fails, then recorded in {@code <data>/notify/failed} and the log:
 * a mail server or receiver that is down never holds up a round, a collection or a sync.
 */
public final class Notifier implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Notifier.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Tries of one message, the first pause between them, doubling. */
    public record Backoff(Duration first, int attempts) {
        /** 30 s, 1 min, 2, 4, 8 min: about a quarter of an hour of a destination down. */
        public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(30), 6);
    }

    private final Path file;
    private final FleetEvents fleet;
    private final Path announcedFile;
    private final Path failedFile;
    private final String server;
    private final Clock clock;
    private final Backoff backoff;
    /** Messages handed to the sending thread and not yet delivered or given up. */
    private final Set<Pending> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private record Pending(Recipient to, Message message) {
    }

    private final ScheduledExecutorService sending = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "notify");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param file    the notify file ({@code <config>/notify}); none: nobody to tell
     * @param dataDir where what was announced and what failed are kept ({@code <data>/notify})
     */
    public Notifier(Path file, FleetEvents fleet, Path dataDir, String server, Clock clock, Backoff backoff) {
        this.file = file;
        this.fleet = fleet;
        this.announcedFile = dataDir.resolve("announced");
        this.failedFile = dataDir.resolve("failed");
        this.server = server;
        this.clock = clock;
        this.backoff = backoff;
    }

    /** One round: what is new to each recipient is queued to it; returns how many messages were queued. */
    public synchronized int round() throws IOException {
        List<Recipient> recipients = NotifyFile.read(file, server);
        if (recipients.isEmpty()) {
            return 0;
        }
        Map<String, Set<String>> announced = readAnnounced();
        Map<String, Set<String>> next = new TreeMap<>();
        Map<Duration, List<Event>> current = new HashMap<>();
        int queued = 0;
        for (Recipient r : recipients) {
            List<Event> wanted = new ArrayList<>();
            for (Event e : current.computeIfAbsent(r.notInstalledAfter(), this::events)) {
                if (r.wants(e)) {
                    wanted.add(e);
                }
            }
            Set<String> keys = new LinkedHashSet<>(wanted.stream().map(Event::key).toList());
            Set<String> before = announced.get(r.id());
            next.put(r.id(), keys);
            if (before == null) {
                queue(r, baseline(wanted));
                queued++;
                continue;
            }
            List<Event> fresh = wanted.stream().filter(e -> !before.contains(e.key())).toList();
            for (Message m : messages(fresh)) {
                queue(r, m);
                queued++;
            }
        }
        Files.createDirectories(announcedFile.getParent());
        Durable.write(announcedFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(next));
        return queued;
    }

    private List<Event> events(Duration notInstalledAfter) {
        try {
            return fleet.current(notInstalledAfter);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<Message> messages(List<Event> fresh) {
        List<Message> out = new ArrayList<>();
        Map<Event.Kind, List<Event>> perHost = new LinkedHashMap<>();
        for (Event e : fresh) {
            if (e.kind().perHost()) {
                perHost.computeIfAbsent(e.kind(), k -> new ArrayList<>()).add(e);
            } else {
                out.add(Message.of(e, server, clock.instant()));
            }
        }
        perHost.forEach((kind, events) -> out.add(Message.grouped(kind, events, server, clock.instant())));
        return out;
    }

    /** What a recipient new to the file hears first: what is open already, counted by kind. */
    private Message baseline(List<Event> open) {
        Map<String, Long> byKind = new TreeMap<>();
        open.forEach(e -> byKind.merge(e.kind().word(), 1L, Long::sum));
        return Message.start(byKind, server, clock.instant());
    }

    private void queue(Recipient r, Message m) {
        Pending p = new Pending(r, m);
        pending.add(p);
        sending.execute(() -> attempt(p, 1));
    }

    private void attempt(Pending p, int n) {
        Recipient r = p.to();
        Message m = p.message();
        try {
            r.channel().send(m);
            pending.remove(p);
        } catch (IOException | RuntimeException e) {
            if (n < backoff.attempts()) {
                long pause = backoff.first().toMillis() << (n - 1);
                LOG.log(System.Logger.Level.WARNING, "notify: " + r.channel().describe() + ": " + m.subject() + ": try " + n + " of "
                        + backoff.attempts() + " failed (" + e.getMessage() + "); again in " + pause + " ms");
                sending.schedule(() -> attempt(p, n + 1), pause, TimeUnit.MILLISECONDS);
            } else {
                LOG.log(System.Logger.Level.ERROR, "notify: " + r.channel().describe() + ": " + m.subject() + ": given up after "
                        + n + " tries: " + e.getMessage(), e);
                recordFailure(r, m, String.valueOf(e.getMessage()));
                pending.remove(p);
            }
        }
    }

    private synchronized void recordFailure(Recipient r, Message m, String error) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", clock.instant().toString());
        line.put("to", r.channel().describe());
        line.put("kind", m.kind());
        line.put("subject", m.subject());
        line.put("keys", m.keys());
        line.put("error", error);
        try {
            Files.createDirectories(failedFile.getParent());
            Files.writeString(failedFile, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException io) {
            LOG.log(System.Logger.Level.ERROR, "notify: the failure could not be recorded in " + failedFile + ": " + io.getMessage(), io);
        }
    }

    /** Messages queued or being tried again, not yet delivered or given up. */
    public int pending() {
        return pending.size();
    }

    private Map<String, Set<String>> readAnnounced() throws IOException {
        if (!Files.exists(announcedFile)) {
            return Map.of();
        }
        return JSON.readValue(announcedFile.toFile(), new TypeReference<Map<String, Set<String>>>() { });
    }

    /** Stops sending; what was still to be delivered is recorded as failed, not lost without a word. */
    @Override
    public void close() {
        sending.shutdownNow();
        try {
            sending.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Pending p : pending) {
            recordFailure(p.to(), p.message(), "the server stopped before it was delivered");
            LOG.log(System.Logger.Level.WARNING, "notify: " + p.to().channel().describe() + ": " + p.message().subject()
                    + ": not delivered, the server is stopping");
        }
        pending.clear();
    }
}
