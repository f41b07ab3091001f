/**
 * The values `setup --render` puts into templates/: paths and the service user for systemd,
 * settings as environment lines (env file, Kubernetes), and secrets only as placeholders
 * unless the operator asked for them (--include-secrets).
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OptionKey } from '../config/schema.js';
import { defaultBackupDir, type Config } from '../config/config.js';
import { OPTION_KEYS, formatOption, isSecretValue, spec } from '../config/option-values.js';

/** Set explicitly elsewhere in each template, or a host path that means nothing inside a container. */
const CONTAINER_MANAGED: readonly OptionKey[] = ['httpHost', 'httpPort', 'backupDir'];

export interface DeployInput {
  config: Readonly<Config>;
  /** The config file as written: the keys the operator set (the rest are defaults). */
  file: Readonly<Record<string, unknown>>;
  includeSecrets: boolean;
}

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

const quoteExec = (p: string) => (/\s/.test(p) ? `"${p}"` : p);

/** Single quotes keep JSON and spaces intact for systemd, docker compose and sh alike. */
const envValue = (text: string) =>
  /^[\w./:@,+-]*$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;

function serviceUser(): string {
  const name = process.env.SUDO_USER ?? os.userInfo().username;
  // Never render a root service: create a `botctl` user instead (README).
  return name === 'root' ? 'botctl' : name;
}

export function systemdValues({ config }: DeployInput): Record<string, string> {
  const writable = new Set([config.dataDir]);
  const backupDir = config.backupDir ?? defaultBackupDir(config.dataDir);
  if (!backupDir.startsWith(`${config.dataDir}/`)) writable.add(backupDir);
  if (config.database.dialect === 'sqlite') {
    const dbDir = path.dirname(config.database.location);
    if (dbDir !== config.dataDir && !dbDir.startsWith(`${config.dataDir}/`)) writable.add(dbDir);
  }
  const paths = [...writable, process.execPath, BIN];
  // ProtectHome=yes hides /home and /root entirely, which would hide a data dir or a Node installed there.
  const underHome = paths.some((p) => /^\/(home|root|run\/user)(\/|$)/.test(p));
  const user = serviceUser();
  return {
    user,
    group: user,
    writablePaths: [...writable].map(quoteExec).join(' '),
    protectHome: underHome ? 'read-only' : 'yes',
    botctl: `${quoteExec(process.execPath)} ${quoteExec(BIN)}`,
  };
}

/** Options set in the file, in OPTIONS order, with whether each value is secret. */
function settings(input: DeployInput): { key: OptionKey; text: string; secret: boolean }[] {
  return OPTION_KEYS.filter((key) => input.file[key] !== undefined && !CONTAINER_MANAGED.includes(key)).map(
    (key) => ({
      key,
      text: formatOption(key, input.config[key]),
      secret: isSecretValue(key, input.config[key]),
    }),
  );
}

const secretFileName = (key: OptionKey) => `/run/secrets/${spec(key).env.toLowerCase()}`;

export function envLines(input: DeployInput): string {
  return settings(input)
    .map(({ key, text, secret }) => {
      const env = spec(key).env;
      if (!secret) return `${env}=${envValue(text)}`;
      if (input.includeSecrets) return `${env}=${envValue(text)}`;
      return `# ${env}_FILE=${secretFileName(key)}   (secret: a file holding only the value; config.json has it too)`;
    })
    .join('\n');
}

/** Non-secret settings for the ConfigMap; a SQLite path is left to the default under /data. */
export function k8sConfigEntries(input: DeployInput): string {
  const entries = settings(input)
    .filter(
      ({ key, secret }) => !secret && !(key === 'databaseUrl' && input.config.database.dialect === 'sqlite'),
    )
    .map(({ key, text }) => `  ${spec(key).env}: ${JSON.stringify(text)}`);
  return entries.length > 0 ? entries.join('\n') : '  # nothing beyond the defaults yet';
}

/**
 * Several instances may run (issue 16): Postgres and Redis hold what they share, and webhook
 * mode spreads updates over them (long polling allows one consumer, SQLite one daemon).
 */
export function severalInstances({ config }: DeployInput): boolean {
  return config.database.dialect === 'postgres' && config.redisUrl !== undefined && config.mode === 'webhook';
}

/** What differs in the Kubernetes files between one instance and several. */
export function k8sValues(input: DeployInput): Record<string, string> {
  const several = severalInstances(input);
  const data = several ? 'emptyDir: {}' : 'persistentVolumeClaim: { claimName: botctl-data }';
  return {
    replicas: several ? '2' : '1',
    replicaNote: several
      ? 'Several instances (Postgres, Redis, webhook mode): a rolling update starts a new pod and\n# waits for its /readyz before it stops an old one.'
      : 'One replica: SQLite serves one instance and long polling one consumer\n# (several need Postgres, Redis and webhook mode, then render again).',
    strategy: several
      ? '    type: RollingUpdate\n    rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }'
      : '    type: Recreate',
    cpuRequest: several ? '250m' : '50m',
    dataVolume: `          ${data}`,
    jobDataVolume: `              ${data}`,
    backupAffinity: several
      ? ''
      : [
          "          # The bot's volume is ReadWriteOnce: the job runs on the bot's node.",
          '          affinity:',
          '            podAffinity:',
          '              requiredDuringSchedulingIgnoredDuringExecution:',
          '                - labelSelector: { matchLabels: { app.kubernetes.io/name: botctl } }',
          '                  topologyKey: kubernetes.io/hostname',
        ].join('\n'),
    backupNote: several
      ? 'On Postgres it runs pg_dump (in the image).'
      : "On SQLite it reads the bot's volume.",
  };
}

/** The Secret's stringData: always the token and the key, plus any other secret that is set. */
export function k8sSecretEntries(input: DeployInput): string {
  const keys = new Set<OptionKey>(['telegramToken', 'geminiApiKey']);
  for (const { key, secret } of settings(input)) if (secret) keys.add(key);
  return [...keys]
    .map((key) => {
      const value = formatOption(key, input.config[key]);
      const shown = input.includeSecrets && value !== '' ? value : 'REPLACE_ME';
      return `  ${spec(key).env}: ${JSON.stringify(shown)}`;
    })
    .join('\n');
}
