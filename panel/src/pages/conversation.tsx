import { api } from '../api.js';
import { fmtDate, t } from '../i18n.js';
import { useLoad } from '../use-load.js';

interface Details {
  id: number;
  title: string | null;
  contentIncluded: boolean;
  items: {
    id: number;
    role: 'user' | 'model';
    createdAt: string;
    content: string | null;
    tokensOut: number;
  }[];
}

/** Message content only comes for roles allowed to read it (owner); the API leaves it null otherwise. */
export function Conversation(props: { id: string; user: string | null }) {
  const { data, error } = useLoad(() => api<Details>('GET', `/conversations/${props.id}`), [props.id]);
  if (error) return <p class="error">{t('error', { message: error })}</p>;
  if (!data) return <p>{t('loading')}</p>;
  return (
    <section>
      {props.user && <a href={`#/users/${props.user}`}>← {t('conversation.back')}</a>}
      <h2>{data.title ?? `#${data.id}`}</h2>
      {!data.contentIncluded && <p class="muted">{t('conversation.hidden')}</p>}
      <ol class="messages">
        {data.items.map((m) => (
          <li key={m.id} class={m.role}>
            <small>{fmtDate(m.createdAt)}</small>
            {m.content !== null && <p>{m.content}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}
