package dev.tollgate.testing;

import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.List;
import java.util.Map;

/** The get_weather tool the mock upstreams call, and the mock model names of each upstream kind. */
public final class WeatherTool {

  private WeatherTool() {}

  /** An OpenAI chat request asking about Paris with get_weather(city) on offer. */
  public static ChatCompletionCreateParams.Builder openAiRequest(String model) {
    return ChatCompletionCreateParams.builder()
        .model(model)
        .addUserMessage("Weather in Paris?")
        .addFunctionTool(FunctionDefinition.builder()
            .name("get_weather")
            .description("Current weather")
            .parameters(FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                .build())
            .build());
  }

  /**
   * The mock model of an upstream kind ("openai", "anthropic", "gemini") for a scenario ("text",
   * "tools", "400"): mock-*, claude-* and gemini-* as the mock upstreams name them.
   */
  public static String mockModel(String upstream, String scenario) {
    return switch (upstream) {
      case "openai" -> "mock-" + scenario;
      case "anthropic" -> "claude-" + scenario;
      default -> "gemini-" + scenario;
    };
  }
}
