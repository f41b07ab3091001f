import { useState } from 'preact/hooks';
import { api, can, type Session } from '../api.js';
import { fmtDate, fmtNumber, t } from '../i18n.js';
import { useLoad } from '../use-load.js';

interface Backup {
  id: string;
  createdAt: string;
  dialect: string;
  reason: string;
  encrypted: boolean;
  bytes: number;
}

export function Backups(props: { session: Session }) {
  const list = useLoad(() => api<{ backups: Backup[] }>('GET', '/backups'), []);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const create = () => {
    setBusy(true);
    api<Backup>('POST', '/backups')
      .then(
        (b) => {
          setNote(t('backups.created', { id: b.id }));
          list.reload();
        },
        (e: Error) => setNote(t('error', { message: e.message })),
      )
      .finally(() => setBusy(false));
  };
  return (
    <section>
      {can(props.session, 'write') && (
        <button type="button" class="primary" disabled={busy} onClick={create}>
          {t('backups.create')}
        </button>
      )}
      {note && <p class="note">{note}</p>}
      {list.error && <p class="error">{t('error', { message: list.error })}</p>}
      {list.data?.backups.length === 0 && <p>{t('backups.empty')}</p>}
      <ul class="rows">
        {list.data?.backups.map((b) => (
          <li key={b.id}>
            <strong>{b.id}</strong>
            <span class="badge">{b.reason}</span>
            {b.encrypted && <span class="badge">🔒</span>}
            <small>
              {fmtDate(b.createdAt)} · {b.dialect} · {t('backups.size')}{' '}
              {fmtNumber(Math.round(b.bytes / 1024))} KiB
            </small>
          </li>
        ))}
      </ul>
    </section>
  );
}
