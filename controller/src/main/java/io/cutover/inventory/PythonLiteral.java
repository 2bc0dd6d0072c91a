package io.cutover.inventory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code ast.literal_eval}, which Ansible's INI plugin applies to every value (host-line
 * {@code key=value} and {@code [group:vars]} lines alike): {@code 8080} is an int, {@code True} a
 * boolean, {@code [1, 'a']} a list, {@code 'x'} the string x; whatever is not a Python literal
 * ({@code yes}, {@code 010}, {@code pool.ntp.org}) stays the text it was.
 *
 * <p>Only the literal forms are recognised; anything else, valid Python or not, is "not a
 * literal", which is exactly when literal_eval raises and Ansible keeps the text.
 */
final class PythonLiteral {

    /** A literal Ansible accepts but then cannot print or use (a set, a complex number, `...`, bytes in a list). */
    static final class Unusable extends RuntimeException {
        Unusable(String what) {
            super(what);
        }
    }

    /** Thrown inside the parser when literal_eval would raise: the caller keeps the text. */
    private static final class NotLiteral extends RuntimeException {
        NotLiteral() {
            super(null, null, false, false);
        }
    }

    private enum Kind { NUMBER, SIGNED, SUM, OTHER }

    /** A parsed operand and the AST node literal_eval would see (parentheses make none). */
    private record Node(Object value, Kind kind) {
    }

    private static final int MAX_NESTING = 200;

    private final String text;
    private int pos;
    private int depth;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /**
     * What Ansible's INI plugin makes of {@code text}: the value of the Python literal it spells, or
     * the text itself. Throws {@link Unusable} for literals Ansible then fails on.
     */
    static Object value(String text) {
        int start = 0;
        while (start < text.length() && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
            start++;
        }
        Object parsed;
        try {
            parsed = new PythonLiteral(text.substring(start)).top();
        } catch (NotLiteral e) {
            return text;
        }
        return LiteralResult.finish(parsed, true);
    }

    private Object top() {
        skipSpace();
        Node first = expression();
        skipSpace();
        Object value = first.value();
        if (peek() == ',') {
            pos++;
            List<Object> items = new ArrayList<>();
            items.add(value);
            items.addAll(sequence('\0'));
            value = new PythonTuple(items);
        }
        skipSpace();
        if (pos < text.length()) {
            throw new NotLiteral();
        }
        return value;
    }

    /** Values separated by commas, an optional trailing comma, up to {@code close} (not consumed). */
    private List<Object> sequence(char close) {
        List<Object> items = new ArrayList<>();
        while (true) {
            skipSpace();
            if (peek() == close) {
                return items;
            }
            items.add(expression().value());
            skipSpace();
            if (peek() != ',') {
                return items;
            }
            pos++;
        }
    }

    /** Python's tokenizer refuses more than 200 open brackets; it also keeps our recursion bounded. */
    private void nest() {
        if (++depth >= MAX_NESTING) {
            throw new NotLiteral();
        }
    }

    /** An operand, or the one sum literal_eval allows: a real number plus or minus an imaginary one. */
    private Node expression() {
        Node left = operand();
        skipSpace();
        char op = peek();
        if (op != '+' && op != '-') {
            return left;
        }
        pos++;
        Node right = operand();
        boolean realLeft = (left.kind() == Kind.NUMBER || left.kind() == Kind.SIGNED) && !(left.value() instanceof PythonNumber.Imaginary);
        if (!realLeft || right.kind() != Kind.NUMBER || !(right.value() instanceof PythonNumber.Imaginary)) {
            throw new NotLiteral();
        }
        return new Node(new PythonNumber.Imaginary(), Kind.SUM);
    }

    private Node operand() {
        skipSpace();
        char c = peek();
        if (c == '+' || c == '-') {
            pos++;
            Node inner = operand();
            if (inner.kind() != Kind.NUMBER) {
                throw new NotLiteral();
            }
            return new Node(c == '-' ? PythonNumber.negate(inner.value()) : inner.value(), Kind.SIGNED);
        }
        if (c == '(') {
            pos++;
            nest();
            skipSpace();
            if (peek() == ')') {
                pos++;
                depth--;
                return new Node(new PythonTuple(List.of()), Kind.OTHER);
            }
            Node first = expression();
            skipSpace();
            if (peek() == ')') {
                pos++;
                depth--;
                return first; // parentheses make no node: -(1) is a signed number
            }
            List<Object> items = new ArrayList<>();
            items.add(first.value());
            expect(',');
            items.addAll(sequence(')'));
            expect(')');
            depth--;
            return new Node(new PythonTuple(items), Kind.OTHER);
        }
        if (c == '[') {
            pos++;
            nest();
            List<Object> list = Collections.unmodifiableList(sequence(']'));
            expect(']');
            depth--;
            return new Node(list, Kind.OTHER);
        }
        if (c == '{') {
            pos++;
            nest();
            Object braces = braces();
            depth--;
            return new Node(braces, Kind.OTHER);
        }
        if (text.startsWith("...", pos)) {
            pos += 3;
            return new Node(LiteralResult.Ellipsis.VALUE, Kind.OTHER);
        }
        if (Character.isDigit(c) || (c == '.' && pos + 1 < text.length() && Character.isDigit(text.charAt(pos + 1)))) {
            return new Node(PythonNumber.value(numberToken()), Kind.NUMBER);
        }
        if (c == '\'' || c == '"' || Character.isLetter(c) || c == '_') {
            return word();
        }
        throw new NotLiteral();
    }

