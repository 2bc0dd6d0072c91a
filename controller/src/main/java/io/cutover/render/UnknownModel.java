package io.cutover.render;

import freemarker.template.AdapterTemplateModel;
import freemarker.template.TemplateHashModel;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateScalarModel;
import freemarker.template.TemplateSequenceModel;

/**
 * How an {@link Unknown} looks to a template: it prints as its placeholder, any field of it is
 * unknown too, and listed it is a list of one placeholder, so that templates render offline with
 * the gaps visibly marked instead of failing.
 */
final class UnknownModel implements TemplateScalarModel, TemplateHashModel, TemplateSequenceModel, AdapterTemplateModel {

    /** Set when a template touched an unknown on this thread: its output is then unknown too. */
    static final ThreadLocal<boolean[]> TOUCHED = ThreadLocal.withInitial(() -> new boolean[1]);

    private final String path;

    UnknownModel(String path) {
        this.path = path;
    }

    @Override
    public String getAsString() {
        TOUCHED.get()[0] = true;
        return new Unknown(path).toString();
    }

    @Override
    public TemplateModel get(String key) {
        TOUCHED.get()[0] = true;
        return new UnknownModel(path + "." + key);
    }

    @Override
    public boolean isEmpty() {
        return false;
    }

    @Override
    public TemplateModel get(int index) {
        TOUCHED.get()[0] = true;
        return this;
    }

    @Override
    public int size() {
        return 1;
    }

    @Override
    public Object getAdaptedObject(Class<?> hint) {
        return new Unknown(path);
    }
}
