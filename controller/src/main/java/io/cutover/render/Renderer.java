package io.cutover.render;

import freemarker.cache.FileTemplateLoader;
import freemarker.core.ParseException;
import freemarker.core.TemplateClassResolver;
import freemarker.template.AdapterTemplateModel;
import freemarker.template.Configuration;
import freemarker.template.DefaultObjectWrapperBuilder;
import freemarker.template.ObjectWrapper;
import freemarker.template.Template;
import freemarker.template.TemplateBooleanModel;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateHashModel;
import freemarker.template.TemplateHashModelEx;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateModelIterator;
import freemarker.template.TemplateNumberModel;
import freemarker.template.TemplateScalarModel;
import freemarker.template.TemplateSequenceModel;
import io.cutover.yaml.InputException;
import io.cutover.yaml.Suggestions;
import io.cutover.yaml.Location;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * FreeMarker, configured for config files: plain-text output, errors as exceptions (never
 * half-rendered output), and no access to Java classes from templates. Renders template files
 * and evaluates {@code ${…}} values in playbooks; a value that is exactly one {@code ${expr}}
 * keeps its type (a list stays a list), as Ansible's native templating does.
 */
public final class Renderer {

    private static final Pattern WHOLE_EXPRESSION = Pattern.compile("\\A\\$\\{([^}]*)}\\z");

    private final Configuration config;
    private final Path templateDir;

    public Renderer(Path templateDir) {
        this.templateDir = templateDir;
        config = lockedDown();
        try {
            config.setTemplateLoader(new FileTemplateLoader(templateDir.toFile()));
        } catch (IOException e) {
            throw new InputException(Location.of(templateDir), "cannot read the templates directory: " + e.getMessage());
        }
    }

    /**
     * FreeMarker as cutover uses it everywhere (config files, the run report): errors as exceptions,
     * never half-rendered output; no Java classes or API reachable from a template; numbers and
     * booleans as a computer writes them. The caller adds its template loader.
     */
    public static Configuration lockedDown() {
        Configuration config = new Configuration(Configuration.VERSION_2_3_34);
        config.setDefaultEncoding("UTF-8");
        config.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        config.setLogTemplateExceptions(false);
        config.setWrapUncheckedExceptions(true);
        config.setFallbackOnNullLoopVariable(false);
        config.setAPIBuiltinEnabled(false);
        config.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        config.setNumberFormat("computer");
        config.setBooleanFormat("c");
        config.setObjectWrapper(new DefaultObjectWrapperBuilder(Configuration.VERSION_2_3_34).build());
        return config;
    }

    /**
     * The data model for one host: {@code values} wrapped, {@link Unknown}s shown as placeholders. A
     * name that is not among them is an error where the template uses it (FreeMarker alone would
     * report a missing value wherever it is finally needed — inside a macro, far from the typo).
     */
    public TemplateHashModel model(Map<String, Object> values) {
        TemplateHashModel hash = (TemplateHashModel) wrap(values);
        return new TemplateHashModel() {
            @Override
            public TemplateModel get(String key) throws TemplateModelException {
                if (!values.containsKey(key)) {
                    throw new TemplateModelException("`" + key + "` is not a var the playbook declares"
                            + Suggestions.didYouMean(key, values.keySet()));
                }
                return hash.get(key);
            }

            @Override
            public boolean isEmpty() {
                return values.isEmpty();
            }
        };
    }

    /** One value as templates see it (maps, lists, scalars; {@link Unknown} as a placeholder). */
    public TemplateModel wrap(Object value) {
        if (value instanceof Unknown unknown) {
            return new UnknownModel(unknown.what());
        }
        if (value instanceof Map<?, ?> map) {
            freemarker.template.SimpleHash hash = new freemarker.template.SimpleHash(wrapper());
            map.forEach((k, v) -> hash.put(String.valueOf(k), wrap(v)));
            return hash;
        }
        if (value instanceof List<?> list) {
            freemarker.template.SimpleSequence sequence = new freemarker.template.SimpleSequence(wrapper());
            list.forEach(item -> sequence.add(wrap(item)));
            return sequence;
        }
        try {
            return wrapper().wrap(value);
        } catch (TemplateModelException e) {
            throw new IllegalStateException("cannot wrap " + value, e);
        }
    }

    private ObjectWrapper wrapper() {
        return config.getObjectWrapper();
    }

