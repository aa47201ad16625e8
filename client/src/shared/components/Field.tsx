import type { ReactNode } from 'react';
import { FieldErrors } from './FieldErrors';

/** The id of a field's error list, which its control names in aria-describedby. */
export const errorsId = (id: string) => `${id}-errors`;

/** aria-invalid and aria-describedby of a control with these errors (and an optional hint's id). */
export function fieldAria(
  id: string,
  errors: readonly string[] | undefined,
  hintId?: string,
): { 'aria-invalid': true | undefined; 'aria-describedby': string | undefined } {
  const has = (errors?.length ?? 0) > 0;
  return {
    'aria-invalid': has ? true : undefined,
    'aria-describedby': [has ? errorsId(id) : '', hintId ?? ''].filter(Boolean).join(' ') || undefined,
  };
}

export interface FieldProps {
  /** The control's id (the label points at it; the error list is `${id}-errors`). */
  id: string;
  label: ReactNode;
  errors: string[] | undefined;
  /** The control: an input, textarea or select carrying `id` and `fieldAria(...)`. */
  children: ReactNode;
  /** Wrapper element's class; without it the parts are rendered bare (the form lays them out). */
  className?: string;
  /** Beside the label (a character count): label and aside then share a row of this class. */
  labelRow?: { className: string; aside: ReactNode };
  /** Between the control and its errors (a hint line). */
  hint?: ReactNode;
  /** After the errors (a status line that belongs to the field). */
  after?: ReactNode;
}

/**
 * One form field: its label, the control and the control's error messages under it. The login,
 * summary and knowledge forms all build their fields with it.
 */
export function Field({ id, label, errors, children, className, labelRow, hint, after }: FieldProps) {
  const labelEl = <label htmlFor={id}>{label}</label>;
  const body = (
    <>
      {labelRow ? (
        <div className={labelRow.className}>
          {labelEl}
          {labelRow.aside}
        </div>
      ) : (
        labelEl
      )}
      {children}
      {hint}
      <FieldErrors id={errorsId(id)} messages={errors} />
      {after}
    </>
  );
  return className ? <div className={className}>{body}</div> : body;
}

/**
 * A field whose label wraps its control (<label class="field"><span>用户名</span><input/>…</label>),
 * as the login card and the softphone's device pickers lay them out.
 */
export function WrappedField(props: {
  label: ReactNode;
  children: ReactNode;
  errors?: string[] | undefined;
  /** The control's id, naming the error list (`${id}-errors`); without it no errors are shown. */
  errorsFor?: string;
  className?: string;
  /** The label text's class ('sr-only' for a label only screen readers read). */
  labelClassName?: string;
}) {
  const { label, errors, errorsFor, children, className = 'field', labelClassName } = props;
  return (
    <label className={className}>
      <span className={labelClassName}>{label}</span>
      {children}
      {errorsFor !== undefined && <FieldErrors id={errorsId(errorsFor)} messages={errors} />}
    </label>
  );
}
