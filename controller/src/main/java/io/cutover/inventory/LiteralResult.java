package io.cutover.inventory;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Ansible keeps of a value {@link PythonLiteral} parsed: Python's bytes, sets and Ellipsis
 * stand in while parsing; then top-level bytes become text (Ansible's to_text), tuples stay
 * {@link PythonTuple}s, dict keys become the strings JSON names them, and whatever Ansible cannot
 * print is {@link PythonLiteral.Unusable}.
 */
final class LiteralResult {

    record Bytes(byte[] data) {
    }

    record PySet() {
    }

    enum Ellipsis { VALUE }

    private LiteralResult() {
    }

    /** The value as Ansible holds it: bytes at the top are decoded, tuples are lists, keys are JSON's. */
    static Object finish(Object value, boolean top) {
        if (value instanceof Bytes bytes) {
            if (!top) {
                throw new PythonLiteral.Unusable("a bytes literal (b'...') inside a list or mapping");
            }
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes.data())).toString();
            } catch (CharacterCodingException e) {
                throw new PythonLiteral.Unusable("a bytes literal that is not UTF-8");
            }
        }
        if (value instanceof PythonNumber.Imaginary) {
            throw new PythonLiteral.Unusable("a Python complex number");
        }
        if (value instanceof PySet) {
            throw new PythonLiteral.Unusable("a Python set");
        }
        if (value == Ellipsis.VALUE) {
            throw new PythonLiteral.Unusable("Python's `...` (Ellipsis)");
        }
        if (value instanceof List<?> list) {
            List<Object> items = new ArrayList<>(list.size());
            list.forEach(item -> items.add(finish(item, false)));
            return list instanceof PythonTuple ? new PythonTuple(items) : Collections.unmodifiableList(items);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> entries = new LinkedHashMap<>();
            map.forEach((key, item) -> {
                if (key instanceof Bytes || (key instanceof List<?>) || key instanceof PythonNumber.Imaginary
                        || key == Ellipsis.VALUE) {
                    throw new PythonLiteral.Unusable("a mapping whose key is not a string, number, boolean or None");
                }
                entries.put(key instanceof String s ? s : PythonText.jsonKey(key), finish(item, false));
            });
            return Collections.unmodifiableMap(entries);
        }
        return value;
    }
}
