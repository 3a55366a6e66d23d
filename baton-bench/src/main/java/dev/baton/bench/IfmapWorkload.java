package dev.baton.bench;

import de.hshannover.f4.trust.ifmapj.IfmapJ;
import de.hshannover.f4.trust.ifmapj.channel.SSRC;
import de.hshannover.f4.trust.ifmapj.identifier.AccessRequest;
import de.hshannover.f4.trust.ifmapj.identifier.Identifiers;
import de.hshannover.f4.trust.ifmapj.identifier.IdentityType;
import de.hshannover.f4.trust.ifmapj.identifier.IpAddress;
import de.hshannover.f4.trust.ifmapj.messages.MetadataLifetime;
import de.hshannover.f4.trust.ifmapj.messages.PublishRequest;
import de.hshannover.f4.trust.ifmapj.messages.Requests;
import de.hshannover.f4.trust.ifmapj.messages.SearchRequest;
import de.hshannover.f4.trust.ifmapj.metadata.StandardIfmapMetadataFactory;

import org.w3c.dom.Document;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

/**
 * The publishing and searching side of the IF-MAP benchmark, the same ifmapj code for every server.
 *
 * <p>What it publishes is shaped like a gateway's sessions: each update links an access-request to an
 * ip-address with {@code access-request-ip} metadata (lifetime session), each on its own pair of
 * identifiers, so the server's graph grows as it would with sign-ins. Searches look up one complete
 * session (access-request with its ip, mac, device, identity, role and capability) to depth 1, as a
 * gateway does when an agent brings a session id.
 *
 * <p>One client thread, one request at a time: figures are per-connection rates and latencies.
 * Not thread safe.
 */
final class IfmapWorkload implements AutoCloseable {
    /** Items in the search result: five links plus the access-request's own role and capability. */
    static final int SEARCH_RESULT_ITEMS_AT_LEAST = 5;

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final SSRC ssrc;
    private final StandardIfmapMetadataFactory metadata = IfmapJ.createStandardMetadataFactory();
    private final Document accessRequestIp = metadata.createArIp();
    private final AccessRequest searchedSession = Identifiers.createAr("bench-search-session");
    private long nextSession;

    /**
     * A measured phase: operations done, requests sent, wall time taken, the client thread's CPU time
     * (to tell a slow server from a slow client) and each request's latency.
     */
    record Phase(long operations, long requests, long elapsedNanos, long clientCpuNanos, LatencySamples latencies) {
        /** A phase with nothing measured yet, to {@link #plus} rounds onto. */
        static Phase empty() {
            return new Phase(0, 0, 0, 0, new LatencySamples());
        }

        /** This phase and {@code other} taken together, as if run back to back. */
        Phase plus(Phase other) {
            LatencySamples all = new LatencySamples();
            all.addAll(latencies);
            all.addAll(other.latencies);
            return new Phase(operations + other.operations, requests + other.requests,
                    elapsedNanos + other.elapsedNanos, clientCpuNanos + other.clientCpuNanos, all);
        }

        /** Operations per second over the phase. */
        double perSecond() {
            return operations * 1e9 / elapsedNanos;
        }

        /** Milliseconds of client CPU per request: ifmapj's own cost of building, sending and parsing. */
        double clientCpuMillisPerRequest() {
            return clientCpuNanos / 1e6 / Math.max(requests, 1);
        }
    }

    private IfmapWorkload(SSRC ssrc) {
        this.ssrc = ssrc;
    }

    /** Opens the publisher's session and publishes the session that searches look up. */
    static IfmapWorkload open(FederationUnderTest.Endpoint endpoint) throws Exception {
        IfmapWorkload workload = new IfmapWorkload(IfmapClients.newSession(endpoint.url(), endpoint.publisher()));
        workload.publishSearchedSession();
        return workload;
    }

    /** The publisher's session, for probes that publish as the same client identity. */
    SSRC session() {
        return ssrc;
    }

