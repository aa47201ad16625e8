import type { Role } from '../contract/index.js';
import type { SeatProfile } from '../domain/model.js';
import { DEFAULT_ROUTING_CONFIG } from '../domain/policy.js';
import { hashPassword } from '../features/auth/passwords.js';
import { seedDemoHistory } from './demo-history.js';
import type { Db } from '../store/db.js';
import { UserRepository } from '../features/auth/user-repository.js';
import { RoutingConfigRepository } from '../features/routing-config/routing-config-repository.js';
import { SeatRepository } from '../features/seats/seat-repository.js';

/** The password of every demo account (README lists the accounts). */
export const DEMO_PASSWORD = 'demo12348';

/**
 * Demo seats: a city centre and two county centres, every category covered at
 * proficiency 4–5 somewhere, every seat able to take 综合咨询 (general).
 */
export const DEMO_SEATS: SeatProfile[] = [
  seat('s01', '王建国', 'C001', 'city', { 'marriage-family': 5, mediation: 4, general: 3 }),
  seat('s02', '李秀英', 'C002', 'city', { labor: 5, 'legal-aid': 4, general: 3 }),
  seat('s03', '张伟', 'C003', 'city', { 'contract-debt': 5, company: 4, general: 3 }),
  seat('s04', '刘洋', 'C004', 'city', { 'property-land': 5, administrative: 4, general: 3 }),
  seat('s05', '陈静', 'C005', 'city', { 'traffic-injury': 5, medical: 4, general: 3 }),
  seat('s06', '杨帆', 'C006', 'city', { criminal: 5, complaint: 3, general: 3 }),
  seat('s07', '赵敏', 'C007', 'city', { foreign: 5, consumer: 3, general: 3 }, ['zh', 'en', 'ja']),
  seat('s08', '黄磊', 'C008', 'city', { notary: 5, forensic: 5, general: 4 }),
  seat('s09', '周婷', 'D001', 'dongcheng', { 'marriage-family': 4, consumer: 5, general: 3 }),
  seat('s10', '吴涛', 'D002', 'dongcheng', { labor: 4, 'traffic-injury': 3, general: 3 }),
  seat('s11', '徐丽', 'D003', 'dongcheng', { 'contract-debt': 4, 'property-land': 3, general: 3 }),
  seat('s12', '孙强', 'D004', 'dongcheng', { medical: 5, complaint: 4, general: 3 }),
  seat('s13', '马超', 'D005', 'dongcheng', { administrative: 5, 'legal-aid': 3, general: 4 }),
  seat('s14', '朱琳', 'X001', 'xishan', { 'marriage-family': 4, mediation: 5, general: 3 }),
  seat('s15', '胡斌', 'X002', 'xishan', { labor: 5, 'property-land': 4, general: 3 }),
  seat('s16', '郭芳', 'X003', 'xishan', { 'contract-debt': 3, consumer: 4, general: 4 }),
  seat('s17', '何明', 'X004', 'xishan', { criminal: 4, 'traffic-injury': 4, general: 3 }),
  seat('s18', '高原', 'X005', 'xishan', { company: 5, 'legal-aid': 5, general: 3 }),
];

function seat(
  id: string,
  name: string,
  staffNo: string,
  centreId: string,
  skills: Record<string, number>,
  languages = ['zh'],
): SeatProfile {
  return { id, name, staffNo, centreId, skills, languages };
}

/** Demo staff; `centres` null = every centre (the city's), else the centres in scope. */
export const DEMO_STAFF: { username: string; role: Role; displayName: string; centres: string[] | null }[] = [
  { username: 'supervisor', role: 'supervisor', displayName: '班长 林晓', centres: null },
  { username: 'manager', role: 'manager', displayName: '值班负责人 郑毅', centres: null },
  { username: 'admin', role: 'admin', displayName: '系统管理员', centres: null },
  { username: 'supervisor-dc', role: 'supervisor', displayName: '东城区班长 韩雪', centres: ['dongcheng'] },
];

/** Seat accounts are seat01 … seat18, matching s01 … s18. */
export function demoSeatUsername(seatId: string): string {
  return `seat${seatId.slice(1)}`;
}

/**
 * Fills an empty database with the demo centres, seats and accounts (demo mode only: a
 * production start never seeds, and refuses any account with a demo password). Returns whether it did.
 */
export async function seedDemo(
  db: Db,
  now: number,
  opts: { password?: string; hash?: (password: string) => Promise<string>; history?: boolean } = {},
): Promise<boolean> {
  const users = new UserRepository(db);
  if (users.count() > 0) return false;
  const hash = opts.hash ?? hashPassword;
  const password = opts.password ?? DEMO_PASSWORD;
  const hashes = await Promise.all([...DEMO_SEATS, ...DEMO_STAFF].map(() => hash(password)));
  const routing = new RoutingConfigRepository(db);
  const seats = new SeatRepository(db);
  db.transaction(() => {
    if (!routing.get()) routing.save(DEFAULT_ROUTING_CONFIG, now);
    DEMO_SEATS.forEach((s, i) => {
      seats.upsert(s);
      users.create({ username: demoSeatUsername(s.id), passwordHash: hashes[i]!, role: 'seat', displayName: s.name, seatId: s.id }, now);
    });
    DEMO_STAFF.forEach((u, i) => {
      users.create({ ...u, passwordHash: hashes[DEMO_SEATS.length + i]!, seatId: null }, now);
    });
  })();
  if (opts.history) seedDemoHistory(db, now, DEMO_SEATS);
  return true;
}
