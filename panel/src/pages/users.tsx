import { useEffect, useState } from 'preact/hooks';
import { api, query } from '../api.js';
import { fmtDate, t } from '../i18n.js';

export interface UserSummary {
  telegramId: number;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
  language: string;
  role: string;
  status: string;
  lastSeenAt: string;
  /** When paid premium ends; null: none. */
  premiumUntil: string | null;
}

export const displayName = (u: UserSummary) =>
  [u.firstName, u.lastName].filter(Boolean).join(' ') ||
  (u.username ? `@${u.username}` : String(u.telegramId));

export const ROLES = ['user', 'premium', 'admin'];
const STATUSES = ['active', 'banned', 'blocked'];

export function Users() {
  const [filter, setFilter] = useState({ search: '', role: '', status: '' });
  const [rows, setRows] = useState<UserSummary[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = (cursor?: string) =>
    api<{ users: UserSummary[]; next: string | null }>(
      'GET',
      `/users${query({ ...filter, cursor, limit: 50 })}`,
    ).then(
      (page) => {
        setRows((before) => (cursor ? [...(before ?? []), ...page.users] : page.users));
        setNext(page.next);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  useEffect(() => {
    void load();
  }, [filter.search, filter.role, filter.status]);

  const change = (key: keyof typeof filter) => (e: Event) => {
    setFilter({ ...filter, [key]: (e.target as HTMLInputElement).value });
  };
  return (
    <section>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <input
          type="search"
          placeholder={t('users.search')}
          value={filter.search}
          onChange={change('search')}
          name="search"
        />
        <select value={filter.role} onChange={change('role')} name="role">
          <option value="">{t('users.anyRole')}</option>
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        <select value={filter.status} onChange={change('status')} name="status">
          <option value="">{t('users.anyStatus')}</option>
          {STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </form>
      {error && <p class="error">{t('error', { message: error })}</p>}
      {rows?.length === 0 && <p>{t('users.empty')}</p>}
      <ul class="rows">
        {rows?.map((u) => (
          <li key={u.telegramId}>
            <a href={`#/users/${u.telegramId}`} data-user={u.telegramId}>
              <strong>{displayName(u)}</strong>
              <span class={`badge ${u.status}`}>{u.status}</span>
              <span class="badge">{u.role}</span>
              <small>
                {u.telegramId} · {t('users.lastSeen')} {fmtDate(u.lastSeenAt)}
              </small>
            </a>
          </li>
        ))}
      </ul>
      {next && (
        <button type="button" onClick={() => void load(next)}>
          {t('more')}
        </button>
      )}
    </section>
  );
}