    private String numberToken() {
        int start = pos;
        pos = PythonNumber.tokenEnd(text, pos);
        String token = text.substring(start, pos);
        if (!PythonNumber.isLiteral(token)) {
            throw new NotLiteral();
        }
        return token;
    }

    private Object braces() {
        skipSpace();
        if (peek() == '}') {
            pos++;
            return Collections.unmodifiableMap(new LinkedHashMap<>());
        }
        Object first = expression().value();
        skipSpace();
        if (peek() != ':') {
            // a set: {a, b}
            while (peek() == ',') {
                pos++;
                skipSpace();
                if (peek() == '}') {
                    break;
                }
                expression();
                skipSpace();
            }
            expect('}');
            return new LiteralResult.PySet();
        }
        Map<Object, Object> entries = new LinkedHashMap<>();
        Object key = first;
        while (true) {
            expect(':');
            Object value = expression().value();
            entries.put(hashable(key), value);
            skipSpace();
            if (peek() != ',') {
                break;
            }
            pos++;
            skipSpace();
            if (peek() == '}') {
                break;
            }
            key = expression().value();
            skipSpace();
        }
        expect('}');
        return entries;
    }

    /** Dict keys as Python compares them: 1 and 1.0 and True are one key; lists cannot be keys. */
    private static Object hashable(Object key) {
        if ((key instanceof List<?> && !(key instanceof PythonTuple)) || key instanceof Map<?, ?> || key instanceof LiteralResult.PySet) {
            throw new NotLiteral();
        }
        return key;
    }

    /** A name (True, False, None, set()) or a string literal with its prefix, concatenated with any that follow. */
    private Node word() {
        StringBuilder textParts = null;
        java.io.ByteArrayOutputStream byteParts = null;
        boolean any = false;
        while (true) {
            skipSpace();
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            String name = text.substring(start, pos);
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                if (any) {
                    pos = start;
                    break;
                }
                return name(name);
            }
            String prefix = name.toLowerCase(java.util.Locale.ROOT);
            if (!List.of("", "r", "u", "b", "br", "rb", "f", "fr", "rf").contains(prefix) || prefix.contains("f")) {
                throw new NotLiteral(); // f-strings are not literals
            }
            boolean bytes = prefix.contains("b");
            PythonString literal = PythonString.read(text, pos, prefix.contains("r"), bytes);
            if (literal == null) {
                throw new NotLiteral();
            }
            String body = literal.value();
            pos = literal.end();
            if (bytes ? textParts != null : byteParts != null) {
                throw new NotLiteral(); // cannot mix bytes and str
            }
            if (bytes) {
                byteParts = byteParts == null ? new java.io.ByteArrayOutputStream() : byteParts;
                byteParts.writeBytes(body.getBytes(StandardCharsets.ISO_8859_1));
            } else {
                textParts = textParts == null ? new StringBuilder() : textParts;
                textParts.append(body);
            }
            any = true;
            int save = pos;
            skipSpace();
            char next = peek();
            pos = save;
            if (next != '\'' && next != '"' && !Character.isLetter(next)) {
                break;
            }
        }
        return new Node(textParts != null ? textParts.toString() : new LiteralResult.Bytes(byteParts.toByteArray()), Kind.OTHER);
    }

    private Node name(String name) {
        switch (name) {
            case "True":
                return new Node(Boolean.TRUE, Kind.OTHER);
            case "False":
                return new Node(Boolean.FALSE, Kind.OTHER);
            case "None":
                return new Node(null, Kind.OTHER);
            case "set":
                skipSpace();
                expect('(');
                skipSpace();
                expect(')');
                return new Node(new LiteralResult.PySet(), Kind.OTHER);
            default:
                throw new NotLiteral();
        }
    }

    private void expect(char c) {
        skipSpace();
        if (peek() != c) {
            throw new NotLiteral();
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    /** Python's tokenizer skips spaces, tabs and form feeds; a comment runs to the end of the line. */
    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\f') {
                pos++;
            } else if (c == '#') {
                pos = text.length();
            } else {
                break;
            }
        }
    }
}
