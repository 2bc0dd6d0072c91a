package io.cutover.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * The append-only record of a run: one JSON object per line, each written and fsync'd before the
 * action it announces goes further, so that after a crash the journal says at least as much as
 * the hosts have done. Safe for concurrent use by the threads of one run.
 *
 * <p>Lifecycle: open with {@link #open}, {@link #append} records, {@link #close} at the end. A
 * journal is only ever appended to; {@code resume} opens the same file again.
 */
public final class Journal implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;
    private final Clock clock;
    private long sequence;

    private Journal(Path file, FileChannel channel, Clock clock, long sequence) {
        this.file = file;
        this.channel = channel;
        this.clock = clock;
        this.sequence = sequence;
    }

    /** Opens (creating if needed) the journal file for appending; numbering continues after existing records. */
    public static Journal open(Path file, Clock clock) {
        try {
            long existing = java.nio.file.Files.exists(file) ? JournalReader.read(file).size() : 0;
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            return new Journal(file, channel, clock, existing);
        } catch (IOException e) {
            throw new JournalWriteException("cannot open the run journal " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /**
     * Appends one record and forces it to disk before returning.
     *
     * @param event what happened; its line is {@code seq}, {@code ts}, its {@code type} (see {@link JournalKinds}) and its fields
     */
    public synchronized Record append(JournalEvent event) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("seq", ++sequence);
        String ts = clock.instant().toString();
        node.put("ts", ts);
        node.put("type", JournalKinds.type(event));
        node.setAll(JournalKinds.fields(event));
        long end = -1;
        try {
            byte[] line = (MAPPER.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
            end = channel.size();
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            --sequence;
            dropPartialLine(end);
            throw new JournalWriteException("cannot write the run journal " + file + " (disk full?): " + e.getMessage(), e);
        }
        return new Record(sequence, ts, event, file, (int) sequence);
    }

    /**
     * A line half written when the disk filled up would sit in the middle of the journal once
     * the next append succeeds, and the reader refuses a corrupt line there: cut it off.
     */
    private void dropPartialLine(long end) {
        if (end < 0) {
            return;
        }
        try {
            channel.truncate(end);
        } catch (IOException ignored) {
            // The reader still ignores a torn last line, and the append's own error is what is reported.
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new JournalWriteException("cannot close the run journal " + file + ": " + e.getMessage(), e);
        }
    }
}
