import type { Database } from '../../tools/services.js';

export interface NewRow {
  id: number;
  eventId: string;
  /** The row's created_at (set by the database at insert) as wall-clock ms. */
  createdAt: number;
}

/**
 * Reads only the rows added since the last look, by auto-increment id, so frequent polling stays cheap while the
 * table grows. Sound here because the poller runs one INSERT at a time: ids become visible in order.
 */
export class RowWatcher {
  private lastId = 0;
  seen = 0;

  constructor(private readonly database: Database) {}

  /** Counts rows that appeared since the last call (the first call: all there are); returns the running total. */
  async count(): Promise<number> {
    const [row] = await this.database.rows<{ n: number; last: number }>(
      'SELECT COUNT(*) AS n, MAX(id) AS last FROM user_activities WHERE id > ?',
      [this.lastId],
    );
    const n = Number(row?.n ?? 0);
    if (n > 0) {
      this.seen += n;
      this.lastId = Number(row?.last);
    }
    return this.seen;
  }

  /** The rows that appeared since the last call. */
  async newRows(): Promise<NewRow[]> {
    const rows = await this.database.rows<{ id: number; event_id: string; created_at: string }>(
      'SELECT id, event_id, created_at FROM user_activities WHERE id > ? ORDER BY id',
      [this.lastId],
    );
    const found = rows.map((row) => ({
      id: Number(row.id),
      eventId: String(row.event_id),
      createdAt: Date.parse(`${String(row.created_at).replace(' ', 'T')}Z`),
    }));
    this.lastId = found.at(-1)?.id ?? this.lastId;
    this.seen += found.length;
    return found;
  }
}
