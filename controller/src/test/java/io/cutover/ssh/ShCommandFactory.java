package io.cutover.ssh;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test server side of exec: runs each command line with {@code /bin/sh -c}, as OpenSSH's sshd does
 * with the user's shell, and records every command line it was asked to run — for the helper's
 * {@code serve}, each call it is sent too, as the exec line it stands for ({@link ServedCalls}).
 */
final class ShCommandFactory implements CommandFactory {
    final List<String> executed = new CopyOnWriteArrayList<>();
    final Map<String, String> environment = new ConcurrentHashMap<>();
    volatile String pathPrefix;

    @Override
    public Command createCommand(ChannelSession channel, String command) {
        executed.add(command);
        return new ShCommand(command, pathPrefix, Map.copyOf(environment), ServedCalls.of(command, executed::add));
    }

    private static final class ShCommand implements Command {
        private final String command;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;
        private volatile Process process;

        private final String pathPrefix;
        private final Map<String, String> environment;
        private final java.util.function.UnaryOperator<InputStream> stdinWatch;

        ShCommand(String command, String pathPrefix, Map<String, String> environment,
                  java.util.function.UnaryOperator<InputStream> stdinWatch) {
            this.command = command;
            this.pathPrefix = pathPrefix;
            this.environment = environment;
            this.stdinWatch = stdinWatch;
        }

        @Override public void setInputStream(InputStream in) { this.in = stdinWatch.apply(in); }
        @Override public void setOutputStream(OutputStream out) { this.out = out; }
        @Override public void setErrorStream(OutputStream err) { this.err = err; }
        @Override public void setExitCallback(ExitCallback callback) { this.exit = callback; }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command);
            builder.environment().putAll(environment);
            if (pathPrefix != null) {
                builder.environment().merge("PATH", pathPrefix, (old, prefix) -> prefix + ":" + old);
            }
            process = builder.start();
            Thread stdin = pump(in, process.getOutputStream(), true);
            Thread stdout = pump(process.getInputStream(), out, false);
            Thread stderr = pump(process.getErrorStream(), err, false);
            Thread waiter = new Thread(() -> {
                try {
                    int status = process.waitFor();
                    stdout.join();
                    stderr.join();
                    stdin.interrupt();
                    exit.onExit(status);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "test-sshd-wait");
            waiter.setDaemon(true);
            waiter.start();
        }

        @Override
        public void destroy(ChannelSession channel) {
            Process running = process;
            if (running != null) {
                running.descendants().forEach(ProcessHandle::destroyForcibly);
                running.destroyForcibly();
            }
        }

        private static Thread pump(InputStream from, OutputStream to, boolean closeWhenDone) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try {
                    int n;
                    while ((n = from.read(buffer)) >= 0) {
                        to.write(buffer, 0, n);
                        to.flush();
                    }
                } catch (IOException ignored) {
                    // the other side went away
                } finally {
                    if (closeWhenDone) {
                        try {
                            to.close();
                        } catch (IOException ignored) {
                            // already closed
                        }
                    }
                }
            }, "test-sshd-pump");
            thread.setDaemon(true);
            thread.start();
            return thread;
        }
    }
}
