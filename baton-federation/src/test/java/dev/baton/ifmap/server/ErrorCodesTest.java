package dev.baton.ifmap.server;

import de.hshannover.f4.trust.ifmapj.exception.IfmapErrorCode;
import dev.baton.ifmap.model.IfmapError;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Every errorResult code the server writes is one a standard IF-MAP client (ifmapj) can parse. */
class ErrorCodesTest {
    private static final Pattern CODE = Pattern.compile("errorCode=\"([A-Za-z]+)\"");

    @Test
    void everyErrorCodeWrittenIsOneIfmapjKnows() {
        for (IfmapError error : IfmapError.values()) {
            Matcher m = CODE.matcher(ResponseWriter.error(error, "because"));
            assertThat(m.find()).as(error.name()).isTrue();
            assertThatCode(() -> IfmapErrorCode.valueOf(m.group(1))).as(error.name()).doesNotThrowAnyException();
            if (error != IfmapError.NotAuthorized) {
                assertThat(m.group(1)).isEqualTo(error.name());
            }
        }
        assertThat(ResponseWriter.error(IfmapError.NotAuthorized, "no")).contains("errorCode=\"AccessDenied\"");
    }
}
