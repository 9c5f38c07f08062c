package org.demi.web.cli;

import org.demi.deb.BadInputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.demi.web.access.PasswordHash;
import org.demi.web.access.Role;
import org.demi.web.access.User;
import org.demi.web.access.UsersFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code demi users add|remove|list}: the accounts of the web interface, in {@code <data>/users}. */
@Command(name = "users", mixinStandardHelpOptions = true,
        description = "The web interface's users: add, remove, list, token.",
        subcommands = {UsersCommand.Add.class, UsersCommand.Remove.class, UsersCommand.ListUsers.class, UsersCommand.Token.class})
public final class UsersCommand implements Runnable {
    @ParentCommand
    Demi demi;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say add, remove, list or token");
    }

    UsersFile file() {
        return new UsersFile(demi.global.dataDir());
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add a user, or set a user's password and role.", "Add a user, or give an existing one a new password and role; the password is the first line of standard input."})
    static final class Add implements Callable<Integer> {
        @ParentCommand
        UsersCommand users;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "USER", description = "The user name: letters, digits, . _ -.")
        String name;

        @Option(names = "--admin", description = "An admin, who may also manage users on the web (default: a viewer).")
        boolean admin;

        @Override
        public Integer call() throws IOException {
            User.checkName(name);
            String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (password == null) {
                throw new BadInputException("no password on standard input (echo ... | demi users add " + name + ")");
            }
            User.checkPassword(password);
            UsersFile file = users.file();
            boolean existed = file.find(name).isPresent();
            Role role = admin ? Role.ADMIN : Role.VIEWER;
            file.put(new User(name, role, PasswordHash.hash(password, new SecureRandom())));
            PrintWriter out = spec.commandLine().getOut();
            out.println((existed ? "replaced " : "added ") + name + " (" + role.word() + ")");
            out.flush();
            return Demi.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a user; their sessions end at their next request.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        UsersCommand users;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "USER", description = "An existing user (demi users list).")
        String name;

        @Override
        public Integer call() throws IOException {
            if (!users.file().remove(name)) {
                throw new BadInputException("there is no user '" + name + "'");
            }
            spec.commandLine().getOut().println("removed " + name);
            spec.commandLine().getOut().flush();
            return Demi.OK;
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = {"Print a new API token for a user.",
                "Print a new API token for USER, once (only its SHA256 is kept); it revokes the user's previous one.",
                    "Scripts send it as 'Authorization: Bearer TOKEN' to read the pages and /api/v1 as the user; it submits no form."})
    static final class Token implements Callable<Integer> {
        @ParentCommand
        UsersCommand users;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "USER", description = "An existing user (demi users list).")
        String name;

        @Override
        public Integer call() throws IOException {
            UsersFile file = users.file();
            if (file.find(name).isEmpty()) {
                throw new BadInputException("there is no user '" + name + "' (demi users list)");
            }
            spec.commandLine().getOut().println(file.apiTokens().issue(name));
            spec.commandLine().getOut().flush();
            return Demi.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users and their roles.")
    static final class ListUsers implements Callable<Integer> {
        @ParentCommand
        UsersCommand users;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            for (User u : users.file().read()) {
                out.println(u.name() + " " + u.role().word());
            }
            out.flush();
            return Demi.OK;
        }
    }
}
