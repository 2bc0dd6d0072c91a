package io.cutover.ssh;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SudoTest {
    @Test
    void withoutBecomeTheCommandIsUnchanged() {
        Sudo.Wrapped wrapped = Sudo.wrap(Become.none(), "id -u", null);

        assertThat(wrapped.command()).isEqualTo("id -u");
        assertThat(wrapped.stdin()).isEmpty();
    }

    @Test
    void noPasswordSudoNeverPromptsAndRunsTheWholeLineInARootShell() {
        Sudo.Wrapped wrapped = Sudo.wrap(Become.sudo("root"), "cat > /etc/x", "data".getBytes(StandardCharsets.UTF_8));

        assertThat(wrapped.command()).isEqualTo("sudo -n -u root -- sh -c 'cat > /etc/x'");
        assertThat(new String(wrapped.stdin(), StandardCharsets.UTF_8)).isEqualTo("data");
    }

    @Test
    void thePasswordGoesFirstOnStdinAndNowhereElse() {
        Become become = Become.sudoWithPassword("root", "hunter2".toCharArray());

        Sudo.Wrapped wrapped = Sudo.wrap(become, "id -u", "in".getBytes(StandardCharsets.UTF_8));

        assertThat(wrapped.command()).isEqualTo("sudo -k -S -p '' -u root -- sh -c 'id -u'");
        assertThat(new String(wrapped.stdin(), StandardCharsets.UTF_8)).isEqualTo("hunter2\nin");
        assertThat(wrapped.toString()).doesNotContain("hunter2");
        assertThat(become.toString()).doesNotContain("hunter2");
    }

    @Test
    void aPasswordWithALineBreakOrABadUserIsRefused() {
        assertThatThrownBy(() -> Become.sudoWithPassword("root", "a\nb".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("a\nb");
        assertThatThrownBy(() -> Become.sudo("-u")).isInstanceOf(IllegalArgumentException.class);
    }
}
