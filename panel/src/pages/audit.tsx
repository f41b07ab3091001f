import { useEffect, useState } from 'preact/hooks';
import { api, query } from '../api.js';
import { fmtDate, t } from '../i18n.js';

interface Entry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  address: string | null;
}

export function Audit() {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = (cursor?: string) =>
    api<{ entries: Entry[]; next: string | null }>('GET', `/audit${query({ limit: 50, cursor })}`).then(
      (page) => {
        setEntries((before) => (cursor ? [...before, ...page.entries] : page.entries));
        setNext(page.next);
      },
      (e: Error) => setError(e.message),
    );
  useEffect(() => {
    void load();
  }, []);
  return (
    <section>
      {error && <p class="error">{t('error', { message: error })}</p>}
      <table class="audit">
        <thead>
          <tr>
            <th>{t('audit.when')}</th>
            <th>{t('audit.who')}</th>
            <th>{t('audit.what')}</th>
            <th>{t('audit.target')}</th>
            <th>{t('audit.from')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-action={e.action}>
              <td>{fmtDate(e.at)}</td>
              <td>{e.actor}</td>
              <td>{e.action}</td>
              <td>{e.target ?? '—'}</td>
              <td>{e.address ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === 0 && !error && <p>{t('audit.empty')}</p>}
      {next && (
        <button type="button" onClick={() => void load(next)}>
          {t('more')}
        </button>
      )}
    </section>
  );
}
