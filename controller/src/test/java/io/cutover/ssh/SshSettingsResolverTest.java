package io.cutover.ssh;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SshSettingsResolverTest {
    private static final Path HOME = Path.of("/home/ops");
    private final List<String> warnings = new ArrayList<>();

    private SshTarget resolve(String config, SshHost host) {
        return new SshSettingsResolver(OpenSshConfig.parse(config, "config"),
                SshSettingsResolver.Defaults.of("ops", HOME), warnings::add).resolve(host);
    }

    private SshTarget resolve(String config, String host) {
        return resolve(config, SshHost.named(host));
    }

    private static SshHost withArgs(String host, String args) {
        return new SshHost(host, host, null, null, null, null, List.of(new SshHost.Args("common", args)), null, null);
    }

    private static SshHost becoming(String host, String loginUser) {
        return new SshHost(host, host, null, loginUser, null, null, List.of(), null, new SshHost.Privilege("root", null));
    }

    @Test
    void withNothingConfiguredTheDefaultsApply() {
        SshTarget t = resolve("", "web1");

        assertThat(t.address()).isEqualTo("web1");
        assertThat(t.port()).isEqualTo(22);
        assertThat(t.user()).isEqualTo("ops");
        assertThat(t.identityFiles()).containsExactly(HOME.resolve(".ssh/id_ed25519"),
                HOME.resolve(".ssh/id_ecdsa"), HOME.resolve(".ssh/id_rsa"));
        assertThat(t.knownHosts()).isEqualTo(HOME.resolve(".ssh/known_hosts"));
        assertThat(t.hostKeyPolicy()).isEqualTo(HostKeyPolicy.STRICT);
        assertThat(t.jump()).isNull();
        assertThat(t.become()).isEqualTo(Become.none());
    }

    @Test
    void sshConfigFillsWhatTheInventoryLeavesOpenFirstValueWinning() {
        String config = """
                Host web*
                  HostName %h.prod.example
                  User deploy
                  Port 2222
                  IdentityFile ~/.ssh/web_%r
                Host *
                  User nobody
                  IdentityFile ~/.ssh/fallback
                  UserKnownHostsFile ~/.ssh/fleet_hosts ~/.ssh/other
                """;

        SshTarget t = resolve(config, "web1");

        assertThat(t.address()).isEqualTo("web1.prod.example");
        assertThat(t.user()).isEqualTo("deploy");
        assertThat(t.port()).isEqualTo(2222);
        assertThat(t.identityFiles()).containsExactly(HOME.resolve(".ssh/web_deploy"), HOME.resolve(".ssh/fallback"));
        assertThat(t.knownHosts()).isEqualTo(HOME.resolve(".ssh/fleet_hosts"));
    }

    @Test
    void inventoryVariablesWinOverArgsWhichWinOverTheConfig() {
        String config = "Host 10.0.0.5\n  User cfguser\n  Port 2200\n";
        SshHost host = new SshHost("db1", "10.0.0.5", 2022, null, Path.of("/keys/inventory"), null,
                List.of(new SshHost.Args("common", "-o User=argsuser -o Port=2100 -i /keys/args")), null, null);

        SshTarget t = resolve(config, host);

        assertThat(t.name()).isEqualTo("db1");
        assertThat(t.address()).isEqualTo("10.0.0.5");
        assertThat(t.port()).isEqualTo(2022);
        assertThat(t.user()).isEqualTo("argsuser");
        assertThat(t.identityFiles()).containsExactly(Path.of("/keys/inventory"), Path.of("/keys/args"));
    }

    @Test
    void commonArgsAreReadAsDataAndUnknownOptionsAreReportedNotRun() {
        SshHost host = withArgs("web1", "-o ProxyJump=jumper@bastion:2200 -oUserKnownHostsFile=/etc/cutover/known_hosts "
                + "-o 'StrictHostKeyChecking accept-new' -o ProxyCommand='nc %h %p' -o Ciphers=aes128-ctr"
                + " -o ControlPersist=60s -q $(touch /tmp/x)");

        SshTarget t = resolve("", host);

        assertThat(t.knownHosts()).isEqualTo(Path.of("/etc/cutover/known_hosts"));
        assertThat(t.hostKeyPolicy()).isEqualTo(HostKeyPolicy.ACCEPT_NEW);
        assertThat(t.jump().user()).isEqualTo("jumper");
        assertThat(t.jump().address()).isEqualTo("bastion");
        assertThat(t.jump().port()).isEqualTo(2200);
        assertThat(t.jump().knownHosts()).isEqualTo(Path.of("/etc/cutover/known_hosts"));
        assertThat(warnings).anyMatch(w -> w.contains("ProxyCommand is not supported"))
                .anyMatch(w -> w.contains("ciphers=aes128-ctr"))
                .anyMatch(w -> w.contains("'$(touch'"))
                .noneMatch(w -> w.contains("controlpersist"));
    }

    @Test
    void aProxyJumpChainConnectsThroughEveryHopInOrderUsingTheConfigForEachHop() {
        String config = "Host edge\n  HostName 192.0.2.1\n  User edgeuser\nHost web*\n  ProxyJump edge,[2001:db8::1]:2201\n";

        SshTarget t = resolve(config, "web1");

        SshTarget inner = t.jump();
        assertThat(inner.address()).isEqualTo("2001:db8::1");
        assertThat(inner.port()).isEqualTo(2201);
        SshTarget outer = inner.jump();
        assertThat(outer.address()).isEqualTo("192.0.2.1");
        assertThat(outer.user()).isEqualTo("edgeuser");
        assertThat(outer.jump()).isNull();
        assertThat(t.destination()).isEqualTo("ops@web1:22 via ops@2001:db8::1:2201 via edgeuser@192.0.2.1:22");
    }

    @Test
    void becomeIsSudoWithoutPasswordUnlessOneIsGiven() {
        assertThat(resolve("", becoming("a", null)).become()).isEqualTo(Become.sudo("root"));
        assertThat(resolve("", becoming("a", "root")).become()).isEqualTo(Become.none());
        SshTarget withPassword = new SshSettingsResolver(OpenSshConfig.empty(),
                new SshSettingsResolver.Defaults("ops", HOME, HostKeyPolicy.STRICT, Duration.ofSeconds(1),
                        Duration.ofSeconds(1), Duration.ZERO, "pw".toCharArray()), warnings::add)
                .resolve(becoming("a", null));
        assertThat(withPassword.become()).isEqualTo(Become.sudoWithPassword("root", "pw".toCharArray()));
    }

    @Test
    void badValuesNameTheHostAndWhereTheyWereWritten() {
        assertThatThrownBy(() -> resolve("", withArgs("web1", "-o 'Port=2")))
                .isInstanceOf(SettingsException.class).hasMessageStartingWith("web1: common: unbalanced");
        assertThatThrownBy(() -> resolve("Host *\n  Port abc\n", "web1"))
                .hasMessageStartingWith("web1: port 'abc'");
    }

    @Test
    void strictHostKeyCheckingNoIsTightenedToAcceptNewWithAWarning() {
        SshTarget t = resolve("", withArgs("web1", "-o StrictHostKeyChecking=no"));

        assertThat(t.hostKeyPolicy()).isEqualTo(HostKeyPolicy.ACCEPT_NEW);
        assertThat(warnings).singleElement().asString().contains("never trusts silently");
    }

    @Test
    void strictHostKeyCheckingNoIsWarnedAboutOncePerRunNotPerHost() {
        SshSettingsResolver resolver = withCommandLine("", HostKeyPolicy.STRICT, false, null);

        for (String host : List.of("web1", "web2", "web3", "web1")) {
            assertThat(resolver.resolve(withArgs(host, "-o StrictHostKeyChecking=no")).hostKeyPolicy())
                    .isEqualTo(HostKeyPolicy.ACCEPT_NEW);
        }

        assertThat(warnings).singleElement().asString().startsWith("web1 (and every other host where it is set)");
    }

    private SshSettingsResolver withCommandLine(String config, HostKeyPolicy policy, boolean forced, Path agent) {
        return new SshSettingsResolver(OpenSshConfig.parse(config, "config"), new SshSettingsResolver.Defaults("ops",
                HOME, policy, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO, null, forced, agent),
                warnings::add);
    }

    @Test
    void aHostKeyPolicyGivenOnTheCommandLineWinsOverStrictHostKeyCheckingAnywhere() {
        SshHost host = withArgs("web1", "-o StrictHostKeyChecking=yes");

        SshTarget forced = withCommandLine("Host *\n  StrictHostKeyChecking yes\n", HostKeyPolicy.ACCEPT_NEW, true, null)
                .resolve(host);
        SshTarget notGiven = withCommandLine("", HostKeyPolicy.ACCEPT_NEW, false, null).resolve(host);

        assertThat(forced.hostKeyPolicy()).isEqualTo(HostKeyPolicy.ACCEPT_NEW);
        assertThat(notGiven.hostKeyPolicy()).isEqualTo(HostKeyPolicy.STRICT);
    }

    @Test
    void theAgentIsSshAuthSockUnlessIdentityAgentSaysOtherwise() {
        Path sock = Path.of("/run/user/1/agent.sock");

        assertThat(withCommandLine("", HostKeyPolicy.STRICT, false, sock).resolve(SshHost.named("a")).identityAgent())
                .isEqualTo(sock);
        assertThat(withCommandLine("Host a\n  IdentityAgent none\n", HostKeyPolicy.STRICT, false, sock)
                .resolve(SshHost.named("a")).identityAgent()).isNull();
        assertThat(withCommandLine("Host a\n  IdentityAgent ~/.1password/agent.sock\n", HostKeyPolicy.STRICT, false, sock)
                .resolve(SshHost.named("a")).identityAgent()).isEqualTo(HOME.resolve(".1password/agent.sock"));
        assertThat(withCommandLine("Host a\n  IdentityAgent SSH_AUTH_SOCK\n", HostKeyPolicy.STRICT, false, sock)
                .resolve(SshHost.named("a")).identityAgent()).isEqualTo(sock);
    }

    @Test
    void explainSaysWhichSourceDecidedWhatTheInventoryLeftOpen() {
        SshSettingsResolver.Explained explained = withCommandLine("Host web1\n  Port 2200\n", HostKeyPolicy.STRICT,
                false, null).explain(withArgs("web1", "-o User=admin"));

        assertThat(explained.target().port()).isEqualTo(2200);
        assertThat(explained.origins()).containsEntry("port", "ssh_config (port)")
                .containsEntry("user", "-o user in common").containsEntry("known_hosts", "default")
                .containsEntry("agent", "none (SSH_AUTH_SOCK is not set)");
    }
}