    /** Renders a template file from the templates directory. */
    public String render(String templateName, TemplateHashModel model) {
        try {
            Template template = config.getTemplate(templateName);
            StringWriter out = new StringWriter();
            template.process(model, out);
            return out.toString();
        } catch (TemplateException e) {
            throw new InputException(at(e.getTemplateSourceName(), templateName, e.getLineNumber(), e.getColumnNumber()),
                    oneLine(e.getMessageWithoutStackTop()));
        } catch (ParseException e) {
            throw new InputException(at(e.getTemplateName(), templateName, e.getLineNumber(), e.getColumnNumber()),
                    "bad template: " + oneLine(e.getEditorMessage()));
        } catch (IOException e) {
            throw new InputException(Location.of(templateDir.resolve(templateName)), "cannot load template: " + oneLine(e.getMessage()));
        }
    }

    /** Where in which template (an error may be in one it imports) FreeMarker stopped. */
    private Location at(String source, String templateName, Integer line, Integer column) {
        return new Location(templateDir.resolve(source != null ? source : templateName),
                line == null ? 0 : line, column == null ? 0 : column);
    }

    /**
     * Evaluates a playbook value: {@code "${expr}"} alone gives the expression's own value (list,
     * number, {@link Unknown}…); any other text is rendered to a string. Lists are evaluated item by item.
     */
    public Object evaluate(Object value, TemplateHashModel model, String where) {
        if (value instanceof List<?> list) {
            List<Object> items = new ArrayList<>(list.size());
            for (Object item : list) {
                items.add(evaluate(item, model, where));
            }
            return items;
        }
        if (!(value instanceof String text) || !(text.contains("${") || text.contains("<#"))) {
            return value;
        }
        boolean[] touched = UnknownModel.TOUCHED.get();
        touched[0] = false;
        try {
            Matcher whole = WHOLE_EXPRESSION.matcher(text);
            Object result;
            if (whole.matches()) {
                Template template = new Template(where, "<#assign cutover_value = (" + whole.group(1) + ")>", config);
                freemarker.core.Environment env = template.createProcessingEnvironment(model, Writer.nullWriter());
                env.process();
                result = unwrap(env.getCurrentNamespace().get("cutover_value"));
            } else {
                Template template = new Template(where, text, config);
                StringWriter out = new StringWriter();
                template.process(model, out);
                result = out.toString();
            }
            // Anything computed from an unknown is unknown: it is checked once the facts are known.
            return touched[0] && result instanceof String rendered ? Unknown.rendered(rendered) : result;
        } catch (TemplateException e) {
            throw new InputException(where + ": " + oneLine(e.getMessageWithoutStackTop()));
        } catch (IOException e) {
            throw new InputException(where + ": bad template text: " + oneLine(e.getMessage()));
        }
    }

    private static Object unwrap(TemplateModel model) throws TemplateModelException {
        if (model == null) {
            return null;
        }
        if (model instanceof AdapterTemplateModel adapter) {
            Object adapted = adapter.getAdaptedObject(Object.class);
            if (adapted instanceof Unknown || adapted instanceof io.cutover.playbook.Secret) {
                return adapted; // placeholders and secrets pass through templates untouched
            }
        }
        if (model instanceof TemplateScalarModel scalar) {
            return scalar.getAsString();
        }
        if (model instanceof TemplateNumberModel number) {
            Number n = number.getAsNumber();
            return (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) ? n.longValue() : n;
        }
        if (model instanceof TemplateBooleanModel bool) {
            return bool.getAsBoolean();
        }
        if (model instanceof TemplateSequenceModel sequence) {
            List<Object> items = new ArrayList<>(sequence.size());
            for (int i = 0; i < sequence.size(); i++) {
                items.add(unwrap(sequence.get(i)));
            }
            return items;
        }
        if (model instanceof TemplateHashModelEx hash) {
            Map<String, Object> map = new LinkedHashMap<>();
            TemplateModelIterator keys = hash.keys().iterator();
            while (keys.hasNext()) {
                String key = ((TemplateScalarModel) keys.next()).getAsString();
                map.put(key, unwrap(hash.get(key)));
            }
            return map;
        }
        throw new TemplateModelException("a value of an unsupported kind: " + model.getClass().getSimpleName());
    }

    private static String oneLine(String text) {
        if (text == null) {
            return "template error";
        }
        // FreeMarker's messages carry a "----" tip section and a "FTL stack trace"; the first part says it all.
        String head = text.split("\n----", 2)[0];
        return head.replaceAll("\\s+", " ").trim();
    }
}
