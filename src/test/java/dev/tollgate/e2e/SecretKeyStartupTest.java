package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.App;
import dev.tollgate.channel.ChannelSpec;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.testing.TestDatabase;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key that encrypts channel keys must be the one they were stored with: when it is missing
 * (a data directory lost while the database lives on elsewhere) or another one, the gateway
 * refuses to start with a message that says what to do, instead of failing every request.
 */
@UsesDatabase
class SecretKeyStartupTest {

  @TempDir Path dir;
  TestDatabase.Scratch database;

  @BeforeEach
  void createDatabase() {
    database = TestDatabase.selected().create(dir);
  }

  @AfterEach
  void dropDatabase() {
    database.close();
  }

  private TollgateConfig config(Path dataDir, String secretKey) {
    TollgateConfig base = TestGateway.config(dataDir, database.url(), 1_000, 1_000);
    return base.withSecretKey(secretKey);
  }

  /** Starts once with a generated key file under {@code first}, storing one channel. */
  private Path storeAChannel() {
    Path first = dir.resolve("first");
    App app = App.start(config(first, null));
    try {
      app.stores().channels().insert(new ChannelSpec("kept", "openai", "https://api.example.com/v1", "sk-stored", List.of("m"), Map.of(), 0, 1));
    } finally {
      app.stop();
    }
    return first;
  }

  @Test
  void aLostKeyFileStopsTheStartAndNoNewKeyIsMadeUp() {
    storeAChannel();
    Path lost = dir.resolve("lost");

    assertThatThrownBy(() -> App.start(config(lost, null)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("encrypted channel keys")
        .hasMessageContaining("TOLLGATE_SECRET_KEY")
        .hasMessageContaining(lost.resolve("secret.key").toString());
    assertThat(lost.resolve("secret.key")).doesNotExist();
  }

  @Test
  void storedProviderKeysNeedTheirSecretKeyToo() {
    Path first = dir.resolve("byok");
    App app = App.start(config(first, null));
    try {
      app.stores().providerKeys().insert(app.stores().root().id(), "openai", null, "sk-own-provider-key-0000");
    } finally {
      app.stop();
    }

    assertThatThrownBy(() -> App.start(config(dir.resolve("lost-byok"), null)))
        .as("no channel is stored: the provider key alone makes the secret key necessary")
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TOLLGATE_SECRET_KEY");
    String other = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    assertThatThrownBy(() -> App.start(config(dir.resolve("other-byok"), other)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("provider keys (BYOK) cannot be decrypted");
  }

  @Test
  void anotherKeyStopsTheStart() {
    storeAChannel();
    String otherKey = Base64.getEncoder().encodeToString(new byte[32]);

    assertThatThrownBy(() -> App.start(config(dir.resolve("other"), otherKey)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot be decrypted with this secret key");
  }

  @Test
  void theRightKeyGivenInTheConfigurationOpensThemFromAnywhere() throws Exception {
    Path first = storeAChannel();
    String key = Files.readString(first.resolve("secret.key")).trim();

    App app = App.start(config(dir.resolve("elsewhere"), key));
    try {
      assertThat(app.stores().channels().findByName("kept").orElseThrow().secrets().all()).containsExactly("sk-stored");
    } finally {
      app.stop();
    }
  }

  @Test
  void deletedChannelsDoNotNeedTheKey() {
    storeAChannel();
    Path fresh = dir.resolve("fresh");
    App cleanup = App.start(config(dir.resolve("first"), null));
    try {
      long id = cleanup.stores().channels().findByName("kept").orElseThrow().id();
      cleanup.stores().channels().setStatus(id, dev.tollgate.channel.ChannelStatus.DELETED);
    } finally {
      cleanup.stop();
    }

    App app = App.start(config(fresh, null));
    app.stop();
    assertThat(fresh.resolve("secret.key")).isRegularFile();
  }
}
