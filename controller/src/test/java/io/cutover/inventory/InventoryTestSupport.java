package io.cutover.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes inventories into a temp dir and loads them. */
final class InventoryTestSupport {

    final Path dir;
    final List<String> warnings = new ArrayList<>();

    InventoryTestSupport(Path dir) {
        this.dir = dir;
    }

    Path write(String name, String text) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Inventory load(String yaml) {
        return new InventoryLoader().load(write("inventory.yml", yaml));
    }

    Inventory lenient(String yaml) {
        return new InventoryLoader(true, warnings::add).load(write("inventory.yml", yaml));
    }
}
