// The Prometheus alert rules and the Grafana dashboard in deploy/: the rules pass `promtool check
// rules` and their unit tests (`promtool test rules`), every dashboard query is valid PromQL, and
// both use only metrics `vmtasks serve` exports.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { requireCommand } from '@vmtasks/testkit';
import { Histogram } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ExporterMetrics } from '../src/serve/metrics.js';

const run = promisify(execFile);
const deploy = fileURLToPath(new URL('../../../deploy/', import.meta.url));
const rules = path.join(deploy, 'prometheus/vmtasks-alerts.yaml');
const dashboardFile = path.join(deploy, 'grafana/vmtasks-dashboard.json');

/** Runs promtool; its output when it fails, so the failing rule or test is in the report. */
async function promtool(...args: string[]): Promise<string> {
  const binary = requireCommand('promtool', 'prometheus');
  try {
    const { stdout, stderr } = await run(binary, args, { cwd: path.dirname(rules) });
    return stdout + stderr;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${stdout}${stderr}`);
  }
}

/** The names a scrape of the exporter can contain (a histogram's series have suffixes). */
function exportedNames(): Set<string> {
  const names = new Set<string>();
  for (const metric of new ExporterMetrics({ appliances: [] }, 1).registry.getMetricsAsArray()) {
    names.add(metric.name);
    if (metric instanceof Histogram) for (const suffix of ['_bucket', '_count', '_sum']) names.add(`${metric.name}${suffix}`);
  }
  return names;
}

const usedNames = (promql: string): string[] => promql.match(/\bvmtasks_[a-z_]+/g) ?? [];

interface Dashboard {
  panels: { title: string; targets: { expr: string }[] }[];
}

/** A dashboard query as Prometheus gets it from Grafana: its variables replaced by values. */
const asPromql = (expr: string): string =>
  expr.replaceAll('$appliance', '.*').replaceAll('$__rate_interval', '5m').replaceAll('$__range', '6h');

describe('deploy/: alert rules and dashboard', () => {
  it('the alert rules pass promtool check rules and their unit tests', async () => {
    expect(await promtool('check', 'rules', rules)).toContain('SUCCESS: 5 rules found');
    expect(await promtool('test', 'rules', 'vmtasks-alerts.test.yaml')).toContain('SUCCESS');
  });

  it('the alert rules use only metrics the exporter exports', async () => {
    const text = await readFile(rules, 'utf8');
    const names = exportedNames();
    const used = usedNames(text);
    expect(used.length).toBeGreaterThan(5);
    expect(used.filter((name) => !names.has(name))).toEqual([]);
  });

  it("every dashboard query is valid PromQL over the exporter's metrics", async () => {
    const dashboard = JSON.parse(await readFile(dashboardFile, 'utf8')) as Dashboard;
    const queries = dashboard.panels.flatMap((panel) =>
      panel.targets.map((target) => ({ panel: panel.title, promql: asPromql(target.expr) })),
    );
    expect(queries.length).toBeGreaterThan(10);
    const names = exportedNames();
    expect(queries.flatMap(({ promql }) => usedNames(promql)).filter((name) => !names.has(name))).toEqual([]);
    // promtool parses each query as a recording rule: a syntax error names it.
    const dir = await mkdtemp(path.join(tmpdir(), 'vmtasks-dashboard-'));
    try {
      const file = path.join(dir, 'dashboard-queries.yaml');
      const recorded = queries.map(({ promql }, i) => `      - record: dashboard:query_${i}\n        expr: ${JSON.stringify(promql)}`);
      await writeFile(file, `groups:\n  - name: dashboard\n    rules:\n${recorded.join('\n')}\n`);
      expect(await promtool('check', 'rules', file)).toContain(`SUCCESS: ${queries.length} rules found`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
