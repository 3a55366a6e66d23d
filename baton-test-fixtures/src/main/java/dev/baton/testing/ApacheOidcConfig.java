package dev.baton.testing;

import dev.baton.testing.ThrowawayApacheOidc.Application;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The httpd.conf of a {@link ThrowawayApacheOidc}: only the modules it uses, everything it writes in its folder,
 * and one virtual host per application. {@code -Dbaton.apache.logLevel=debug} makes mod_auth_openidc log every
 * step into {@code error.log} ({@code info} by default).
 */
final class ApacheOidcConfig {
    private static final List<String> MODULES = List.of("mpm_event", "authz_core", "authn_core", "authz_user", "mime",
            "dir", "include", "auth_openidc");

    private ApacheOidcConfig() {
    }

    static String of(Path dir, URI discovery, List<Application> applications, Map<String, Integer> ports, boolean root) {
        StringBuilder c = new StringBuilder();
        c.append("ServerRoot ").append(dir).append('\n')
                .append("DefaultRuntimeDir ").append(dir.resolve("run")).append('\n')
                .append("PidFile ").append(dir.resolve("run/httpd.pid")).append('\n')
                .append("ErrorLog ").append(dir.resolve("error.log")).append('\n')
                .append("LogLevel warn auth_openidc:").append(System.getProperty("baton.apache.logLevel", "info")).append('\n');
        for (String m : MODULES) {
            c.append("LoadModule ").append(m).append("_module ")
                    .append(ThrowawayApacheOidc.MODULES.resolve("mod_" + m + ".so")).append('\n');
        }
        if (root) {
            // Apache refuses to serve as root; Debian's package creates www-data.
            c.append("User www-data\nGroup www-data\n");
        }
        c.append("""
                ServerName 127.0.0.1
                TypesConfig /dev/null
                AddType text/html .shtml
                AddOutputFilter INCLUDES .shtml
                DirectoryIndex index.shtml
                StartServers 1
                ThreadsPerChild 16
                """);
        for (Application app : applications) {
            c.append(virtualHost(dir, discovery, app, ports.get(app.name())));
        }
        return c.toString();
    }

    private static String virtualHost(Path dir, URI discovery, Application app, int port) {
        String home = "http://127.0.0.1:" + port + "/" + app.name() + "/";
        return """
                Listen 127.0.0.1:%2$d
                <VirtualHost 127.0.0.1:%2$d>
                  DocumentRoot %3$s
                  OIDCProviderMetadataURL %4$s
                  OIDCClientID %5$s
                  OIDCClientSecret "%6$s"
                  OIDCRedirectURI %7$sredirect_uri
                  OIDCCryptoPassphrase %8$s
                  OIDCSSLValidateServer Off
                  OIDCProviderTokenEndpointAuth client_secret_basic
                  OIDCPKCEMethod S256
                  OIDCResponseType code
                  OIDCScope "%9$s"
                  OIDCRemoteUserClaim sub
                  OIDCSessionType server-cache
                  OIDCCookie baton_%1$s_session
                  OIDCStateCookiePrefix baton_%1$s_state_
                  OIDCCookiePath /%1$s/
                  <Directory %3$s/%1$s>
                    Options +Includes
                  </Directory>
                  <Location /%1$s/>
                    AuthType openid-connect
                    Require valid-user
                  </Location>
                </VirtualHost>
                """.formatted(app.name(), port, dir.resolve("www"), discovery, app.clientId(), app.clientSecret(), home,
                ThrowawayApacheOidc.randomPassphrase(), app.scopes());
    }
}
