import { SeatProfileSchema, type SeatProfile } from '../../domain/model.js';
import type { Db } from '../../store/db.js';

/** Seat profiles (seats table). */
export class SeatRepository {
  constructor(private readonly db: Db) {}

  list(): SeatProfile[] {
    const rows = this.db
      .prepare('SELECT id, name, staff_no, centre_id, skills_json, languages_json FROM seats WHERE active = 1 ORDER BY staff_no')
      .all() as { id: string; name: string; staff_no: string; centre_id: string; skills_json: string; languages_json: string }[];
    return rows.map((r) =>
      SeatProfileSchema.parse({
        id: r.id,
        name: r.name,
        staffNo: r.staff_no,
        centreId: r.centre_id,
        // the schema checks what the JSON columns hold
        skills: JSON.parse(r.skills_json) as unknown,
        languages: JSON.parse(r.languages_json) as unknown,
      }),
    );
  }

  /** The seat (retired ones included) holding a staff number, other than `exceptId`. */
  staffNoHolder(staffNo: string, exceptId: string): { id: string; name: string } | null {
    const row = this.db.prepare('SELECT id, name FROM seats WHERE staff_no = ? AND id <> ?').get(staffNo, exceptId) as
      { id: string; name: string } | undefined;
    return row ?? null;
  }

  upsert(p: SeatProfile): void {
    this.db
      .prepare(
        `INSERT INTO seats (id, name, staff_no, centre_id, skills_json, languages_json) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, staff_no = excluded.staff_no, centre_id = excluded.centre_id,
           skills_json = excluded.skills_json, languages_json = excluded.languages_json, active = 1`,
      )
      .run(p.id, p.name, p.staffNo, p.centreId, JSON.stringify(p.skills), JSON.stringify(p.languages));
  }
}
