package dev.baton.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/** {@code baton demo}: runs the migration story on embedded defaults and narrates it. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Sign in at gateway A, migrate to gateway B, and show what each side holds, on embedded defaults.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        new MigrationDemo(spec.commandLine().getOut()).run();
        return 0;
    }
}
