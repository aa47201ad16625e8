import { useEffect, useEffectEvent, useRef, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import {
  DISPOSITION_LABELS,
  DISPOSITIONS,
  REFERRAL_SUGGESTIONS,
  SUMMARY_LIMITS,
  type Disposition,
  type ReferenceData,
  type SummaryDraft,
} from '../../contract';
import { fromChinaLocalInput, toChinaLocalInput } from '../../shared/format';
import { needsFollowUp, needsReferral, riskFlagged } from './validate';
import { Field, fieldAria } from '../../shared/components/Field';
import { DateTimeInput } from '../../shared/components/DateInput';

/** The order fields are checked in, so the first error gets the focus. */
const FIELD_ORDER = ['topic', 'categoryId', 'question', 'answer', 'disposition', 'referral', 'followUpAt', 'riskNote'] as const;

export interface SummaryFormProps {
  /** Makes the ids of this form's fields unique on the page. */
  idPrefix: string;
  draft: SummaryDraft;
  onChange: (patch: Partial<SummaryDraft>) => void;
  onSubmit: () => void;
  errors: Record<string, string[]>;
  categories: ReferenceData['categories'];
  /** Inputs read-only (submitting, or a filed summary shown as it is). */
  disabled?: boolean;
  /** Bumped after each refused submit: the first field in error takes the focus. */
  focusErrorsKey?: number;
  /** Leaving any field (the draft is sent to the server then). */
  onFieldBlur?: () => void;
  /** Leaving the risk note (the major-matter alert goes out then). */
  onRiskNoteBlur?: () => void;
  /** Shown under the risk note: the alert's status and button. */
  riskExtra?: ReactNode;
  /** The buttons and status under the fields (kept in view while the fields scroll). */
  footer: ReactNode;
  /** Shown above the fields (e.g. a headline error). */
  header?: ReactNode;
  className?: string;
}

/**
 * 小结 form: the fields of a call summary with per-field zh-CN errors. Used for the current
 * call, for 修改 and for 补写 on 我的来电; the caller decides where the draft goes.
 * Ctrl+Enter anywhere in the form submits it.
 */
export function SummaryForm(props: SummaryFormProps) {
  const { idPrefix: p, draft, onChange, errors, disabled = false } = props;
  const formRef = useRef<HTMLFormElement>(null);
  const id = (field: string) => `${p}-${field}`;
  const invalid = (field: string) => fieldAria(id(field), errors[field]);

  // Reads the errors and ids of the latest render without being a reason to run the effect.
  const focusFirstError = useEffectEvent(() => {
    const first = FIELD_ORDER.find((f) => (errors[f]?.length ?? 0) > 0);
    const el = first ? formRef.current?.ownerDocument.getElementById(id(first)) : null;
    if (el) {
      el.focus();
      // Bring the field's message into view too, not only the field.
      el.parentElement?.scrollIntoView?.({ block: 'nearest' });
    }
  });
  useEffect(() => {
    if (!props.focusErrorsKey) return;
    focusFirstError();
    // Only a new refused submit moves the focus, not each keystroke that changes the errors.
  }, [props.focusErrorsKey]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!disabled) props.onSubmit();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      if (!disabled) props.onSubmit();
    }
  };

  const showReferral = needsReferral(draft) || Boolean(draft.referral);
  const showFollowUp = needsFollowUp(draft) || (draft.followUpAt ?? null) !== null;
  const risk = riskFlagged(draft);
  const riskLocked = draft.disposition === 'major-report';
  const categories = props.categories;
  const knownCategory = !draft.categoryId || categories.some((c) => c.id === draft.categoryId);
  const knowledgeCount = draft.knowledgeIds?.length ?? 0;

  return (
    <form
      ref={formRef}
      className={`summary-form ${props.className ?? ''}`}
      onSubmit={submit}
      onKeyDown={onKeyDown}
      onBlur={props.onFieldBlur}
      noValidate
      aria-label="通话小结"
    >
      {props.header}
      <fieldset className="summary-fields" disabled={disabled}>
        <div className="field-row topic-row">
          <Field id={id('topic')} label="主题" errors={errors.topic} className="sfield">
            <input
              id={id('topic')}
              value={draft.topic ?? ''}
              maxLength={SUMMARY_LIMITS.topic}
              placeholder="一句话概括,如:拖欠工资三个月"
              onChange={(e) => onChange({ topic: e.target.value })}
              {...invalid('topic')}
            />
          </Field>
          <Field id={id('categoryId')} label="咨询类别" errors={errors.categoryId} className="sfield">
            <select
              id={id('categoryId')}
              value={draft.categoryId ?? ''}
              onChange={(e) => onChange({ categoryId: e.target.value || undefined })}
              {...invalid('categoryId')}
            >
              <option value="">请选择…</option>
              {!knownCategory && <option value={draft.categoryId}>{draft.categoryId}</option>}
              {categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </Field>
        </div>

        <Field id={id('question')} label="来电问题" errors={errors.question} className="sfield">
          <textarea
            id={id('question')}
            rows={2}
            value={draft.question ?? ''}
            maxLength={SUMMARY_LIMITS.question}
            onChange={(e) => onChange({ question: e.target.value })}
            {...invalid('question')}
          />
        </Field>

        <Field
          id={id('answer')}
          label={
            <>
              解答内容
              {knowledgeCount > 0 && <span className="label-note">已引用知识库 {knowledgeCount} 条</span>}
            </>
          }
          errors={errors.answer}
          className="sfield answer-field"
        >
          <textarea
            id={id('answer')}
            rows={3}
            value={draft.answer ?? ''}
            onChange={(e) => onChange({ answer: e.target.value })}
            {...invalid('answer')}
          />
        </Field>

        <div className="field-row">
          <Field id={id('disposition')} label="处理结果" errors={errors.disposition} className="sfield">
            <select
              id={id('disposition')}
              value={draft.disposition ?? ''}
              onChange={(e) => onChange({ disposition: (e.target.value || undefined) as Disposition | undefined })}
              {...invalid('disposition')}
            >
              <option value="">请选择…</option>
              {DISPOSITIONS.map((d) => (
                <option key={d} value={d}>
                  {DISPOSITION_LABELS[d]}
                </option>
              ))}
            </select>
          </Field>
          {showReferral && (
            <Field id={id('referral')} label="转介去向" errors={errors.referral} className="sfield">
              <input
                id={id('referral')}
                list={id('referral-options')}
                value={draft.referral ?? ''}
                maxLength={SUMMARY_LIMITS.referral}
                placeholder="如:法律援助中心"
                onChange={(e) => onChange({ referral: e.target.value })}
                {...invalid('referral')}
              />
              <datalist id={id('referral-options')}>
                {REFERRAL_SUGGESTIONS.map((s) => (
                  <option key={s} value={s} />
                ))}
              </datalist>
            </Field>
          )}
          {showFollowUp && (
            <Field id={id('followUpAt')} label="回电时间" errors={errors.followUpAt} className="sfield">
              <DateTimeInput
                id={id('followUpAt')}
                value={toChinaLocalInput(draft.followUpAt)}
                onChange={(v) => onChange({ followUpAt: fromChinaLocalInput(v) })}
                {...invalid('followUpAt')}
              />
            </Field>
          )}
        </div>

        <div className={risk ? 'risk-box risk-on' : 'risk-box'}>
          <label className="check">
            <input
              type="checkbox"
              checked={risk}
              disabled={riskLocked}
              onChange={(e) => onChange({ riskFlag: e.target.checked })}
              aria-describedby={riskLocked ? id('risk-locked') : undefined}
            />
            <span>重大事项上报</span>
            {riskLocked && (
              <span className="muted small" id={id('risk-locked')}>
                (处理结果为重大事项上报)
              </span>
            )}
          </label>
          {risk && (
            <Field id={id('riskNote')} label="上报说明" errors={errors.riskNote} className="sfield" after={props.riskExtra}>
              <textarea
                id={id('riskNote')}
                rows={2}
                value={draft.riskNote ?? ''}
                maxLength={SUMMARY_LIMITS.riskNote}
                placeholder="如:群体性纠纷、易激化矛盾、人身安全风险,写明事由与紧急程度"
                onChange={(e) => onChange({ riskNote: e.target.value })}
                onBlur={props.onRiskNoteBlur}
                {...invalid('riskNote')}
              />
            </Field>
          )}
        </div>
        <label className="check confidential-check">
          <input type="checkbox" checked={draft.confidential === true} onChange={(e) => onChange({ confidential: e.target.checked })} />
          <span>来电人要求保密</span>
          <span className="muted small">(号码与小结不出现在其他坐席的弹屏和导出中)</span>
        </label>
      </fieldset>
      <div className="summary-footer">{props.footer}</div>
    </form>
  );
}
