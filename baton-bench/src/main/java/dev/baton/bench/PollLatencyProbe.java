package dev.baton.bench;

import de.hshannover.f4.trust.ifmapj.IfmapJ;
import de.hshannover.f4.trust.ifmapj.channel.ARC;
import de.hshannover.f4.trust.ifmapj.channel.SSRC;
import de.hshannover.f4.trust.ifmapj.exception.EndSessionException;
import de.hshannover.f4.trust.ifmapj.identifier.AccessRequest;
import de.hshannover.f4.trust.ifmapj.identifier.Identifiers;
import de.hshannover.f4.trust.ifmapj.identifier.IpAddress;
import de.hshannover.f4.trust.ifmapj.messages.MetadataLifetime;
import de.hshannover.f4.trust.ifmapj.messages.PollResult;
import de.hshannover.f4.trust.ifmapj.messages.PublishRequest;
import de.hshannover.f4.trust.ifmapj.messages.Requests;
import de.hshannover.f4.trust.ifmapj.messages.SubscribeRequest;

import org.w3c.dom.Document;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Publish-to-poll latency: how long after a publisher starts a publish request a subscriber's pending
 * poll returns the change. This is the path of a migration (gateway B publishes that it holds a session,
 * gateway A learns it by poll).
 *
 * <p>A second client identity subscribes to one access-request (depth 1) and keeps a poll outstanding on
 * its ARC in a background thread. The publisher then replaces the singleValue {@code access-request-ip}
 * link of that access-request, one update at a time, and waits for the poll that carries the update
 * before it sends the next, so each sample is one publish and one notification. The first
 * {@link #UNMEASURED} samples are dropped as warm-up.
 *
 * <p>Not thread safe; the poller thread only hands poll results over a queue.
 */
final class PollLatencyProbe implements AutoCloseable {
    static final int UNMEASURED = 20;
    private static final Duration NOTIFY_TIMEOUT = Duration.ofSeconds(10);

    private final SSRC publisher;
    private final SSRC subscriber;
    private final ARC arc;
    private final AccessRequest watched = Identifiers.createAr("bench-migrating-session");
    private final IpAddress watchedIp = Identifiers.createIp4("192.0.2.20");
    private final Document accessRequestIp = IfmapJ.createStandardMetadataFactory().createArIp();
    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private final Thread poller;

    /** One poll's answer (or failure) and when it arrived, by {@link System#nanoTime()}. */
    private record Delivery(long arrivedNanos, PollResult result, Exception failure) {
    }

    private PollLatencyProbe(SSRC publisher, SSRC subscriber) throws Exception {
        this.publisher = publisher;
        this.subscriber = subscriber;
        this.arc = subscriber.getArc();
        this.poller = Thread.ofPlatform().daemon().name("bench-poller").unstarted(this::pollUntilEnded);
    }

    /**
     * Opens the subscriber's session, subscribes, and consumes the subscription's initial search result.
     * {@code publisher} stays the caller's: IF-MAP allows one session per client identity, so the probe
     * publishes through the session the caller already holds.
     */
    static PollLatencyProbe open(FederationUnderTest.Endpoint endpoint, SSRC publisher) throws Exception {
        SSRC subscriber = IfmapClients.newSession(endpoint.url(), endpoint.subscriber());
        PollLatencyProbe probe = new PollLatencyProbe(publisher, subscriber);
        try {
            probe.subscribe();
            return probe;
        } catch (Exception e) {
            probe.close();
            throw e;
        }
    }

    /**
     * Measures up to {@code maxSamples} publish-to-poll latencies, for {@code time} at most (after the
     * unmeasured warm-up samples).
     *
     * @throws IllegalStateException when a notification does not arrive within ten seconds
     */
    LatencySamples measure(Duration time, int maxSamples) throws Exception {
        for (int i = 0; i < UNMEASURED; i++) {
            sample();
        }
        LatencySamples latencies = new LatencySamples();
        long end = System.nanoTime() + time.toNanos();
        while (latencies.count() < maxSamples && System.nanoTime() < end) {
            latencies.record(sample());
        }
        return latencies;
    }

    private long sample() throws Exception {
        // Anything already delivered answers an earlier publish; it must not end this sample early.
        deliveries.clear();
        long sent = System.nanoTime();
        publishWatched();
        long deadline = sent + NOTIFY_TIMEOUT.toNanos();
        while (true) {
            Delivery delivery = deliveries.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (delivery == null) {
                throw new IllegalStateException("no poll result within " + NOTIFY_TIMEOUT.toSeconds()
                        + " s of a publish to the subscribed access-request");
            }
            if (delivery.failure() != null) {
                throw new IllegalStateException("poll failed: " + delivery.failure(), delivery.failure());
            }
            if (!delivery.result().getUpdateResults().isEmpty()) {
                return delivery.arrivedNanos() - sent;
            }
        }
    }

    private void subscribe() throws Exception {
        publishWatched();
        SubscribeRequest request = Requests.createSubscribeReq(
                Requests.createSubscribeUpdate("bench-migration", null, 1, null, null, null, watched));
        subscriber.subscribe(request);
        // The first poll after a subscribe returns the subscription's full search result.
        arc.poll();
        poller.start();
    }

    private void publishWatched() throws Exception {
        PublishRequest request = Requests.createPublishReq(Requests.createPublishUpdate(
                watched, watchedIp, accessRequestIp, MetadataLifetime.session));
        publisher.publish(request);
    }

    private void pollUntilEnded() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                PollResult result = arc.poll();
                deliveries.add(new Delivery(System.nanoTime(), result, null));
            } catch (EndSessionException ended) {
                return;
            } catch (Exception e) {
                deliveries.add(new Delivery(System.nanoTime(), null, e));
                return;
            }
        }
    }

    /** Ends the subscriber's session (which answers the outstanding poll) and stops the poller. */
    @Override
    public void close() {
        poller.interrupt();
        IfmapSessions.end(subscriber);
        IfmapSessions.closeQuietly(arc);
        try {
            poller.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
