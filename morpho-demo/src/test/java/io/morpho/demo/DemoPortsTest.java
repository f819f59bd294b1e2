package io.morpho.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The demo's services never share a port: a collision once let one service's health check pass for another's. */
class DemoPortsTest {
    @Test
    void randomPortsAreFourDifferentFreePorts() {
        for (int i = 0; i < 50; i++) {
            DemoStack.Ports p = DemoStack.Ports.random();
            assertThat(Set.of(p.kafka(), p.ingest(), p.inference(), p.catalog())).hasSize(4);
        }
    }

    @Test
    void aTakenDefaultIsReplacedByAnotherFreePort() throws Exception {
        ServerSocket held = null;
        try {
            held = new ServerSocket(8081, 1, InetAddress.getLoopbackAddress());
        } catch (java.io.IOException alreadyTaken) {
            // someone else holds the ingest service's default port: just as good for this test
        }
        try {
            DemoStack.Ports p = DemoStack.Ports.defaults();
            assertThat(p.ingest()).isNotEqualTo(8081);
            assertThat(Set.of(p.kafka(), p.ingest(), p.inference(), p.catalog())).hasSize(4);
        } finally {
            if (held != null) {
                held.close();
            }
        }
    }
}
