package io.morpho.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import io.morpho.events.Topics;

class LocalStackTest {
    @Test
    void inJvmBrokerHasTheMorphoTopicsAndCarriesRecords() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get())
                        .contains(Topics.CUTOUTS, Topics.CLASSIFICATIONS, Topics.MODELS, Topics.DEAD_LETTER);
            }
            assertRoundTrip(kafka.bootstrapServers());
        }
    }

    @Test
    void childProcessBrokerServesAndDiesWhenKilled() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.startChildProcess(0, null);
        try {
            assertRoundTrip(kafka.bootstrapServers());
            kafka.process().destroyForcibly().waitFor();
            assertThat(kafka.process().isAlive()).isFalse();
        } finally {
            kafka.close();
        }
    }

    @Test
    void postgresIsRealAndHasTheMorphoDatabase() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start();
             Connection c = DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgres.USER, EmbeddedPostgres.PASSWORD);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_database(), current_setting('server_version_num')::int")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("morpho");
            assertThat(rs.getInt(2)).isGreaterThanOrEqualTo(170000);
        }
    }

    @Test
    void postgresStopsAndRestartsOnItsPortWithItsData() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgres.USER, EmbeddedPostgres.PASSWORD);
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)");
            }
            pg.stop();
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                    DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgres.USER, EmbeddedPostgres.PASSWORD).close())
                    .isInstanceOf(java.sql.SQLException.class);
            pg.restart();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgres.USER, EmbeddedPostgres.PASSWORD);
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }

    private static void assertRoundTrip(String bootstrap) {
        try (var producer = new KafkaProducer<byte[], byte[]>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer());
             var consumer = new KafkaConsumer<byte[], byte[]>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ConsumerConfig.GROUP_ID_CONFIG, "t", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            producer.send(new ProducerRecord<>(Topics.DEAD_LETTER, "hello".getBytes(StandardCharsets.UTF_8))).get();
            consumer.subscribe(List.of(Topics.DEAD_LETTER));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    assertThat(new String(records.iterator().next().value(), StandardCharsets.UTF_8)).isEqualTo("hello");
                    return;
                }
            }
            throw new AssertionError("no record came back within 30 s");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
