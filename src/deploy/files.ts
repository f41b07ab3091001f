/**
 * `setup --render`: which deployment files exist, and writing them from templates/ into the
 * render dir. Files that may hold secrets (the env file, the Kubernetes Secret) are 0600.
 */
import path from 'node:path';
import {
  envLines,
  k8sConfigEntries,
  k8sSecretEntries,
  k8sValues,
  severalInstances,
  systemdValues,
  type DeployInput,
} from './values.js';
import type { RenderKind } from './render-kinds.js';
import { readTemplateFile, renderTemplateFile, writeFileAtomic } from './templates.js';

type FileRow = readonly [
  template: string,
  output: string,
  mode: number,
  when?: (input: DeployInput) => boolean,
];

const FILES: Record<RenderKind, readonly FileRow[]> = {
  systemd: [
    ['systemd/botctl.service', 'systemd/botctl.service', 0o644],
    ['systemd/botctl@.service', 'systemd/botctl@.service', 0o644, severalInstances],
    ['systemd/botctl-backup.service', 'systemd/botctl-backup.service', 0o644],
    ['systemd/botctl-backup.timer', 'systemd/botctl-backup.timer', 0o644],
    ['systemd/botctl-prune.service', 'systemd/botctl-prune.service', 0o644],
    ['systemd/botctl-prune.timer', 'systemd/botctl-prune.timer', 0o644],
  ],
  compose: [['compose/compose.yaml', 'compose.yaml', 0o644]],
  env: [['env/botctl.env', 'botctl.env', 0o600]],
  k8s: [
    ['k8s/configmap.yaml', 'k8s/configmap.yaml', 0o644],
    ['k8s/deployment.yaml', 'k8s/deployment.yaml', 0o644],
    ['k8s/secret.yaml', 'k8s/secret.yaml', 0o600],
    ['k8s/service.yaml', 'k8s/service.yaml', 0o644],
    ['k8s/backup-cronjob.yaml', 'k8s/backup-cronjob.yaml', 0o644],
    // Only where several instances may run: with one, a budget of one would block every drain.
    ['k8s/pdb.yaml', 'k8s/pdb.yaml', 0o644, severalInstances],
    ['k8s/hpa.yaml', 'k8s/hpa.yaml', 0o644, severalInstances],
  ],
  grafana: [['grafana/botctl.json', 'grafana/botctl.json', 0o644]],
  prometheus: [['prometheus/alerts.yml', 'prometheus/alerts.yml', 0o644]],
};

/**
 * Copied as they are: Grafana legends and Prometheus annotations use {{ }} themselves, and
 * neither file depends on this host's settings.
 */
const VERBATIM: ReadonlySet<RenderKind> = new Set(['grafana', 'prometheus']);

/** Renders the chosen kinds into outDir; returns the files written. */
export function renderDeployFiles(
  input: DeployInput & { kinds: readonly RenderKind[]; outDir: string },
): string[] {
  if (input.kinds.length === 0) return [];
  const systemd = systemdValues(input);
  const base: Record<string, string> = {
    ...systemd,
    dataDir: input.config.dataDir,
    httpPort: String(input.config.httpPort),
    image: 'botctl:latest',
    stopTimeoutSeconds: String(Math.ceil(input.config.shutdownTimeoutMs / 1000) + 5),
    // Kubernetes counts the preStop wait (5 s) in the grace period too.
    graceSeconds: String(Math.ceil(input.config.shutdownTimeoutMs / 1000) + 10),
    settings: envLines(input),
    configEntries: k8sConfigEntries(input),
    ...k8sValues(input),
    secretEntries: k8sSecretEntries(input),
  };
  const values = { ...base, hardening: renderTemplateFile('systemd/hardening.conf', base).trimEnd() };
  const written: string[] = [];
  for (const kind of input.kinds) {
    for (const [template, output, mode, when] of FILES[kind]) {
      if (when && !when(input)) continue;
      const file = path.join(input.outDir, output);
      const body = VERBATIM.has(kind) ? readTemplateFile(template) : renderTemplateFile(template, values);
      writeFileAtomic(file, body, mode);
      written.push(file);
    }
  }
  return written;
}
