import type { SatisfactionService } from '../features/satisfaction/satisfaction-service.js';
import type { SurveyService } from '../features/satisfaction/survey-service.js';
import type { VisitService } from '../features/satisfaction/visit-service.js';
import type { SocketLayer } from '../transport/socket-server.js';

/**
 * Parts built after services that call them (the socket layer last of all, on the HTTP server):
 * set once when built, and read only when called back, never while the app is being wired.
 */
export interface LateParts {
  sockets: SocketLayer | null;
  visits: VisitService | null;
  satisfaction: SatisfactionService | null;
  survey: SurveyService | null;
}
