/**
 * The admin panel: signs in with the link's token (in the URL fragment, never sent to a server
 * by the browser), then routes by hash (#/users/7002) over pages that each call the REST API.
 * The session is kept alive while the panel is used and ends on sign-out.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiFailure, setCsrf, whenSignedOut, type Session } from './api.js';
import { lang, setLang, t, type Lang } from './i18n.js';
import { Audit } from './pages/audit.js';
import { Backups } from './pages/backups.js';
import { Broadcasts } from './pages/broadcasts.js';
import { Conversation } from './pages/conversation.js';
import { Overview } from './pages/overview.js';
import { User } from './pages/user.js';
import { Users } from './pages/users.js';
import './style.css';

const REFRESH_MS = 5 * 60_000;
type State =
  | { kind: 'loading' }
  | { kind: 'out'; reason: 'signedOut' | 'linkRefused' }
  | { kind: 'in'; session: Session };

function useHash() {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

async function start(): Promise<State> {
  const signIn = /^#signin=([A-Za-z0-9_-]+)$/.exec(location.hash);
  try {
    if (signIn) {
      history.replaceState(null, '', `${location.pathname}#/`);
      return { kind: 'in', session: await api<Session>('POST', '/session', { token: signIn[1] }) };
    }
    return { kind: 'in', session: await api<Session>('GET', '/session') };
  } catch (error) {
    return { kind: 'out', reason: signIn && error instanceof ApiFailure ? 'linkRefused' : 'signedOut' };
  }
}

function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [, setLangTick] = useState(lang);
  const hash = useHash();

  useEffect(() => {
    whenSignedOut(() => setState({ kind: 'out', reason: 'signedOut' }));
    void start().then((next) => {
      if (next.kind === 'in') setCsrf(next.session.csrfToken);
      setState(next);
    });
  }, []);

  // Refresh while someone uses the panel: an idle tab lets the session end by itself.
  useEffect(() => {
    if (state.kind !== 'in') return;
    let active = false;
    const mark = () => (active = true);
    addEventListener('pointerdown', mark);
    addEventListener('keydown', mark);
    const timer = setInterval(() => {
      if (!active) return;
      active = false;
      void api<Session>('POST', '/session/refresh').then(
        (s) => setCsrf(s.csrfToken),
        () => undefined,
      );
    }, REFRESH_MS);
    return () => {
      clearInterval(timer);
      removeEventListener('pointerdown', mark);
      removeEventListener('keydown', mark);
    };
  }, [state.kind]);

  const switchLang = (next: Lang) => {
    setLang(next);
    setLangTick(next);
  };
  const langs = (
    <div class="langs">
      {(['en', 'ru'] as const).map((l) => (
        <button type="button" key={l} aria-pressed={l === lang} onClick={() => switchLang(l)}>
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );

  if (state.kind === 'loading') return <main class="center">{t('session.signingIn')}</main>;
  if (state.kind === 'out') {
    return (
      <main class="center signed-out">
        {langs}
        <h1>{t('title')}</h1>
        <p>{t(state.reason === 'linkRefused' ? 'session.linkRefused' : 'session.signedOut')}</p>
        <p class="muted">{t('session.howToSignIn')}</p>
      </main>
    );
  }
  const { session } = state;
  const logout = () =>
    api('DELETE', '/session').finally(() => setState({ kind: 'out', reason: 'signedOut' }));
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const page = parts[0] ?? 'overview';
  const nav = ['overview', 'users', 'broadcasts', 'backups', 'audit'] as const;
  let body;
  if (page === 'users' && parts[1]) body = <User id={parts[1]} session={session} />;
  else if (page === 'users') body = <Users />;
  else if (page === 'conversations' && parts[1])
    body = <Conversation id={parts[1]} user={new URLSearchParams(search).get('user')} />;
  else if (page === 'broadcasts') body = <Broadcasts session={session} />;
  else if (page === 'backups') body = <Backups session={session} />;
  else if (page === 'audit') body = <Audit />;
  else body = <Overview />;
  return (
    <>
      <header>
        <strong class="brand">{t('title')}</strong>
        <nav>
          {nav.map((n) => (
            <a
              key={n}
              href={`#/${n}`}
              aria-current={page === n || (n === 'users' && page === 'conversations') ? 'page' : undefined}
            >
              {t(`nav.${n}`)}
            </a>
          ))}
        </nav>
        <div class="who">
          <span data-role={session.role}>{t('session.role', { role: session.role })}</span>
          {langs}
          <button type="button" name="logout" onClick={() => void logout()}>
            {t('session.logout')}
          </button>
        </div>
      </header>
      <main key={page}>{body}</main>
    </>
  );
}

document.documentElement.lang = lang;
render(<App />, document.getElementById('app')!);
