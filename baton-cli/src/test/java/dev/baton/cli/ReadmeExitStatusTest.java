package dev.baton.cli;

import dev.baton.core.ResultCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's table of result codes is the operator's reference for exit statuses; it had wrong IF-MAP codes and
 * lacked {@code SESSION_LIMIT}. It must list every {@link ResultCode} with the HTTP status, IF-MAP code and exit
 * status the code really has.
 */
class ReadmeExitStatusTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z_]+)` \\| (\\d+) \\| (\\w+) \\| (\\d+) \\|", Pattern.MULTILINE);

    @Test
    void theReadmesErrorTableListsEveryResultCodeAsItIs() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String errors = readme.substring(readme.indexOf("## Errors"));
        Map<String, String> documented = new java.util.TreeMap<>();
        Matcher m = ROW.matcher(errors);
        while (m.find()) {
            documented.put(m.group(1), m.group(2) + " " + m.group(3) + " " + m.group(4));
        }
        Map<String, String> actual = Arrays.stream(ResultCode.values()).collect(Collectors.toMap(Enum::name,
                c -> c.httpStatus() + " " + c.ifmapErrorCode() + " " + c.exitStatus(), (a, b) -> a, java.util.TreeMap::new));
        assertThat(documented).isEqualTo(actual);
    }
}
