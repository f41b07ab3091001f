/** The deployment files `setup --render` can write (templates/<kind>/), and parsing the list. */
import { BotctlError } from '../domain/errors.js';

/** grafana: the dashboard to import; prometheus: the alert rules to load. */
export const RENDER_KINDS = ['systemd', 'compose', 'env', 'k8s', 'grafana', 'prometheus'] as const;
export type RenderKind = (typeof RENDER_KINDS)[number];

/** "systemd,env" -> ['systemd', 'env']; '' or 'none' -> []; 'all' -> every kind. */
export function parseRenderKinds(text: string): RenderKind[] {
  const items = text
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== '' && item !== 'none');
  if (items.includes('all')) return [...RENDER_KINDS];
  const unknown = items.filter((item) => !(RENDER_KINDS as readonly string[]).includes(item));
  if (unknown.length > 0) {
    throw new BotctlError(
      'USAGE',
      `unknown render target ${unknown.join(', ')}: use ${RENDER_KINDS.join(', ')} or all`,
    );
  }
  return [...new Set(items as RenderKind[])];
}