    /** Runs single publishes and searches for {@code time}, unmeasured (JIT, connections, caches). */
    void warmUp(Duration time) throws Exception {
        long end = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < end) {
            publish(1);
            search();
        }
    }

    /**
     * Publishes requests of {@code updatesPerRequest} updates each, one after another, for {@code time}
     * or {@code maxRequests} requests, whichever comes first.
     *
     * @return the phase, counting updates (not requests) as operations
     */
    Phase publishRate(int updatesPerRequest, Duration time, int maxRequests) throws Exception {
        LatencySamples latencies = new LatencySamples();
        long cpuStart = CPU.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + time.toNanos();
        int requests = 0;
        while (requests < maxRequests && System.nanoTime() < end) {
            long sent = System.nanoTime();
            publish(updatesPerRequest);
            latencies.record(System.nanoTime() - sent);
            requests++;
        }
        return new Phase((long) requests * updatesPerRequest, requests, System.nanoTime() - start,
                CPU.getCurrentThreadCpuTime() - cpuStart, latencies);
    }

    /** Searches the published session repeatedly for {@code time} or {@code maxRequests} searches. */
    Phase searchLatency(Duration time, int maxRequests) throws Exception {
        LatencySamples latencies = new LatencySamples();
        long cpuStart = CPU.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + time.toNanos();
        int requests = 0;
        while (requests < maxRequests && System.nanoTime() < end) {
            long sent = System.nanoTime();
            search();
            latencies.record(System.nanoTime() - sent);
            requests++;
        }
        return new Phase(requests, requests, System.nanoTime() - start, CPU.getCurrentThreadCpuTime() - cpuStart,
                latencies);
    }

    private void publish(int updates) throws Exception {
        PublishRequest request = Requests.createPublishReq();
        for (int i = 0; i < updates; i++) {
            long session = nextSession++;
            request.addPublishElement(Requests.createPublishUpdate(
                    Identifiers.createAr("bench-session-" + session), ipOf(session), accessRequestIp,
                    MetadataLifetime.session));
        }
        ssrc.publish(request);
    }

    private void search() throws Exception {
        SearchRequest request = Requests.createSearchReq(null, 1, null, null, null, searchedSession);
        int items = ssrc.search(request).getResultItems().size();
        if (items < SEARCH_RESULT_ITEMS_AT_LEAST) {
            throw new IllegalStateException("search of the published session returned " + items
                    + " result items, expected at least " + SEARCH_RESULT_ITEMS_AT_LEAST);
        }
    }

    private void publishSearchedSession() throws Exception {
        PublishRequest request = Requests.createPublishReq();
        request.addPublishElement(Requests.createPublishUpdate(searchedSession,
                Identifiers.createIp4("192.0.2.10"), metadata.createArIp(), MetadataLifetime.session));
        request.addPublishElement(Requests.createPublishUpdate(searchedSession,
                Identifiers.createMac("00:00:5e:00:53:10"), metadata.createArMac(), MetadataLifetime.session));
        request.addPublishElement(Requests.createPublishUpdate(searchedSession,
                Identifiers.createDev("bench-endpoint-10"), metadata.createArDev(), MetadataLifetime.session));
        request.addPublishElement(Requests.createPublishUpdate(searchedSession,
                Identifiers.createIdentity(IdentityType.userName, "bench-user-10"), metadata.createAuthAs(),
                MetadataLifetime.session));
        request.addPublishElement(Requests.createPublishUpdate(searchedSession,
                Identifiers.createDev("bench-gateway"), metadata.createAuthBy(), MetadataLifetime.session));
        request.addPublishElement(Requests.createPublishUpdate(searchedSession, metadata.createRole("employee"),
                MetadataLifetime.session));
        request.addPublishElement(Requests.createPublishUpdate(searchedSession,
                metadata.createCapability("host-checker-passed"), MetadataLifetime.session));
        ssrc.publish(request);
    }

    /** A distinct IPv4 address per session number (test data only; nothing connects to it). */
    static IpAddress ipOf(long session) {
        return Identifiers.createIp4("10." + ((session >> 16) & 0xff) + "." + ((session >> 8) & 0xff) + "." + (session & 0xff));
    }

    /** Ends the publisher's session; its session-lifetime metadata goes with it. */
    @Override
    public void close() {
        IfmapSessions.end(ssrc);
    }
}
