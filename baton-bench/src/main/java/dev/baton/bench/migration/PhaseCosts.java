package dev.baton.bench.migration;

import dev.baton.bench.Results;
import dev.baton.ifmap.FederationClient;
import java.util.List;
import java.util.OptionalLong;

/**
 * What a phase of the migration benchmark cost: this process's CPU (agents, gateways and federation server
 * alike), the local PostgreSQL server's CPU when it can be read, and the federation requests the gateways sent.
 */
record PhaseCosts(long cpu, OptionalLong server, long subscribes, long polls, long claims, long lookups) {
    static PhaseCosts of(List<FederationClient> clients, String pgUrl) {
        return new PhaseCosts(processCpuNanos(), localPostgresCpuNanos(pgUrl), subscribeRequests(clients),
                clients.stream().mapToLong(FederationClient::pollRequests).sum(),
                clients.stream().mapToLong(FederationClient::claimRequests).sum(),
                clients.stream().mapToLong(FederationClient::lookupRequests).sum());
    }

    PhaseCosts minus(PhaseCosts before) {
        OptionalLong s = server.isPresent() && before.server.isPresent()
                ? OptionalLong.of(server.getAsLong() - before.server.getAsLong())
                : OptionalLong.empty();
        return new PhaseCosts(cpu - before.cpu, s, subscribes - before.subscribes, polls - before.polls,
                claims - before.claims, lookups - before.lookups);
    }

    void report(String p, long migrations, double yardstickMicros, Results results) {
        results.figure(p + "cpu_ms_per_migration", cpu / 1e6 / migrations);
        // The same cost in units of the machine's yardstick (one proof verification on one thread).
        results.figure(p + "cpu_per_migration_in_verifies", cpu / 1e3 / migrations / yardstickMicros);
        if (server.isPresent()) {
            // PostgreSQL's own CPU, on the same two cores: the JVM's figure above leaves it out.
            results.figure(p + "server_cpu_ms_per_migration", server.getAsLong() / 1e6 / migrations);
            results.figure(p + "total_cpu_ms_per_migration", (cpu + server.getAsLong()) / 1e6 / migrations);
        }
        results.figure(p + "subscribe_requests_per_migration", (double) subscribes / migrations);
        results.figure(p + "poll_requests_per_migration", (double) polls / migrations);
        results.figure(p + "claim_requests_per_migration", (double) claims / migrations);
        results.figure(p + "lookup_requests_per_migration", (double) lookups / migrations);
    }

    private static long subscribeRequests(List<FederationClient> clients) {
        return clients.stream().mapToLong(FederationClient::subscribeRequests).sum();
    }

    /** CPU time of this whole process (agents, gateways and federation server alike), in nanoseconds. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * CPU time of the local PostgreSQL server's processes (postmaster, backends, writers), when {@code pgUrl} names
     * a server on this machine and the OS tells other processes' CPU time; empty otherwise. A backend that exits
     * takes its share with it, but the pool's connections live through a phase.
     */
    private static OptionalLong localPostgresCpuNanos(String pgUrl) {
        if (pgUrl == null || !(pgUrl.contains("//127.0.0.1") || pgUrl.contains("//localhost"))) {
            return OptionalLong.empty();
        }
        long total = 0;
        boolean any = false;
        for (ProcessHandle h : ProcessHandle.allProcesses().toList()) {
            ProcessHandle.Info info = h.info();
            if (info.command().map(c -> c.endsWith("/postgres")).orElse(false) && info.totalCpuDuration().isPresent()) {
                total += info.totalCpuDuration().get().toNanos();
                any = true;
            }
        }
        return any ? OptionalLong.of(total) : OptionalLong.empty();
    }
}
