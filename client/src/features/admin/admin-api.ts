import type { Ack, SeatView } from '../../contract';
import { createJsonRequest } from '../../shared/json-request';

/** A seat profile as the administrator saves it (PUT /api/seats/:id). */
export interface SeatProfileInput {
  name: string;
  staffNo: string;
  centreId: string;
  skills: Record<string, number>;
  languages: string[];
}

/** The administration pages' calls to the server (seats today; the routing configuration next). */
export interface AdminApi {
  seats(): Promise<Ack<SeatView[]>>;
  saveSeat(id: string, profile: SeatProfileInput): Promise<Ack<SeatView>>;
}

export function createAdminApi(deps: { fetch: typeof fetch }): AdminApi {
  const request = createJsonRequest(deps);
  return {
    seats: () => request('GET', '/api/seats'),
    saveSeat: (id, profile) => request('PUT', `/api/seats/${encodeURIComponent(id)}`, profile),
  };
}

export const adminApi: AdminApi = createAdminApi({ fetch: (input, init) => fetch(input, init) });
