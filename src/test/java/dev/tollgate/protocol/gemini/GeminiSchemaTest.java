package dev.tollgate.protocol.gemini;

import static dev.tollgate.protocol.gemini.GeminiFixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GeminiSchemaTest {

  @Test
  void unknownKeywordsAreDroppedAtEveryDepth() {
    assertThat(GeminiSchema.toGemini(tree("""
        {"type":"object","$defs":{"x":{}},"properties":{
           "list":{"type":"array","items":{"type":"object","additionalProperties":false,
                   "properties":{"v":{"$ref":"#/$defs/x","description":"d"}}}},
           "either":{"anyOf":[{"type":"string","minLength":1,"examples":["a"]},{"type":"integer","exclusiveMinimum":0}]}}}""")))
        .isEqualTo(tree("""
            {"type":"object","properties":{
               "list":{"type":"array","items":{"type":"object","properties":{"v":{"description":"d"}}}},
               "either":{"anyOf":[{"type":"string","minLength":1},{"type":"integer"}]}}}"""));
  }

  @Test
  void propertiesNamedLikeKeywordsSurvive() {
    assertThat(GeminiSchema.toGemini(tree("{\"type\":\"object\",\"properties\":{\"$schema\":{\"type\":\"string\"},\"strict\":{\"type\":\"boolean\"}}}")))
        .isEqualTo(tree("{\"type\":\"object\",\"properties\":{\"$schema\":{\"type\":\"string\"},\"strict\":{\"type\":\"boolean\"}}}"));
  }

  @Test
  void nonStringEnumsAreDroppedBecauseGeminiTakesOnlyStringEnums() {
    assertThat(GeminiSchema.toGemini(tree("{\"type\":\"integer\",\"enum\":[1,2]}"))).isEqualTo(tree("{\"type\":\"integer\"}"));
  }

  @Test
  void geminiUpperCaseTypesBecomeJsonSchemaTypesAtEveryDepth() {
    assertThat(GeminiSchema.fromGemini(tree("""
        {"type":"OBJECT","properties":{"a":{"type":"ARRAY","items":{"type":"NUMBER"}},
                                       "b":{"anyOf":[{"type":"STRING"},{"type":"BOOLEAN"}]}}}""")))
        .isEqualTo(tree("""
            {"type":"object","properties":{"a":{"type":"array","items":{"type":"number"}},
                                           "b":{"anyOf":[{"type":"string"},{"type":"boolean"}]}}}"""));
  }
}
