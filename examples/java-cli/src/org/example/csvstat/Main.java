package org.example.csvstat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** csvstat: per-column count, mean, standard deviation, min and max of a CSV read from stdin. */
public final class Main {
    static List<Column> summarize(Reader in) throws IOException {
        BufferedReader r = new BufferedReader(in);
        String header = r.readLine();
        List<Column> cols = new ArrayList<>();
        if (header == null) return cols;
        for (String h : header.split(",", -1)) cols.add(new Column(h.trim()));
        String line;
        int row = 1;
        while ((line = r.readLine()) != null) {
            row++;
            if (line.isBlank()) continue;
            String[] cells = line.split(",", -1);
            if (cells.length != cols.size()) {
                throw new IOException("row " + row + ": " + cells.length + " cells, expected " + cols.size());
            }
            for (int i = 0; i < cells.length; i++) cols.get(i).add(cells[i]);
        }
        return cols;
    }

    static String format(List<Column> cols) {
        StringBuilder b = new StringBuilder("column,count,mean,stddev,min,max,blanks\n");
        for (Column c : cols) {
            b.append(String.format(Locale.ROOT, "%s,%d,%.3f,%.3f,%s,%s,%d%n", c.name, c.count, c.mean,
                    c.stddev(), c.count > 0 ? c.min : "", c.count > 0 ? c.max : "", c.blanks));
        }
        return b.toString();
    }

    static void selfTest() throws IOException {
        String out = format(summarize(new StringReader("a, b\n1,10\n2,\n3,30\n")));
        String want = "column,count,mean,stddev,min,max,blanks\n"
                + "a,3,2.000,1.000,1.0,3.0,0\n"
                + "b,2,20.000,14.142,10.0,30.0,1\n";
        if (!out.equals(want)) throw new AssertionError("unexpected summary:\n" + out);
        System.out.println("self-test ok");
    }

    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("--self-test")) {
            selfTest();
            return;
        }
        if (args.length > 0 && args[0].equals("--version")) {
            System.out.println("csvstat 1.2.0");
            return;
        }
        System.out.print(format(summarize(new InputStreamReader(System.in, StandardCharsets.UTF_8))));
    }
}
