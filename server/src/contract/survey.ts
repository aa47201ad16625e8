/** The post-call survey by phone: the policy and a seat's choice for its current call. */
import { z } from 'zod';

export const SURVEY_POLICIES = ['always', 'never', 'seat'] as const;
export type SurveyPolicy = (typeof SURVEY_POLICIES)[number];
export const SURVEY_POLICY_LABELS: Record<SurveyPolicy, string> = {
  always: '每通电话挂机后转满意度评价',
  never: '不做电话满意度评价',
  seat: '由坐席逐通选择',
};

/** PUT /api/calls/:id/survey (the answering seat, policy `seat` only). */
export const SurveyChoiceSchema = z.object({ enabled: z.boolean({ error: 'enabled 须为 true 或 false' }) }).strict();
export type SurveyChoiceRequest = z.input<typeof SurveyChoiceSchema>;

/** GET/PUT /api/calls/:id/survey: whether the caller hears the survey when the seat hangs up. */
export interface SurveyChoiceView {
  callId: string;
  policy: SurveyPolicy;
  enabled: boolean;
  /** The seat may change it (policy `seat`, the call still talking). */
  changeable: boolean;
}
