import type { Api } from '../../shared/api';

/**
 * The 回访 page's requests. The page keeps its rows in component state: the worklist is read
 * fresh each time the page opens and after each change, and nothing else in the console shows it.
 */
export function createVisitsController(deps: {
  api: Pick<Api, 'visits' | 'visitOutcome' | 'assignVisit' | 'dialVisit' | 'satisfactionFigures' | 'myOutboundCalls'>;
}) {
  const { api } = deps;
  return {
    list: api.visits,
    recordOutcome: api.visitOutcome,
    assign: api.assignVisit,
    dial: api.dialVisit,
    figures: api.satisfactionFigures,
    /** The seat's own outbound calls (外呼记录) of a day, for 我的来电. */
    myOutbound: api.myOutboundCalls,
  };
}
export type VisitsController = ReturnType<typeof createVisitsController>;
