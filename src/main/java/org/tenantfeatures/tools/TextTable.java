package org.tenantfeatures.tools;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Prints a result set the way psql does, so the tools need no psql on the machine. */
final class TextTable {

  private TextTable() {
  }

  static String render(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    int columns = meta.getColumnCount();
    List<String[]> rows = new ArrayList<>();
    String[] header = new String[columns];
    int[] width = new int[columns];
    for (int c = 0; c < columns; c++) {
      header[c] = meta.getColumnLabel(c + 1);
      width[c] = header[c].length();
    }
    while (rs.next()) {
      String[] row = new String[columns];
      for (int c = 0; c < columns; c++) {
        Object value = rs.getObject(c + 1);
        row[c] = value == null ? "" : value.toString();
        width[c] = Math.max(width[c], row[c].length());
      }
      rows.add(row);
    }
    StringBuilder out = new StringBuilder();
    line(out, header, width);
    for (int c = 0; c < columns; c++) {
      out.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
    }
    out.append('\n');
    rows.forEach(row -> line(out, row, width));
    out.append('(').append(rows.size()).append(rows.size() == 1 ? " row)\n" : " rows)\n");
    return out.toString();
  }

  private static void line(StringBuilder out, String[] cells, int[] width) {
    for (int c = 0; c < cells.length; c++) {
      out.append(c == 0 ? "" : " | ").append(String.format("%-" + width[c] + "s", cells[c]));
    }
    out.append('\n');
  }
}
