package dev.baton.admin;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The registry a gateway or federation server records into when it has an admin listener: Prometheus naming
 * ({@code baton.signins} becomes {@code baton_signins_total}, timers in seconds), with the JVM's and the
 * process's own metrics bound (memory, garbage collection, threads, class loading, CPU, open files, uptime).
 */
public final class PrometheusMetrics {
    private PrometheusMetrics() {
    }

    /** A new registry with the JVM and process metrics bound for the life of the process. */
    public static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        bindJvmAndProcess(registry);
        return registry;
    }

    /**
     * Binds the JVM's and the process's metrics to {@code registry}; closing what it returns stops the garbage
     * collection listener, the one binder that holds a resource.
     */
    public static AutoCloseable bindJvmAndProcess(io.micrometer.core.instrument.MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return gc;
    }
}
