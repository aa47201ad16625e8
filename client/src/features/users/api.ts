import type {
  Ack,
  AuditListResponse,
  CallerHistoryEntry,
  DeploymentInfo,
  PasswordChange,
  PasswordResetResult,
  PasswordStatus,
  SeatView,
  UserAdminView,
  UserCreate,
  UserUpdate,
} from '../../contract';
import type { JsonRequest } from '../../shared/api';

/** The audit log's filters as the page sends them. */
export interface AuditQuery {
  action?: string;
  userId?: number;
  from?: number;
  to?: number;
  beforeId?: number;
  limit?: number;
}

/** Accounts, one's own password, the deployment mode, the audit log and unfiled summaries. */
export interface AccountsApi {
  deployment: () => Promise<Ack<DeploymentInfo>>;
  passwordStatus: () => Promise<Ack<PasswordStatus>>;
  changePassword: (body: PasswordChange) => Promise<Ack<null>>;
  listUsers: () => Promise<Ack<UserAdminView[]>>;
  seats: () => Promise<Ack<SeatView[]>>;
  createUser: (body: UserCreate) => Promise<Ack<UserAdminView>>;
  /** `version`: the configVersion of the account's editable fields as loaded (a change saved since is refused). */
  updateUser: (id: number, body: UserUpdate, version?: string) => Promise<Ack<UserAdminView>>;
  setDisabled: (id: number, disabled: boolean) => Promise<Ack<UserAdminView>>;
  resetPassword: (id: number) => Promise<Ack<PasswordResetResult>>;
  unlock: (id: number) => Promise<Ack<{ cleared: number }>>;
  auditLog: (q: AuditQuery) => Promise<Ack<AuditListResponse>>;
  verifyAudit: () => Promise<Ack<{ ok: boolean; entries: number; firstBadId?: number; problem?: string }>>;
  /** 小结未填 of every seat in the supervisor's centres. */
  unfiled: () => Promise<Ack<CallerHistoryEntry[]>>;
  /** This seat's 小结未填. */
  myUnfiled: () => Promise<Ack<CallerHistoryEntry[]>>;
}

export function createAccountsApi(request: JsonRequest): AccountsApi {
  return {
    deployment: () => request('GET', '/api/deployment'),
    passwordStatus: () => request('GET', '/api/my/password-status'),
    changePassword: (body) => request('POST', '/api/my/password', body),
    listUsers: () => request('GET', '/api/users'),
    seats: () => request('GET', '/api/seats'),
    createUser: (body) => request('POST', '/api/users', body),
    updateUser: (id, body, version) => request('PUT', `/api/users/${id}${version ? `?version=${encodeURIComponent(version)}` : ''}`, body),
    setDisabled: (id, disabled) => request('POST', `/api/users/${id}/disabled`, { disabled }),
    resetPassword: (id) => request('POST', `/api/users/${id}/password-reset`),
    unlock: (id) => request('POST', `/api/users/${id}/unlock`),
    auditLog: (q) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.set(k, String(v));
      return request('GET', `/api/audit?${params}`);
    },
    verifyAudit: () => request('GET', '/api/audit/verify'),
    unfiled: () => request('GET', '/api/summaries/unfiled'),
    myUnfiled: () => request('GET', '/api/my/unfiled'),
  };
}
