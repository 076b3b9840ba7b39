package dev.tollgate.account;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.SecretBox;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.db.Sql;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What accounts need before the first request: a root admin, and the secret that signs sessions. */
public final class AccountBootstrap {

  private static final Logger LOG = LoggerFactory.getLogger(AccountBootstrap.class);
  static final String ROOT_USERNAME = "root";
  public static final String SESSION_SECRET = "session_secret";
  private static final SecureRandom RANDOM = new SecureRandom();

  private AccountBootstrap() {}

  /**
   * The root admin: created on the very first start (with the configured password, or a random
   * one printed once to {@code console}, never to the log), and the owner of any key made before
   * accounts existed.
   */
  public static User ensureRoot(UserRepository users, ApiKeyRepository keys, String configuredPassword,
      PrintStream console) {
    Optional<User> root = users.firstRoot();
    if (root.isEmpty() && users.count() == 0) {
      String password = configuredPassword != null ? configuredPassword : randomPassword();
      Passwords.requireAcceptable("accounts.root_password", password);
      try {
        root = Optional.of(users.insert(new UserRepository.NewUser(ROOT_USERNAME, null, "Root", Passwords.hash(password),
            Role.ROOT, Group.DEFAULT, InviteCodes.next(), null)));
        LOG.info("created the root admin '{}' (user {})", ROOT_USERNAME, root.get().id());
        if (configuredPassword == null) {
          console.println("Tollgate created the admin account '" + ROOT_USERNAME + "' with the password: " + password);
          console.println("It is shown only now: log in with it and change it (PUT /api/user/self).");
        }
      } catch (Sql.DataAccessException anotherReplicaWon) {
        root = users.firstRoot();
      }
    }
    User owner = root.orElseThrow(() -> new IllegalStateException("no root admin exists and none could be created"));
    int adopted = keys.adoptOrphans(owner.id());
    if (adopted > 0) {
      LOG.info("gave {} API keys made before accounts existed to the root admin", adopted);
    }
    return owner;
  }

  /**
   * Sessions signed with {@code accounts.jwt_secret}, or else with a secret made at first start and
   * kept in the database, encrypted with the gateway's secret key, so that every replica signs and
   * checks with the same one.
   */
  public static Sessions sessions(TollgateConfig.Accounts config, SettingsRepository settings, SecretBox box, Clock clock) {
    Duration validity = Duration.ofDays(config.sessionDays());
    if (config.jwtSecret() != null) {
      return Sessions.withSecret(config.jwtSecret(), clock, validity);
    }
    String sealed = settings.findOrCreate(SESSION_SECRET, () -> newSealedSecret(box));
    try {
      return new Sessions(Base64.getDecoder().decode(box.decrypt(sealed)), clock, validity);
    } catch (ConfigException sealedWithAnotherKey) {
      // Unlike channel keys, this secret can be replaced: the only loss is that everyone logs in again.
      LOG.warn("the stored session secret was encrypted with another secret key; made a new one (users must log in again)");
      String fresh = newSealedSecret(box);
      settings.put(SESSION_SECRET, fresh);
      return new Sessions(Base64.getDecoder().decode(box.decrypt(fresh)), clock, validity);
    }
  }

  private static String newSealedSecret(SecretBox box) {
    byte[] fresh = new byte[48];
    RANDOM.nextBytes(fresh);
    return box.encrypt(Base64.getEncoder().encodeToString(fresh));
  }

  private static String randomPassword() {
    byte[] bytes = new byte[15];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
