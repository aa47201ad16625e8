import type { Api } from '../../shared/api';

/**
 * The 回访 page's requests. The page keeps its rows in component state: the worklist is read
 * fresh each time the page opens and after each change, and nothing else in the console shows it.
 */
export function createVisitsController(deps: {
  api: Pick<Api, 'visits' | 'visitOutcome' | 'assignVisit' | 'dialVisit' | 'satisfactionFigures'>;
}) {
  const { api } = deps;
  return {
    list: api.visits,
    recordOutcome: api.visitOutcome,
    assign: api.assignVisit,
    dial: api.dialVisit,
    figures: api.satisfactionFigures,
  };
}
export type VisitsController = ReturnType<typeof createVisitsController>;
