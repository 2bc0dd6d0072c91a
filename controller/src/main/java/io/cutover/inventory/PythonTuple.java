package io.cutover.inventory;

import java.util.AbstractList;
import java.util.List;

/**
 * A Python tuple from an INI value ({@code (1, 2)}): a list everywhere (JSON, templates, the
 * helper), but written {@code (1, 2)} where Ansible shows Python's str() of it (--graph --vars).
 */
final class PythonTuple extends AbstractList<Object> {

    private final List<Object> items;

    PythonTuple(List<Object> items) {
        this.items = items.stream().toList(); // unmodifiable, and unlike List.copyOf it keeps None
    }

    @Override
    public Object get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }
}
