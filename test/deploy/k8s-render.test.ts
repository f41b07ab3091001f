/**
 * `setup --render k8s` for one instance and for several (issue 16): the ConfigMap and the backup
 * CronJob always; a rolling update that never drops below the replicas, with a preStop drain, a
 * PodDisruptionBudget and an HPA on CPU only where several instances may run (Postgres, Redis,
 * webhook mode). Every file parses as YAML and names each kind it should.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config/config.js';
import { renderDeployFiles } from '../../src/deploy/files.js';

function render(env: Record<string, string>, file: Record<string, unknown> = {}) {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-k8s-'));
  const config = loadConfig({ dataDir: '/srv/botctl', env, file, readFile: () => '' });
  const written = renderDeployFiles({
    config,
    file,
    includeSecrets: false,
    kinds: ['k8s', 'systemd'],
    outDir,
  });
  const text = (name: string) => fs.readFileSync(path.join(outDir, 'k8s', name), 'utf8');
  // Every document parses; a template slip (bad indentation, a stray {{) fails here.
  const kinds = (name: string) =>
    parseAllDocuments(text(name)).map((doc) => {
      expect(doc.errors, name).toEqual([]);
      return (doc.toJS() as { kind: string }).kind;
    });
  const names = written
    .filter((f) => f.includes('/k8s/'))
    .map((f) => path.basename(f))
    .sort();
  const units = written.filter((f) => f.includes('/systemd/')).map((f) => path.basename(f));
  const unit = (name: string) => fs.readFileSync(path.join(outDir, 'systemd', name), 'utf8');
  return { names, text, kinds, units, unit };
}

describe('setup --render k8s', () => {
  it('one instance (SQLite, polling): Recreate, one replica, the bot volume; no budget or autoscaler', () => {
    const k8s = render({}, { model: 'gemini-2.5-flash' });
    expect(k8s.names).toEqual([
      'backup-cronjob.yaml',
      'configmap.yaml',
      'deployment.yaml',
      'secret.yaml',
      'service.yaml',
    ]);
    expect(k8s.kinds('deployment.yaml')).toEqual(['PersistentVolumeClaim', 'Deployment']);
    expect(k8s.kinds('backup-cronjob.yaml')).toEqual(['PersistentVolumeClaim', 'CronJob']);
    expect(k8s.kinds('configmap.yaml')).toEqual(['ConfigMap']);
    const deployment = k8s.text('deployment.yaml');
    expect(deployment).toMatch(/replicas: 1\n {2}strategy:\n {4}type: Recreate\n/);
    expect(deployment).toContain('persistentVolumeClaim: { claimName: botctl-data }');
    expect(deployment).toContain('configMapRef: { name: botctl-config }');
    expect(k8s.text('configmap.yaml')).toContain('BOTCTL_MODEL: "gemini-2.5-flash"');
    expect(k8s.text('backup-cronjob.yaml')).toContain('podAffinity:');
    for (const name of k8s.names) expect(k8s.text(name), name).not.toMatch(/\{\{/);
    expect(k8s.units).not.toContain('botctl@.service');
  });

  it('several instances (Postgres, Redis, webhook): RollingUpdate with maxUnavailable 0, readiness, preStop, PDB, HPA on CPU', () => {
    const k8s = render(
      { BOTCTL_WEBHOOK_SECRET: 'webhook_secret_123' },
      {
        databaseUrl: 'postgres://botctl@db:5432/botctl',
        redisUrl: 'redis://redis:6379',
        mode: 'webhook',
        webhookUrl: 'https://bot.example.com/tg',
      },
    );
    expect(k8s.names).toEqual([
      'backup-cronjob.yaml',
      'configmap.yaml',
      'deployment.yaml',
      'hpa.yaml',
      'pdb.yaml',
      'secret.yaml',
      'service.yaml',
    ]);
    const deployment = k8s.text('deployment.yaml');
    expect(deployment).toMatch(
      /replicas: 2\n {2}strategy:\n {4}type: RollingUpdate\n {4}rollingUpdate: \{ maxSurge: 1, maxUnavailable: 0 \}\n/,
    );
    expect(deployment).toMatch(/readinessProbe:\n {12}httpGet: \{ path: \/readyz, port: http \}/);
    expect(deployment).toMatch(/preStop:\n {14}exec: \{ command: \["sleep", "5"\] \}/);
    expect(deployment).toContain('terminationGracePeriodSeconds: 35');
    expect(deployment).toMatch(/- name: data\n {10}emptyDir: \{\}/);
    expect(k8s.kinds('pdb.yaml')).toEqual(['PodDisruptionBudget']);
    expect(k8s.text('pdb.yaml')).toContain('minAvailable: 1');
    expect(k8s.kinds('hpa.yaml')).toEqual(['HorizontalPodAutoscaler']);
    expect(k8s.text('hpa.yaml')).toMatch(
      /name: cpu\n\s+target: \{ type: Utilization, averageUtilization: 70 \}/,
    );
    expect(k8s.text('backup-cronjob.yaml')).not.toContain('podAffinity:');
    expect(k8s.text('configmap.yaml')).toContain('BOTCTL_MODE: "webhook"');
    // systemd: one unit per port, the instance name is the port.
    expect(k8s.unit('botctl@.service')).toMatch(/^Environment=BOTCTL_HTTP_PORT=%i$/m);
    expect(k8s.unit('botctl@.service')).not.toMatch(/\{\{/);
    expect(k8s.text('configmap.yaml')).toContain('BOTCTL_REDIS_URL: "redis://redis:6379"');
  });
});
