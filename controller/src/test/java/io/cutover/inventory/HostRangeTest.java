package io.cutover.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostRangeTest {

    @Test
    void zeroPaddedRangeKeepsTheWidth() {
        assertThat(HostRange.expand("pgb[01:03].example.com"))
                .containsExactly("pgb01.example.com", "pgb02.example.com", "pgb03.example.com");
    }

    @Test
    void letterRangeAndStride() {
        assertThat(HostRange.expand("node[a:c]")).containsExactly("nodea", "nodeb", "nodec");
        assertThat(HostRange.expand("w[0:20:5]")).containsExactly("w0", "w5", "w10", "w15", "w20");
        assertThat(HostRange.expand("x[y:B]")).containsExactly("xy", "xz", "xA", "xB");
    }

    @Test
    void severalRangesMultiply() {
        assertThat(HostRange.expand("r[1:2]-u[a:b]")).containsExactly("r1-ua", "r1-ub", "r2-ua", "r2-ub");
    }

    @Test
    void missingBeginMeansZeroAndBeginAfterEndIsEmpty() {
        assertThat(HostRange.expand("h[:2]")).containsExactly("h0", "h1", "h2");
        assertThat(HostRange.expand("h[5:1]")).isEmpty();
    }

    @Test
    void unequalZeroPaddingIsRefused() {
        assertThatThrownBy(() -> HostRange.expand("y[001:3]"))
                .hasMessageContaining("equal-length begin and end");
    }

    @Test
    void absurdlyLargeRangesAreRefused() {
        assertThatThrownBy(() -> HostRange.expand("h[1:99999999]")).hasMessageContaining("more than 100000 hosts");
    }

    @Test
    void portIsSplitOffHostnamesAndBracketedIpv6() {
        assertThat(HostAddress.splitPort("web1:2222")).isEqualTo(new HostAddress.Parsed("web1", 2222));
        assertThat(HostAddress.splitPort("[2001:db8::2]:2200")).isEqualTo(new HostAddress.Parsed("2001:db8::2", 2200));
        assertThat(HostAddress.splitPort("2001:db8::1")).isEqualTo(new HostAddress.Parsed("2001:db8::1", null));
        assertThat(HostAddress.splitPort("w[1:3]:22")).isEqualTo(new HostAddress.Parsed("w[1:3]", 22));
    }
}
