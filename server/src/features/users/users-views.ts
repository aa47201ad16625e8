import type { UserAdminView } from '../../contract/index.js';
import type { UserRecord } from '../auth/accounts-service.js';

export const userAdminView = (u: UserRecord): UserAdminView => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  seatId: u.seatId,
  centres: u.centres,
  disabled: u.disabled,
  mustChangePassword: u.mustChangePassword,
  passwordChangedAt: u.passwordChangedAt,
  createdAt: u.createdAt,
});
