package org.demi.deb.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Installed versions ({@link Version#parseTolerant}) are shared between hosts: the same text is
 * the same object, so its hash and sort key are computed once for the whole fleet.
 */
class VersionPoolTest {

    @Test
    void theSameTextGivesTheSameVersionAndAnEqualTextAnother() {
        Version a = Version.parseTolerant("2.36-9+deb12u7");
        assertThat(Version.parseTolerant(new String("2.36-9+deb12u7"))).isSameAs(a);
        // Equal as dpkg says, but written otherwise: its own object, which keeps its own text.
        Version b = Version.parseTolerant("0:2.36-9+deb12u7");
        assertThat(b).isNotSameAs(a).isEqualTo(a).hasToString("0:2.36-9+deb12u7");
        assertThat(b.compareTo(a)).isZero();
        assertThat(a.compareTo(a)).isZero();
        assertThat(Version.parseTolerant("2.36-9+deb12u8")).isGreaterThan(a);
    }

    @Test
    void aSharedVersionOrdersAsAFreshOne() {
        String[] texts = {"1.0~rc1-1", "1.0-1", "1:0.9-1", "1.0-1+b1", "1.0.0-1", "1.0-1~bpo12+1", "2"};
        for (String x : texts) {
            for (String y : texts) {
                assertThat(Integer.signum(Version.parseTolerant(x).compareTo(Version.parseTolerant(y))))
                        .as("%s against %s", x, y)
                        .isEqualTo(Integer.signum(Version.parseUnshared(x).compareTo(Version.parseUnshared(y))));
            }
            assertThat(Version.parseTolerant(x).sortKey()).isEqualTo(Version.parseUnshared(x).sortKey());
        }
    }

    @Test
    void aBadTextIsRefusedEveryTimeAndNotKept() {
        assertThatThrownBy(() -> Version.parseTolerant("1.0-")).isInstanceOf(InvalidVersionException.class);
        assertThatThrownBy(() -> Version.parseTolerant("1.0-")).isInstanceOf(InvalidVersionException.class)
                .hasMessageContaining("revision number is empty");
    }

    @Test
    void pastItsLimitAPoolKeepsWhatItHasAndParsesTheRestAfresh() {
        VersionPool pool = new VersionPool(2);
        Version one = pool.tolerant("1.0-1");
        Version two = pool.tolerant("2.0-1");
        Version three = pool.tolerant("3.0-1");
        assertThat(pool.tolerant("1.0-1")).isSameAs(one);
        assertThat(pool.tolerant("2.0-1")).isSameAs(two);
        assertThat(pool.tolerant("3.0-1")).isNotSameAs(three).isEqualTo(three).hasToString("3.0-1");
    }
}
