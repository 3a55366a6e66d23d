package dev.baton.cli;

import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import dev.baton.gateway.LocalAccounts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code baton hash-password}: reads a password from standard input and prints its Argon2id hash for a gateway's YAML. */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
        description = "Print the Argon2id hash of a password read from standard input, for 'password-hash' in a gateway configuration.")
final class HashPasswordCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (password == null || password.isEmpty()) {
            throw new BatonException(ResultCode.INVALID_REQUEST, "no password on standard input");
        }
        spec.commandLine().getOut().println(new LocalAccounts().hash(password.toCharArray()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
