package io.cutover.report;

import freemarker.cache.ClassTemplateLoader;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import io.cutover.render.Renderer;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link RunReport} with the templates beside this class: one self-contained HTML page
 * (inline CSS, inline SVG, no script, no external URL) or Markdown tables. Both escape every value
 * automatically (HTML, and {@link MarkdownOutputFormat}): the report's text comes from users' files.
 */
public final class ReportRenderer {

    /** What the report is written as. */
    public enum Format {
        HTML("report.html.ftlh"), MARKDOWN("report.md.ftl");

        private final String template;

        Format(String template) {
            this.template = template;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Configuration config;

    public ReportRenderer() {
        config = Renderer.lockedDown();
        config.setTemplateLoader(new ClassTemplateLoader(ReportRenderer.class, ""));
        config.setRegisteredCustomOutputFormats(List.of(MarkdownOutputFormat.INSTANCE));
    }

    /** The report of {@code run}, made at {@code generated} by {@code version} (its footer says so). */
    public String render(RunReport run, Format format, Instant generated, String version) {
        try {
            StringWriter out = new StringWriter();
            config.getTemplate(format.template).process(Map.of("run", run, "generated", Durations.dateTime(generated),
                    "version", version), out);
            return out.toString();
        } catch (IOException | TemplateException e) {
            // the templates are ours and the model is built in code: a failure here is a bug, not the user's input
            throw new IllegalStateException("cannot render the " + format + " report: " + e.getMessage(), e);
        }
    }
}
