import type { AuditEntryView } from '../../contract/index.js';
import type { AuditEntryRecord } from './audit-chain.js';

export const auditEntryView = (e: AuditEntryRecord): AuditEntryView => ({
  id: e.id,
  at: e.at,
  userId: e.userId,
  username: e.username,
  role: e.role,
  address: e.address,
  action: e.action,
  target: e.target,
  before: e.beforeJson === null ? null : (JSON.parse(e.beforeJson) as unknown),
  after: e.afterJson === null ? null : (JSON.parse(e.afterJson) as unknown),
  reason: e.reason,
  hash: e.hash,
});
