package io.cutover.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a journal back. A torn last line (the controller died mid-write) is ignored, nothing else is. */
public final class JournalReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JournalReader() {
    }

    public static List<Record> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new JournalException("no run journal at " + file);
        } catch (IOException e) {
            throw new JournalException("cannot read the run journal " + file + ": " + e.getMessage(), e);
        }
        List<Record> records = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            JsonNode json;
            try {
                json = MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                if (i == lines.size() - 1) {
                    break; // torn final write: the step it announced never started
                }
                throw new JournalException(file + ":" + (i + 1) + ": corrupt journal line; refusing to guess what ran");
            }
            if (!json.isObject() || !json.path("type").isTextual()) {
                throw new JournalException(file + ":" + (i + 1) + ": not a journal record (a JSON object with a `type`):"
                        + " the file is not a cutover run journal, or it was damaged");
            }
            String where = file + ":" + (i + 1);
            records.add(new Record(json.path("seq").asLong(), json.path("ts").asText(null), JournalKinds.event(json, where),
                    file, i + 1));
        }
        return records;
    }
}
