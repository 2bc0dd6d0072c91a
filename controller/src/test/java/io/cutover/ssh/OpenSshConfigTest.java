package io.cutover.ssh;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OpenSshConfigTest {
    @Test
    void patternsUseStarQuestionMarkAndNegationCaseInsensitively() {
        assertThat(OpenSshConfig.matches(List.of("web*"), "WEB12")).isTrue();
        assertThat(OpenSshConfig.matches(List.of("db?"), "db1")).isTrue();
        assertThat(OpenSshConfig.matches(List.of("db?"), "db12")).isFalse();
        assertThat(OpenSshConfig.matches(List.of("*", "!bastion"), "bastion")).isFalse();
        assertThat(OpenSshConfig.matches(List.of("!bastion", "*"), "web1")).isTrue();
        assertThat(OpenSshConfig.matches(List.of("a,b*"), "bee")).isTrue();
    }

    @Test
    void theFirstObtainedValueWinsAndIdentityFilesAccumulate() {
        OpenSshConfig config = OpenSshConfig.parse("""
                # global part applies to every host
                ConnectTimeout=7
                Host web1
                    user first
                    IdentityFile "~/.ssh/my key"
                Host web*
                    User second
                    IdentityFile ~/.ssh/other
                """, "cfg");

        OpenSshConfig.HostConfig web1 = config.lookup("web1");

        assertThat(web1.get("User")).isEqualTo("first");
        assertThat(web1.get("connecttimeout")).isEqualTo("7");
        assertThat(web1.identityFiles()).containsExactly("~/.ssh/my key", "~/.ssh/other");
        assertThat(config.lookup("db1").get("user")).isNull();
    }

    @Test
    void matchAndIncludeAreReportedWithTheirLineAndNotApplied() {
        OpenSshConfig config = OpenSshConfig.parse("Include ~/.ssh/conf.d/*\nMatch host web1\n  User matched\n", "cfg");

        assertThat(config.lookup("web1").get("user")).isNull();
        assertThat(config.warnings()).containsExactly(
                "cfg:1: Include is not supported; ~/.ssh/conf.d/* is not read",
                "cfg:2: Match blocks are not supported; their options are ignored");
    }
}
