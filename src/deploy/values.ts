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

const yamlEntry = (name: string, value: string) =>
  `            - { name: ${name}, value: ${JSON.stringify(value)} }`;

/** Non-secret settings for the Deployment; a SQLite path is left to the default under /data. */
export function k8sEnvEntries(input: DeployInput): string {
  return settings(input)
    .filter(
      ({ key, secret }) => !secret && !(key === 'databaseUrl' && input.config.database.dialect === 'sqlite'),
    )
    .map(({ key, text }) => yamlEntry(spec(key).env, text))
    .join('\n');
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
