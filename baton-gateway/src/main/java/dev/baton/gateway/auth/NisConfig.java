package dev.baton.gateway.auth;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.baton.gateway.auth.ConfigCheck.require;

/**
 * Configuration of a file-fed {@link NisAuthenticator}; checked when built, errors name the key.
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>type</th><th>meaning, default</th></tr>
 * <tr><td>{@code nis.passwdMap}</td><td>path</td><td>the passwd map as {@code ypcat passwd} prints it; required</td></tr>
 * <tr><td>{@code nis.groupMap}</td><td>path</td><td>the group map as {@code ypcat group} prints it; none (no groups)</td></tr>
 * </table>
 *
 * @param passwdMap readable passwd-format file
 * @param groupMap  readable group-format file, or {@code null}
 */
public record NisConfig(Path passwdMap, Path groupMap) {
    /** Checks that the files are there and readable. */
    public NisConfig {
        require(passwdMap != null, "nis.passwdMap", "must be set");
        require(Files.isReadable(passwdMap), "nis.passwdMap", passwdMap + " is not a readable file");
        require(groupMap == null || Files.isReadable(groupMap), "nis.groupMap", groupMap + " is not a readable file");
    }
}
