package dev.baton.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import dev.baton.admin.AuditLog;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.LoggerFactory;

/**
 * Sends the audit events of a gateway or federation server ({@link AuditLog#LOGGER}) to a file of their own:
 * {@code DIR/audit.jsonl}, one JSON object per line, rolled over daily and at 100 MB, kept 90 days and at most
 * 5 GB. The folder is created owner-only: the events name users and session hashes. They go nowhere else,
 * whatever {@code BATON_LOG_LEVEL} says.
 */
final class AuditFile {
    static final String FILE = "audit.jsonl";

    private AuditFile() {
    }

    /** Starts writing audit events under {@code dir}. */
    static void attach(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        } catch (IOException e) {
            throw new BatonException(ResultCode.CONFIGURATION, "cannot create the audit log folder " + dir + ": " + e.getMessage(), e);
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding: the host's own configuration decides where audit events go
        }
        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setName("audit");
        file.setFile(dir.resolve(FILE).toString());
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(context);
        policy.setParent(file);
        policy.setFileNamePattern(dir.resolve("audit-%d{yyyy-MM-dd}.%i.jsonl.gz").toString());
        policy.setMaxFileSize(FileSize.valueOf("100MB"));
        policy.setMaxHistory(90);
        policy.setTotalSizeCap(FileSize.valueOf("5GB"));
        policy.start();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        file.setRollingPolicy(policy);
        file.setEncoder(encoder);
        file.start();
        Logger audit = context.getLogger(AuditLog.LOGGER);
        audit.detachAndStopAllAppenders();
        audit.addAppender(file);
        audit.setLevel(ch.qos.logback.classic.Level.INFO);
        audit.setAdditive(false);
    }
}
