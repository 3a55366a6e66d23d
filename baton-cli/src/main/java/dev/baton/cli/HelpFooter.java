package dev.baton.cli;

import dev.baton.core.ResultCode;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Collectors;

/**
 * The end of {@code baton --help}: the exit statuses, made from {@link ResultCode} so they cannot drift from it, and
 * the environment variables the command and the {@code ./baton} script read (README, "Environment variables").
 */
final class HelpFooter {
    private HelpFooter() {
    }

    static String text() {
        String statuses = Arrays.stream(ResultCode.values()).sorted(Comparator.comparingInt(ResultCode::exitStatus))
                .collect(Collectors.groupingBy(ResultCode::exitStatus, java.util.TreeMap::new,
                        Collectors.mapping(Enum::name, Collectors.joining(", "))))
                .entrySet().stream().map(e -> String.format("  %2d  %s", e.getKey(), e.getValue())).collect(Collectors.joining("%n"));
        return String.join("%n",
                "",
                "Exit status: 0 on success; otherwise the result code's, with",
                "\"baton: CODE: reason\" on standard error, the reason naming the cause and",
                "the next step (README, \"Errors\"):",
                statuses.replace("INVALID_REQUEST", "INVALID_REQUEST (also a command line that cannot be parsed)"),
                "",
                "Environment:",
                "  BATON_LOG_LEVEL        all log lines on standard error (default WARN)",
                "  BATON_EVENT_LOG_LEVEL  a gateway's event lines (logger baton.events): one",
                "                         per sign-in, migration in and out, session end and",
                "                         refusal; at most 20 a second plus a summary line",
                "                         (default INFO)",
                "  HOME                   the agent's state is $HOME/.baton/agent.state unless",
                "                         --state says otherwise",
                "  BATON_JAVA_OPTS        (./baton) options for the java command running Baton",
                "  JAVA_HOME              (./baton) the JDK to use when it is 21 or newer");
    }
}
