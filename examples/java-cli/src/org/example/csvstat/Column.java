package org.example.csvstat;

/** Running statistics of one numeric column (Welford's method, so one pass is enough). */
final class Column {
    final String name;
    long count;
    double mean;
    double m2;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    long blanks;

    Column(String name) {
        this.name = name;
    }

    void add(String cell) {
        String t = cell.trim();
        if (t.isEmpty()) {
            blanks++;
            return;
        }
        double x = Double.parseDouble(t);
        count++;
        double delta = x - mean;
        mean += delta / count;
        m2 += delta * (x - mean);
        min = Math.min(min, x);
        max = Math.max(max, x);
    }

    double stddev() {
        return count > 1 ? Math.sqrt(m2 / (count - 1)) : 0.0;
    }
}
