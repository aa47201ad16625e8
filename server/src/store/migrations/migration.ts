/** One schema change: applied once, inside one transaction, by `migrate` (store/db.ts). */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
