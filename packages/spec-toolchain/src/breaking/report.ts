import type { ApiVerdict } from './gate.js';

const STATUS: Record<ApiVerdict['status'], string> = {
  unchanged: 'unchanged',
  changed: 'changed, nothing breaks',
  breaking: 'BREAKING',
  added: 'new API',
  removed: 'API REMOVED',
};

/** The gate's findings as text: per API what changed, where, why it breaks, and what changeset it needs. */
export function formatReport(verdicts: readonly ApiVerdict[]): string {
  const lines: string[] = [];
  for (const v of verdicts) {
    const base = v.base ? `${v.base.label}, ${v.base.sha.slice(0, 9)}` : 'no git history: not compared';
    lines.push(`${v.api} (${v.packageName}): ${STATUS[v.status]} — compared with ${base}`);
    for (const change of v.changes)
      lines.push(`  ${change.breaking ? '✗ breaks' : '• change'}  ${change.where}`, `             ${change.why}`);
    if (!v.required) continue;
    if (!v.published) {
      lines.push(`  ok: ${v.packageName} is private (not released), so it needs no changeset`);
      continue;
    }
    const pending = v.pending ? `pending changeset: ${v.pending}` : 'no pending changeset';
    if (v.ok) lines.push(`  ok: ${pending}`);
    else if (v.required === 'major') {
      lines.push(
        `  FAIL: a breaking change needs a major changeset for ${v.packageName} (${pending}); run \`npm run changeset\` and choose major`,
      );
    } else lines.push(`  FAIL: a change needs a changeset for ${v.packageName} (patch or minor); run \`npm run changeset\``);
  }
  const failed = verdicts.filter((v) => !v.ok);
  lines.push('', failed.length ? `check:breaking failed: ${failed.map((v) => v.api).join(', ')}` : 'check:breaking passed');
  return lines.join('\n');
}
