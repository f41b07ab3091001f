import { useState } from 'preact/hooks';
import { api, can, type Session } from '../api.js';
import { fmtDate, fmtNumber, t } from '../i18n.js';
import { useLoad } from '../use-load.js';
import { displayName, ROLES, type UserSummary } from './users.js';

interface QuotaLine {
  used: number;
  limit: number | null;
}
/** Every daily limit a user can have of their own (the API's QuotaOverrides), in the form's order. */
const QUOTA_KINDS = [
  'messagesPerDay',
  'tokensPerDay',
  'imagesPerDay',
  'audioSecondsPerDay',
  'searchesPerDay',
] as const;
type QuotaKind = (typeof QUOTA_KINDS)[number];
type QuotaForm = Record<QuotaKind, string>;
interface Details {
  user: UserSummary;
  quota: {
    messages: QuotaLine;
    tokens: QuotaLine;
    overrides: Partial<Record<QuotaKind, number>> | null;
  };
}
interface Conversation {
  id: number;
  startedAt: string;
  title: string | null;
  messages: number;
}

export function User(props: { id: string; session: Session }) {
  const details = useLoad(() => api<Details>('GET', `/users/${props.id}`), [props.id]);
  const conversations = useLoad(
    () => api<{ conversations: Conversation[] }>('GET', `/users/${props.id}/conversations`),
    [props.id],
  );
  const [note, setNote] = useState<string | null>(null);
  const [quota, setQuota] = useState<QuotaForm | null>(null);
  const write = can(props.session, 'write');
  const admin = can(props.session, 'admin');

  const act = (run: () => Promise<unknown>, done?: string) =>
    run().then(
      () => {
        setNote(done ?? null);
        details.reload();
      },
      (e: Error) => setNote(t('error', { message: e.message })),
    );

  if (details.error) return <p class="error">{t('error', { message: details.error })}</p>;
  const d = details.data;
  if (!d) return <p>{t('loading')}</p>;
  const u = d.user;
  const q: QuotaForm =
    quota ??
    (Object.fromEntries(
      QUOTA_KINDS.map((kind) => [kind, String(d.quota.overrides?.[kind] ?? '')]),
    ) as QuotaForm);
  const limitOf = (text: string) => (text.trim() === '' ? null : Number(text));
  return (
    <section>
      <h2>
        {displayName(u)}{' '}
        <span class={`badge ${u.status}`} data-status={u.status}>
          {u.status}
        </span>
      </h2>
      <p>
        {u.telegramId} · {u.language} · {fmtDate(u.lastSeenAt)}
      </p>
      {u.premiumUntil && (
        <p data-premium-until>{t('user.premiumUntil', { until: fmtDate(u.premiumUntil) })}</p>
      )}
      <p>
        {t('user.today', {
          messages: fmtNumber(d.quota.messages.used),
          tokens: fmtNumber(d.quota.tokens.used),
        })}
      </p>
      {note && <p class="note">{note}</p>}
      {write ? (
        <div class="actions">
          {u.status === 'banned' ? (
            <button type="button" onClick={() => void act(() => api('POST', `/users/${u.telegramId}/unban`))}>
              {t('user.unban')}
            </button>
          ) : (
            <button
              type="button"
              class="danger"
              onClick={() =>
                confirm(t('user.confirmBan', { name: displayName(u) })) &&
                void act(() => api('POST', `/users/${u.telegramId}/ban`))
              }
            >
              {t('user.ban')}
            </button>
          )}
          <label>
            {t('users.role')}{' '}
            <select
              name="role"
              value={u.role}
              onChange={(e) =>
                void act(() =>
                  api('PATCH', `/users/${u.telegramId}`, { role: (e.target as HTMLSelectElement).value }),
                )
              }
            >
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          {admin && (
            <button type="button" name="export" onClick={() => void act(() => download(u.telegramId))}>
              {t('user.export')}
            </button>
          )}
          <button
            type="button"
            name="forget"
            class="danger"
            onClick={() =>
              confirm(t('user.confirmForget', { name: displayName(u) })) &&
              void api('DELETE', `/users/${u.telegramId}`).then(
                () => (location.hash = '#/users'),
                (e: Error) => setNote(t('error', { message: e.message })),
              )
            }
          >
            {t('user.forget')}
          </button>
          <form
            class="quota"
            onSubmit={(e) => {
              e.preventDefault();
              void act(
                () =>
                  api('PATCH', `/users/${u.telegramId}`, {
                    // Every kind, so what the form shows is what is stored (empty: the role's).
                    quota: Object.fromEntries(QUOTA_KINDS.map((kind) => [kind, limitOf(q[kind])])),
                  }),
                t('user.saved'),
              ).then(() => setQuota(null));
            }}
          >
            <fieldset>
              <legend>{t('user.quota')}</legend>
              {QUOTA_KINDS.map((kind) => (
                <label key={kind}>
                  {t(`user.${kind}`)}
                  <input
                    inputMode="numeric"
                    pattern="[0-9]*"
                    name={kind}
                    value={q[kind]}
                    onInput={(e) => setQuota({ ...q, [kind]: (e.target as HTMLInputElement).value })}
                  />
                </label>
              ))}
              <button type="submit">{t('save')}</button>
            </fieldset>
          </form>
        </div>
      ) : (
        <p class="muted">{t('readOnly')}</p>
      )}
      <h3>{t('user.conversations')}</h3>
      <ul class="rows">
        {conversations.data?.conversations.map((c) => (
          <li key={c.id}>
            <a href={`#/conversations/${c.id}?user=${u.telegramId}`}>
              <strong>{c.title ?? `#${c.id}`}</strong>
              <small>
                {fmtDate(c.startedAt)} · {c.messages}
              </small>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Everything stored about the user, as the JSON file `/export` gives the user themselves. */
async function download(telegramId: number | string): Promise<void> {
  const data = await api<unknown>('GET', `/users/${telegramId}/export`);
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `botctl-user-${telegramId}.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
