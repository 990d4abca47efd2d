import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { MySqlColumn } from 'drizzle-orm/mysql-core';

/**
 * `column = value`, exactly. utf8mb4_bin is a PAD SPACE collation: `'victim ' = 'victim'` is true there, so a
 * regulation or a query for "victim " would reach victim (issue 19). Equal under utf8mb4_bin and of equal length in
 * bytes is equal byte for byte, on MariaDB and MySQL 8 alike (a NO PAD collation has a different name on each); the
 * first condition keeps the column's index in use.
 */
export const sameText = (column: MySqlColumn, value: string): SQL =>
  and(eq(column, value), sql`LENGTH(${column}) = LENGTH(${value})`) as SQL;
