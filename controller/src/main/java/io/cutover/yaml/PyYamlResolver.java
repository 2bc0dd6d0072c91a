package io.cutover.yaml;

import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * SnakeYAML's YAML 1.1 resolver with PyYAML's float rule. SnakeYAML reads {@code 1e3} and
 * {@code -.5} as floats; PyYAML (and so Ansible) needs a dot and a signed exponent and keeps
 * them as strings. A value must reach a host exactly as Ansible would send it.
 */
final class PyYamlResolver extends Resolver {

    static final Pattern PYYAML_FLOAT = Pattern.compile("^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
            + "|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
            + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
            + "|[-+]?\\.(?:inf|Inf|INF)"
            + "|\\.(?:nan|NaN|NAN))$");

    @Override
    public Tag resolve(NodeId kind, String value, boolean implicit) {
        Tag tag = super.resolve(kind, value, implicit);
        // PyYAML's float language is a subset of SnakeYAML's: narrow, never widen.
        if (Tag.FLOAT.equals(tag) && !PYYAML_FLOAT.matcher(value).matches()) {
            return Tag.STR;
        }
        return tag;
    }
}
