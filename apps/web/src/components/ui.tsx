import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { describeError } from '../api/errors';
import { shortId } from '../lib/format';
import { sparkline } from '../lib/sparkline';

/** The page's heading; focused after a page change so screen readers announce the new page. */
export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ISH Chat console`;
    heading.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <header className="page-header">
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children ? <p className="lede">{children}</p> : null}
    </header>
  );
}

export function Section({ title, children, actions, id }: { title: string; children: ReactNode; actions?: ReactNode; id?: string }) {
  const headingId = useId();
  return (
    <section className="panel" aria-labelledby={headingId} id={id}>
      <div className="panel-head">
        <h2 id={headingId}>{title}</h2>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}

export function ErrorNotice({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  if (error === undefined || error === null) return null;
  return (
    <div className="notice notice--error" role="alert">
      <span>{describeError(error)}</span>
      {onDismiss ? (
        <button type="button" className="link-button" onClick={onDismiss}>
          Dismiss
        </button>
      ) : null}
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="notice notice--ok" role="status">
      {children}
    </div>
  );
}

const TONES: Record<string, string> = {
  healthy: 'ok',
  success: 'ok',
  closed: 'ok',
  completed: 'ok',
  delivered: 'ok',
  active: 'ok',
  device: 'ok',
  live: 'ok',
  degraded: 'warn',
  half_open: 'warn',
  queued: 'warn',
  pending: 'warn',
  standby: 'muted',
  disabled: 'muted',
  revoked: 'muted',
  expired: 'muted',
  offline: 'bad',
  unauthorized: 'bad',
  unhealthy: 'bad',
  open: 'bad',
  failed: 'bad',
};

export function Badge({ value, label }: { value: string; label?: string }) {
  return <span className={`badge badge--${TONES[value] ?? 'info'}`}>{label ?? value.replace('_', ' ')}</span>;
}

/** A label above its control; `children` gets the id to put on the control; `error` is what the API said about this field. */
export function Field({ label, hint, error, children, wide }: { label: string; hint?: string; error?: string; wide?: boolean; children: (id: string, describedBy?: string) => ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${wide ? ' field--wide' : ''}${error ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(id, describedBy)}
      {error ? (
        <small id={errorId} className="field-error">
          {error}
        </small>
      ) : null}
      {hint ? (
        <small id={hintId} className="hint">
          {hint}
        </small>
      ) : null}
    </div>
  );
}

/** A destructive action in two steps: the first click asks, the second does it. */
export function ConfirmButton({ label, confirmLabel, onConfirm, disabled, name, small = true }: { label: string; confirmLabel: string; onConfirm: () => void; disabled?: boolean; name: string; small?: boolean }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className={`button button--danger-quiet${small ? ' button--small' : ''}`} disabled={disabled} aria-label={`${label} ${name}`} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={`Confirm: ${label.toLowerCase()} ${name}`}>
      <button
        type="button"
        className="button button--danger"
        autoFocus
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="button button--quiet" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

export function Sparkline({ values, label, width = 120, height = 28 }: { values: readonly number[]; label: string; width?: number; height?: number }) {
  const line = sparkline(values, width, height);
  const description = values.length === 0 ? `${label}: no samples yet` : `${label}: ${values.length} samples, ${Math.round(line.min)} to ${Math.round(line.max)} ms, now ${Math.round(values[values.length - 1])} ms`;
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={description}>
      <title>{description}</title>
      <line x1="0" x2={width} y1={height - 1} y2={height - 1} className="sparkline-base" />
      {line.path ? <path d={line.path} className="sparkline-line" /> : null}
      {line.last ? <circle cx={line.last.x} cy={line.last.y} r="2.5" className="sparkline-dot" /> : null}
    </svg>
  );
}

/** A secret shown once: read-only, selectable, with a copy button. */
export function SecretOnce({ label, value, onDone, children }: { label: string; value: string; onDone: () => void; children?: ReactNode }) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const input = useRef<HTMLInputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      input.current?.select();
      setCopied('failed');
    }
  };
  return (
    <div className="secret" role="region" aria-label={`${label}, shown once`}>
      <p className="secret-warning">{children ?? 'Copy it now: it is shown only this once.'}</p>
      <Field label={label}>
        {(id) => (
          <div className="secret-row">
            <input ref={input} id={id} className="mono" readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
            <button type="button" className="button" onClick={copy}>
              Copy
            </button>
          </div>
        )}
      </Field>
      <p className="secret-status" role="status">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'The clipboard is not available: the text is selected, copy it with Ctrl+C.' : ''}
      </p>
      <button type="button" className="button button--quiet" onClick={onDone}>
        I have saved it
      </button>
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/**
 * A table that turns into cards on narrow screens (each cell names its column with `data-label`);
 * the caption is for screen readers. `actions` adds a last column for row buttons, its header hidden.
 */
export function CardTable({ caption, columns, actions, children }: { caption: string; columns: readonly string[]; actions?: boolean; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table className="table table--cards">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            {actions ? (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A form's submit button: disabled, and saying `busy` when given, while the form's action runs. */
export function SubmitButton({ pending, busy, disabled = false, secondary = false, children }: { pending: boolean; busy?: string; disabled?: boolean; secondary?: boolean; children: ReactNode }) {
  return (
    <button type="submit" className={secondary ? 'button' : 'button button--primary'} disabled={pending || disabled}>
      {pending && busy !== undefined ? busy : children}
    </button>
  );
}

/** A table row's heading cell naming its record by a short id (the full id on hover). */
export function IdCell({ label, id }: { label: string; id: string }) {
  return (
    <th scope="row" data-label={label} className="mono" title={id}>
      {shortId(id)}
    </th>
  );
}

/** A table cell holding a state badge. */
export function BadgeCell({ label, value, text }: { label: string; value: string; text?: string }) {
  return (
    <td data-label={label}>
      <Badge value={value} label={text} />
    </td>
  );
}
