import type { Api } from '../../shared/api';
import type { AppStore } from '../../app/store';

export type AlertsApi = Pick<Api, 'openAlerts' | 'ackAlert'>;

export interface AlertsController {
  /** The open 重大事项 alerts, merged with what the socket pushed meanwhile. */
  loadOpen(): Promise<void>;
  /** 确认 one alert. */
  ack(id: number): Promise<void>;
}

/** 重大事项上报 on the monitor: the only code that asks the server about alerts. */
export function createAlertsController(deps: { api: AlertsApi; store: AppStore }): AlertsController {
  const { api, store } = deps;
  return {
    loadOpen: () => store.getState().loadOpenAlerts(() => api.openAlerts()),
    ack: (id) => store.getState().ackAlert(id, () => api.ackAlert(id)),
  };
}

export type CallbacksApi = Pick<Api, 'openCallbacks'>;

/** 回电请求 on the monitor: the only code that asks the server about callback requests. */
export function createCallbacksController(deps: { api: CallbacksApi; store: AppStore }): { load(): Promise<void> } {
  const { api, store } = deps;
  return { load: () => store.getState().loadCallbacks(() => api.openCallbacks()) };
}
