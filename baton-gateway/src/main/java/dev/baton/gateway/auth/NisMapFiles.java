package dev.baton.gateway.auth;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * NIS maps read from files in the format {@code ypcat passwd} and {@code ypcat group} print (the same as
 * {@code /etc/passwd} and {@code /etc/group}). In production the files come from a bound NIS client
 * ({@code ypbind} running, the domain set with {@code domainname}), refreshed by a periodic job such as
 * {@code ypcat passwd > passwd.new && mv passwd.new passwd.map} (an atomic replace), or they are the
 * source files of the NIS master itself. Where {@code passwd.byname} shows {@code x} because the hashes
 * live in {@code shadow.byname} or {@code passwd.adjunct.byname} (served only to privileged ports), the job
 * must merge the hash back into the second field. A file is re-read when its size or
 * modification time changes, checked on every look-up. Lines that do not parse are skipped with a warning.
 * Thread-safe.
 */
public final class NisMapFiles implements NisMaps {
    private static final Logger LOG = LoggerFactory.getLogger(NisMapFiles.class);

    private final Path passwdFile;
    private final Path groupFile;
    private volatile Snapshot<Map<String, PasswdEntry>> passwd;
    private volatile Snapshot<List<Group>> groups;

    private record Snapshot<T>(FileTime modified, long size, T value) {
    }

    private record Group(String name, long gid, List<String> members) {
    }

    /**
     * @param passwdFile the passwd map
     * @param groupFile  the group map, or {@code null} for none
     */
    public NisMapFiles(Path passwdFile, Path groupFile) {
        this.passwdFile = passwdFile;
        this.groupFile = groupFile;
    }

    @Override
    public Optional<PasswdEntry> passwd(String username) {
        Snapshot<Map<String, PasswdEntry>> current = passwd;
        if (stale(current, passwdFile)) {
            current = loadPasswd();
            passwd = current;
        }
        return Optional.ofNullable(current.value().get(username));
    }

    @Override
    public List<String> groupsOf(PasswdEntry user) {
        if (groupFile == null) {
            return List.of();
        }
        Snapshot<List<Group>> current = groups;
        if (stale(current, groupFile)) {
            current = loadGroups();
            groups = current;
        }
        return current.value().stream().filter(g -> g.gid() == user.gid() || g.members().contains(user.name())).map(Group::name).toList();
    }

    private static boolean stale(Snapshot<?> snapshot, Path file) {
        if (snapshot == null) {
            return true;
        }
        BasicFileAttributes now = attributes(file);
        return !now.lastModifiedTime().equals(snapshot.modified()) || now.size() != snapshot.size();
    }

    private Snapshot<Map<String, PasswdEntry>> loadPasswd() {
        BasicFileAttributes attrs = attributes(passwdFile);
        Map<String, PasswdEntry> byName = new HashMap<>();
        for (String line : lines(passwdFile)) {
            try {
                PasswdEntry e = PasswdEntry.parse(line);
                byName.putIfAbsent(e.name(), e); // like getpwnam(3): the first entry wins
            } catch (BatonException e) {
                LOG.warn("skipping a line of NIS passwd map {}: {}", passwdFile, e.getMessage());
            }
        }
        return new Snapshot<>(attrs.lastModifiedTime(), attrs.size(), Map.copyOf(byName));
    }

    private Snapshot<List<Group>> loadGroups() {
        BasicFileAttributes attrs = attributes(groupFile);
        List<Group> all = new ArrayList<>();
        for (String line : lines(groupFile)) {
            String[] f = line.split(":", -1);
            try {
                List<String> members = f.length == 4 && !f[3].isBlank() ? List.of(f[3].split(",")) : List.of();
                all.add(new Group(f[0], Long.parseLong(f[2]), members.stream().map(String::strip).toList()));
            } catch (RuntimeException e) {
                LOG.warn("skipping a line of NIS group map {}: expected name:password:gid:members", groupFile);
            }
        }
        return new Snapshot<>(attrs.lastModifiedTime(), attrs.size(), List.copyOf(all));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("+") && !l.startsWith("-")).toList();
        } catch (IOException e) {
            throw new BatonException(ResultCode.UNAVAILABLE, "cannot read NIS map " + file + ": " + e.getMessage(), e);
        }
    }

    private static BasicFileAttributes attributes(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new BatonException(ResultCode.UNAVAILABLE, "cannot read NIS map " + file + ": " + e.getMessage(), e);
        }
    }
}
