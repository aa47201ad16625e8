import type {
  Ack,
  ApiError,
  CalendarDayView,
  CategoriesInput,
  ReferenceData,
  RoutingRulesView,
  SeatView,
  ServiceCalendarInput,
} from '../../contract';
import { errorMessage } from '../../shared/errors';
import { createJsonRequest } from '../../shared/json-request';

/** A seat profile as the administrator saves it (PUT /api/seats/:id). */
export interface SeatProfileInput {
  name: string;
  staffNo: string;
  centreId: string;
  skills: Record<string, number>;
  languages: string[];
}

export type CategoryInput = ReferenceData['categories'][number];

/** The administration pages' calls to the server: seats, categories, routing rules, service calendar. */
export interface AdminApi {
  seats(): Promise<Ack<SeatView[]>>;
  saveSeat(id: string, profile: SeatProfileInput, version?: string): Promise<Ack<SeatView>>;
  categories(): Promise<Ack<CategoryInput[]>>;
  /** The saves take the configVersion of the section as loaded: a change saved since is refused. */
  saveCategories(input: CategoriesInput, version?: string): Promise<Ack<CategoryInput[]>>;
  rules(): Promise<Ack<RoutingRulesView>>;
  saveRules(rules: RoutingRulesView, version?: string): Promise<Ack<RoutingRulesView>>;
  calendar(): Promise<Ack<ServiceCalendarInput>>;
  saveCalendar(calendar: ServiceCalendarInput, version?: string): Promise<Ack<ServiceCalendarInput>>;
  preview(): Promise<Ack<CalendarDayView[]>>;
}

/** A refusal as the editors show it: the server's field messages (zh-CN) or its sentence. */
export function refusalLines(error: ApiError): string[] {
  const lines = [...new Set(Object.values(error.fields ?? {}).flat())];
  return lines.length > 0 ? lines : [errorMessage(error)];
}

const versioned = (version: string | undefined) => (version ? `?version=${encodeURIComponent(version)}` : '');

export function createAdminApi(deps: { fetch: typeof fetch }): AdminApi {
  const request = createJsonRequest(deps);
  return {
    seats: () => request('GET', '/api/seats'),
    saveSeat: (id, profile, version) => request('PUT', `/api/seats/${encodeURIComponent(id)}${versioned(version)}`, profile),
    categories: () => request('GET', '/api/config/categories'),
    saveCategories: (input, version) => request('PUT', `/api/config/categories${versioned(version)}`, input),
    rules: () => request('GET', '/api/config/rules'),
    saveRules: (rules, version) => request('PUT', `/api/config/rules${versioned(version)}`, rules),
    calendar: () => request('GET', '/api/config/calendar'),
    saveCalendar: (calendar, version) => request('PUT', `/api/config/calendar${versioned(version)}`, calendar),
    preview: () => request('GET', '/api/config/calendar/preview'),
  };
}

export const adminApi: AdminApi = createAdminApi({ fetch: (input, init) => fetch(input, init) });
