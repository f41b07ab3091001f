import { api } from '../api.js';
import { BarChart, DayBars, LineChart } from '../charts.js';
import { fmtNumber, t } from '../i18n.js';
import { useLoad } from '../use-load.js';

interface Stats {
  users: {
    total: number;
    new: number;
    banned: number;
    active: { day1: number; day7: number; day30: number };
  };
  messages: { user: number; model: number };
  tokens: { in: number; out: number };
  cost: {
    estimated: number;
    complete: boolean;
    byModel: { model: string; tokensIn: number; tokensOut: number; cost: number | null }[];
  };
  latency: { p50Ms: number | null; p95Ms: number | null };
  errors: { total: number };
  daily: {
    day: string;
    activeUsers: number;
    userMessages: number;
    modelMessages: number;
    tokensIn: number;
    tokensOut: number;
    errors: number;
  }[];
}
interface Health {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

const ms = (v: number | null) => (v === null ? '—' : `${fmtNumber(Math.round(v))} ms`);

export function Overview() {
  const stats = useLoad(() => api<Stats>('GET', '/stats'), []);
  const health = useLoad(() => api<Health>('GET', '/health').catch(() => null), []);
  if (stats.error) return <p class="error">{t('error', { message: stats.error })}</p>;
  const s = stats.data;
  if (!s) return <p>{t('loading')}</p>;
  const days = s.daily.map((d) => d.day.slice(5));
  return (
    <section>
      <div class="cards">
        <Card label={t('overview.users')} value={fmtNumber(s.users.total)} />
        <Card
          label={t('overview.active')}
          value={`${fmtNumber(s.users.active.day1)} / ${fmtNumber(s.users.active.day7)} / ${fmtNumber(s.users.active.day30)}`}
        />
        <Card label={t('overview.messages')} value={fmtNumber(s.messages.user + s.messages.model)} />
        <Card label={t('overview.tokens')} value={`${fmtNumber(s.tokens.in)} / ${fmtNumber(s.tokens.out)}`} />
        <Card
          label={t('overview.cost')}
          value={`$${s.cost.estimated.toFixed(2)}${s.cost.complete ? '' : '+'}`}
        />
        <Card label={t('overview.latency')} value={`${ms(s.latency.p50Ms)} / ${ms(s.latency.p95Ms)}`} />
      </div>
      <LineChart
        title={t('overview.dailyMessages')}
        name="messages"
        days={days}
        series={[
          { label: t('overview.userMessages'), values: s.daily.map((d) => d.userMessages), className: 's1' },
          {
            label: t('overview.modelMessages'),
            values: s.daily.map((d) => d.modelMessages),
            className: 's2',
          },
        ]}
      />
      <LineChart
        title={t('overview.dailyActive')}
        name="active"
        days={days}
        series={[{ label: t('overview.users'), values: s.daily.map((d) => d.activeUsers), className: 's3' }]}
      />
      <LineChart
        title={t('overview.dailyTokens')}
        name="tokens"
        days={days}
        series={[
          { label: t('overview.tokensIn'), values: s.daily.map((d) => d.tokensIn), className: 's1' },
          { label: t('overview.tokensOut'), values: s.daily.map((d) => d.tokensOut), className: 's2' },
        ]}
      />
      <DayBars
        title={t('overview.dailyErrors', { total: fmtNumber(s.errors.total) })}
        name="errors"
        days={days}
        values={s.daily.map((d) => d.errors)}
      />
      <BarChart
        title={t('overview.byModel')}
        rows={s.cost.byModel.map((m) => ({
          label: m.model,
          value: m.tokensIn + m.tokensOut,
          ...(m.cost === null ? {} : { note: `$${m.cost.toFixed(4)}` }),
        }))}
      />
      {health.data && (
        <div class="health">
          <h3>{t('overview.health')}</h3>
          {Object.entries(health.data.checks).map(([name, check]) => (
            <span key={name} class={check.ok ? 'ok' : 'bad'}>
              {name}: {check.detail ?? (check.ok ? 'ok' : 'down')}
            </span>
          ))}
        </div>
      )}
    </section>
  );
}

function Card(props: { label: string; value: string }) {
  return (
    <div class="card">
      <div class="card-label">{props.label}</div>
      <div class="card-value">{props.value}</div>
    </div>
  );
}
