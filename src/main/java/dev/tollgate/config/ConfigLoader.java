package dev.tollgate.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@link TollgateConfig} from a YAML file, then applies environment overrides.
 *
 * <p>Every scalar setting {@code a.b_c} can be overridden by {@code TOLLGATE_A_B_C}. The names are
 * derived from the record tree itself, so a new setting gets its variable without extra code.
 * Lists (channels, keys) come from the file only.
 */
public final class ConfigLoader {

  public static final String ENV_PREFIX = "TOLLGATE_";
  private static final Path DEFAULT_FILE = Path.of("tollgate.yaml");

  private final ObjectMapper yaml =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  /**
   * @param file the config file, or null for {@code ./tollgate.yaml} when present (or {@code
   *     TOLLGATE_CONFIG})
   */
  public TollgateConfig load(Path file, Map<String, String> env) {
    Path chosen = file;
    if (chosen == null && env.get(ENV_PREFIX + "CONFIG") != null) {
      chosen = Path.of(env.get(ENV_PREFIX + "CONFIG"));
    }
    if (chosen == null && Files.exists(DEFAULT_FILE)) {
      chosen = DEFAULT_FILE;
    }
    ObjectNode tree = readTree(chosen);
    applyEnv(tree, TollgateConfig.class, "", env);
    try {
      return yaml.treeToValue(tree, TollgateConfig.class);
    } catch (JsonProcessingException e) {
      throw new ConfigException("invalid configuration: " + e.getOriginalMessage(), e);
    }
  }

  private ObjectNode readTree(Path file) {
    if (file == null) {
      return yaml.createObjectNode();
    }
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("config file not found: " + file);
    }
    try {
      JsonNode node = yaml.readTree(file.toFile());
      if (node == null || node.isMissingNode() || node.isNull()) {
        return yaml.createObjectNode();
      }
      if (!(node instanceof ObjectNode object)) {
        throw new ConfigException("config file " + file + " must hold a YAML mapping");
      }
      return object;
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
  }

  private void applyEnv(ObjectNode target, Class<?> type, String envPath, Map<String, String> env) {
    for (RecordComponent component : type.getRecordComponents()) {
      String name = PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(component.getName());
      String variable = ENV_PREFIX + envPath + name.toUpperCase();
      Class<?> componentType = component.getType();
      if (componentType.isRecord()) {
        JsonNode child = target.get(name);
        ObjectNode childObject = child instanceof ObjectNode o ? o : yaml.createObjectNode();
        applyEnv(childObject, componentType, envPath + name.toUpperCase() + "_", env);
        if (!childObject.isEmpty()) {
          target.set(name, childObject);
        }
      } else if (isScalar(component.getGenericType()) && env.get(variable) != null) {
        target.put(name, env.get(variable));
      }
    }
  }

  private static boolean isScalar(Type type) {
    return !(type instanceof ParameterizedType)
        && !List.class.equals(type)
        && !Map.class.equals(type);
  }

  /** Lists every environment variable the loader understands, for documentation and --help. */
  public static List<String> knownVariables() {
    List<String> names = new ArrayList<>();
    names.add(ENV_PREFIX + "CONFIG"); // the file itself; read by load(), not a record component
    collect(TollgateConfig.class, "", names);
    return names;
  }

  private static void collect(Class<?> type, String prefix, List<String> names) {
    for (RecordComponent component : type.getRecordComponents()) {
      String name =
          PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(component.getName()).toUpperCase();
      if (component.getType().isRecord()) {
        collect(component.getType(), prefix + name + "_", names);
      } else if (isScalar(component.getGenericType())) {
        names.add(ENV_PREFIX + prefix + name);
      }
    }
  }
}
