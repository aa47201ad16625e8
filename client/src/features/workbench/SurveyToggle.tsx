import { useEffect, useState } from 'react';
import { SURVEY_POLICY_LABELS, type Ack, type SurveyChoiceView } from '../../contract';
import { createJsonRequest } from '../../shared/json-request';
import { errorMessage } from '../../shared/errors';

const request = createJsonRequest({ fetch: (input, init) => fetch(input, init) });
const path = (callId: string) => `/api/calls/${encodeURIComponent(callId)}/survey`;

/** The survey's API for the workbench (GET/PUT /api/calls/:id/survey); tests pass their own fetch. */
export const surveyChoiceApi = {
  get: (callId: string): Promise<Ack<SurveyChoiceView>> => request('GET', path(callId)),
  set: (callId: string, enabled: boolean): Promise<Ack<SurveyChoiceView>> => request('PUT', path(callId), { enabled }),
};

/**
 * 挂机后转满意度评价: whether the caller hears the phone survey when the seat hangs up. The seat
 * switches it per call when the policy lets it (SURVEY_POLICY=seat); otherwise it only shows the policy.
 */
export function SurveyToggle({ callId }: { callId: string }) {
  const [view, setView] = useState<SurveyChoiceView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    void surveyChoiceApi.get(callId).then((ack) => {
      if (!live) return;
      if (ack.ok) setView(ack.data);
      else setError(errorMessage(ack.error));
    });
    return () => {
      live = false;
    };
  }, [callId]);
  if (!view) return error ? <p className="muted survey-toggle">{error}</p> : null;
  const change = async (enabled: boolean) => {
    setBusy(true);
    setError(null);
    const ack = await surveyChoiceApi.set(callId, enabled);
    setBusy(false);
    if (ack.ok) setView(ack.data);
    else setError(errorMessage(ack.error));
  };
  return (
    <div className="survey-toggle">
      <label title={SURVEY_POLICY_LABELS[view.policy]}>
        <input type="checkbox" checked={view.enabled} disabled={!view.changeable || busy} onChange={(e) => void change(e.target.checked)} />
        挂机后转满意度评价
      </label>
      {!view.changeable && <span className="muted"> ({SURVEY_POLICY_LABELS[view.policy]})</span>}
      {error && (
        <p role="alert" className="alert alert-error inline-error">
          {error}
        </p>
      )}
    </div>
  );
}
