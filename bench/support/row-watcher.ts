import type { Connection, RowDataPacket } from 'mysql2/promise';

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

  constructor(private readonly db: Connection, private readonly table = 'user_activities') {}

  /** Starts watching from the newest row, ignoring those already there. */
  async skipExisting(): Promise<void> {
    const [rows] = await this.db.query<RowDataPacket[]>(`SELECT COALESCE(MAX(id), 0) AS last FROM \`${this.table}\``);
    this.lastId = Number(rows[0]?.last ?? 0);
  }

  /** Counts rows that appeared since the last call; returns the running total. */
  async count(): Promise<number> {
    const [rows] = await this.db.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n, MAX(id) AS last FROM \`${this.table}\` WHERE id > ?`,
      [this.lastId],
    );
    const n = Number(rows[0]?.n ?? 0);
    if (n > 0) {
      this.seen += n;
      this.lastId = Number(rows[0]?.last);
    }
    return this.seen;
  }

  /** The rows that appeared since the last call. */
  async newRows(): Promise<NewRow[]> {
    const [rows] = await this.db.query<RowDataPacket[]>(
      `SELECT id, event_id, created_at FROM \`${this.table}\` WHERE id > ? ORDER BY id`,
      [this.lastId],
    );
    const found = rows.map((row) => ({
      id: Number(row.id),
      eventId: String(row.event_id),
      createdAt: Date.parse(`${String(row.created_at).replace(' ', 'T')}Z`),
    }));
    const last = found[found.length - 1];
    if (last) {
      this.lastId = last.id;
      this.seen += found.length;
    }
    return found;
  }
}
