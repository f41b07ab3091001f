import { useEffect, useState } from 'preact/hooks';
import { api, can, type Session } from '../api.js';
import { fmtDate, t } from '../i18n.js';
import { useLoad } from '../use-load.js';
import { ROLES } from './users.js';

interface Broadcast {
  id: string;
  text: string;
  status: string;
  createdAt: string;
}
interface Report {
  broadcast: Broadcast;
  counts: { pending: number; sending: number; sent: number; failed: number; blocked: number };
}

const RUNNING = new Set(['pending', 'running']);

export function Broadcasts(props: { session: Session }) {
  const list = useLoad(() => api<{ broadcasts: Broadcast[] }>('GET', '/broadcasts'), []);
  const [text, setText] = useState('');
  const [role, setRole] = useState('');
  const [days, setDays] = useState('');
  const [count, setCount] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const write = can(props.session, 'write');

  const body = (dryRun: boolean) => ({
    text,
    dryRun,
    audience: {
      ...(role ? { role } : {}),
      ...(days ? { activeWithinDays: Number(days) } : {}),
    },
  });
  const fail = (e: Error) => setError(e.message);
  const dryRun = () =>
    api<{ recipients: number }>('POST', '/broadcasts', body(true)).then((r) => {
      setCount(r.recipients);
      setError(null);
      return r.recipients;
    }, fail);
  const send = async () => {
    const n = await dryRun();
    if (typeof n !== 'number' || !confirm(t('broadcasts.confirmSend', { count: n }))) return;
    await api('POST', '/broadcasts', body(false)).then(() => {
      setText('');
      setCount(null);
      list.reload();
    }, fail);
  };

  return (
    <section>
      {write ? (
        <form
          class="compose"
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <h3>{t('broadcasts.new')}</h3>
          <label>
            {t('broadcasts.text')}
            <textarea
              name="text"
              maxLength={4096}
              rows={4}
              value={text}
              onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
            />
          </label>
          <div class="row">
            <label>
              {t('broadcasts.audienceRole')}
              <select
                name="audienceRole"
                value={role}
                onChange={(e) => setRole((e.target as HTMLSelectElement).value)}
              >
                <option value="">{t('users.anyRole')}</option>
                {ROLES.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            </label>
            <label>
              {t('broadcasts.activeDays')}
              <input
                name="activeDays"
                inputMode="numeric"
                value={days}
                onInput={(e) => setDays((e.target as HTMLInputElement).value)}
              />
            </label>
          </div>
          {text.trim() !== '' && <div class="preview">{text}</div>}
          <div class="actions">
            <button type="button" name="dry-run" disabled={text.trim() === ''} onClick={() => void dryRun()}>
              {t('broadcasts.count')}
            </button>
            <button type="submit" class="primary" disabled={text.trim() === ''}>
              {t('broadcasts.send')}
            </button>
          </div>
          {count !== null && (
            <p class="note" data-recipients={count}>
              {t('broadcasts.recipients', { count })}
            </p>
          )}
          {error && <p class="error">{t('error', { message: error })}</p>}
        </form>
      ) : (
        <p class="muted">{t('readOnly')}</p>
      )}
      {list.data?.broadcasts.length === 0 && <p>{t('broadcasts.empty')}</p>}
      <ul class="rows">
        {list.data?.broadcasts.map((b) => (
          <BroadcastRow key={b.id} broadcast={b} write={write} />
        ))}
      </ul>
    </section>
  );
}

/** A running broadcast polls its progress every 2 s until it ends. */
function BroadcastRow(props: { broadcast: Broadcast; write: boolean }) {
  const [report, setReport] = useState<Report | null>(null);
  const status = report?.broadcast.status ?? props.broadcast.status;
  useEffect(() => {
    let stop = false;
    const poll = () =>
      api<Report>('GET', `/broadcasts/${props.broadcast.id}`).then(
        (r) => {
          if (stop) return;
          setReport(r);
          if (RUNNING.has(r.broadcast.status)) setTimeout(poll, 2000);
        },
        () => undefined,
      );
    void poll();
    return () => {
      stop = true;
    };
  }, [props.broadcast.id]);
  const c = report?.counts;
  return (
    <li data-broadcast={props.broadcast.id}>
      <strong>{props.broadcast.text.slice(0, 80)}</strong>
      <span class="badge">{status}</span>
      <small>{fmtDate(props.broadcast.createdAt)}</small>
      {c && <small>{t('broadcasts.progress', { ...c, pending: c.pending + c.sending })}</small>}
      {props.write && RUNNING.has(status) && (
        <button
          type="button"
          class="danger"
          onClick={() => void api('POST', `/broadcasts/${props.broadcast.id}/cancel`)}
        >
          {t('broadcasts.cancel')}
        </button>
      )}
    </li>
  );
}
