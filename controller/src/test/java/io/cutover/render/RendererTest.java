package io.cutover.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.yaml.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RendererTest {

    @TempDir
    Path templates;

    @Test
    void aTemplateRendersTheHostsValues() throws IOException {
        Files.writeString(templates.resolve("ok.ftl"), "<#list forwarders as f>${f};</#list>\n");
        Renderer renderer = new Renderer(templates);

        assertThat(renderer.render("ok.ftl", renderer.model(Map.of("forwarders", List.of("10.0.0.1", "10.0.0.2")))))
                .isEqualTo("10.0.0.1;10.0.0.2;\n");
    }

    @Test
    void anUndeclaredNameIsReportedWhereTheTemplateUsesItEvenAsAMacroArgument() throws IOException {
        Files.writeString(templates.resolve("lib.ftl"), "<#macro options forwarders>\n${forwarders?size}\n</#macro>\n");
        Files.writeString(templates.resolve("main.ftl"), "<#import \"lib.ftl\" as lib>\n\n  <@lib.options forwarders=upstream_forwarder/>\n");
        Renderer renderer = new Renderer(templates);

        assertThatThrownBy(() -> renderer.render("main.ftl", renderer.model(Map.of("upstream_forwarders", List.of()))))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(templates.resolve("main.ftl") + ":3:")
                .hasMessageContaining("`upstream_forwarder` is not a var the playbook declares (did you mean `upstream_forwarders`?)");
    }
}
