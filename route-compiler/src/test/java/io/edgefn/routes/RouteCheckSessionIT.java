package io.edgefn.routes;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tool driving route-check interactively: it writes one line, waits for the answer, then writes
 * the next, so every answer must be flushed before the next line arrives.
 */
class RouteCheckSessionIT {

    @Test
    void interactiveClient_getsEachAnswerBeforeSendingTheNextLine() throws Exception {
        PipedWriter toCheck = new PipedWriter();
        PipedReader checkIn = new PipedReader(toCheck, 1 << 16);
        PipedWriter checkOut = new PipedWriter();
        PipedReader fromCheck = new PipedReader(checkOut, 1 << 16);
        BlockingQueue<Optional<String>> answers = new LinkedBlockingQueue<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            Future<?> session = threads.submit(() -> {
                try (Writer out = checkOut) {
                    RouteCheck.run(checkIn, out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            threads.submit(() -> {
                try (BufferedReader in = new BufferedReader(fromCheck)) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        answers.add(Optional.of(line));
                    }
                    answers.add(Optional.empty());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            String[] questions = {
                    "{\"id\": \"a\", \"condition\": \"as_number(temp) > 50\", \"message\": {\"properties\": {\"temp\": \"51\"}}}",
                    "{\"id\": \"b\", \"route\": \"FROM /messages/* INTO $upstream\"}",
                    "garbage",
                    // issue 16: a body nested deeper than the reader goes ended the session with an exception
                    "{\"id\": \"deep\", \"condition\": \"$body.a = 1\", \"message\": {\"contentType\": \"application/json\", "
                            + "\"contentEncoding\": \"utf-8\", \"bodyText\": \"{\\\"a\\\":" + "[".repeat(1010) + "\"}}",
                    "{\"id\": \"c\", \"routeSource\": \"/*\", \"messageSource\": \"/twinChangeNotifications\"}"};
            String[] expected = {"\"result\":\"true\"", "\"result\":\"ok\"", "bad input line",
                    "{\"id\":\"deep\",\"result\":\"error\",\"error\":\"the message body cannot be read", "\"result\":true"};
            for (int i = 0; i < questions.length; i++) {
                toCheck.write(questions[i] + "\n");
                toCheck.flush();
                Optional<String> answer = answers.poll(10, TimeUnit.SECONDS);
                assertThat(answer).as("answer to line " + (i + 1)).isNotNull().isPresent();
                assertThat(answer.get()).contains(expected[i]);
            }
            toCheck.close();
            session.get(10, TimeUnit.SECONDS);
            assertThat(answers.poll(10, TimeUnit.SECONDS)).isEmpty();
        }
    }
}
